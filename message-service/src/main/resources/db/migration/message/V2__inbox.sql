-- What the inbox needs beyond V1: outbound bookkeeping, type-specific content, full-text search, statuses that
-- arrive before their message, and archival.

ALTER TABLE message.messages
    -- Meta's or the protocol's reason for a failed send, and whether a retry may succeed
    ADD COLUMN error_title            text,
    ADD COLUMN retryable              boolean,
    -- the parts of a message that are not text or media: location, reaction, button reply, template
    ADD COLUMN content                jsonb,
    -- the message this one quotes or reacts to
    ADD COLUMN reply_to_wa_message_id text,
    -- who asked for an outbound message: user:<id>, campaign-service …
    ADD COLUMN sent_by                text,
    -- Spanish and English at once: each word is stemmed both ways, so "pedidos" finds "pedido" and "orders"
    -- finds "order"; the query side builds the same two tsqueries
    ADD COLUMN search                 tsvector GENERATED ALWAYS AS (
        to_tsvector('spanish', coalesce(text, '')) || to_tsvector('english', coalesce(text, ''))) STORED;

CREATE INDEX messages_search_idx ON message.messages USING gin (search);
-- tenant-scoped search and listing by time
CREATE INDEX messages_tenant_created_idx ON message.messages (tenant_id, created_at DESC, id DESC);
-- statuses find an outbound message by WhatsApp's id or by the command's key
CREATE INDEX messages_session_idempotency_idx ON message.messages (session_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- listing: filters by status, assignee, session; cursor on (last_message_at, id)
CREATE INDEX conversations_tenant_status_recent_idx
    ON message.conversations (tenant_id, status, last_message_at DESC NULLS LAST, id DESC);
CREATE INDEX conversations_tenant_assignee_idx
    ON message.conversations (tenant_id, assigned_agent_id, last_message_at DESC NULLS LAST, id DESC);

-- A status can arrive before the message it is about: commands (wa.commands) and statuses (wa.message.status)
-- travel on different topics and partitions. Such a status waits here and is applied the moment its message is
-- written, so no status is lost and none is applied twice (the message's status only moves forward).
CREATE TABLE message.early_statuses (
    tenant_id       text        NOT NULL,
    session_id      uuid        NOT NULL,
    idempotency_key text,
    wa_message_id   text,
    status          text        NOT NULL
        CHECK (status IN ('accepted', 'sent', 'delivered', 'read', 'failed')),
    error_code      integer,
    error_title     text,
    retryable       boolean,
    occurred_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT early_statuses_names_a_message_ck CHECK (idempotency_key IS NOT NULL OR wa_message_id IS NOT NULL)
);

CREATE UNIQUE INDEX early_statuses_key_uq ON message.early_statuses (session_id, idempotency_key, status)
    WHERE idempotency_key IS NOT NULL;
CREATE UNIQUE INDEX early_statuses_wa_uq ON message.early_statuses (session_id, wa_message_id, status)
    WHERE idempotency_key IS NULL;
CREATE INDEX early_statuses_received_idx ON message.early_statuses (received_at);

-- Archival: messages older than conversa.message.archive.after-days move here in batches (off by default).
CREATE TABLE message.messages_archive (LIKE message.messages INCLUDING DEFAULTS);
ALTER TABLE message.messages_archive DROP COLUMN search;
ALTER TABLE message.messages_archive ADD PRIMARY KEY (id);
ALTER TABLE message.messages_archive ADD COLUMN archived_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX messages_archive_conversation_idx ON message.messages_archive (conversation_id, created_at DESC);
