-- The durable queue between wa.commands and WhatsApp. A send-requested command becomes one row (its offset is
-- committed after the row is written), the owner of the session sends it when the session's pace allows, and the row
-- records what happened. (session_id, idempotency_key) is unique: a redelivered or repeated command finds its row
-- and is never sent twice, across crashes too. The row id is the transport's clientRef (linked) or
-- biz_opaque_callback_data (Cloud API), so every ack, receipt and webhook status names the row it belongs to.
CREATE TABLE session.outbound_messages (
    id              uuid        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    session_id      uuid        NOT NULL REFERENCES session.sessions (id) ON DELETE CASCADE,
    message_id      uuid        NOT NULL,
    idempotency_key text        NOT NULL,
    correlation_id  text        NOT NULL,
    recipient       text        NOT NULL,
    -- 0 conversational (agent and bot replies) before 1 bulk (campaigns)
    priority        smallint    NOT NULL,
    -- the command as it arrived (type, text, media, template, location, reply-to)
    command         jsonb       NOT NULL,
    -- queued → sending → accepted, or → failed; sending with no answer is an unknown outcome that only a receipt
    -- or the reconnect reconciliation resolves
    state           text        NOT NULL,
    -- the furthest delivery status reported for it: sent, delivered, read or failed
    delivery_status text,
    attempts        integer     NOT NULL DEFAULT 0,
    not_before      timestamptz NOT NULL DEFAULT now(),
    wa_message_id   text,
    error_code      integer,
    error_title     text,
    retryable       boolean,
    requested_at    timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT outbound_messages_session_key_uq UNIQUE (session_id, idempotency_key),
    CONSTRAINT outbound_messages_state_ck CHECK (state IN ('queued', 'sending', 'accepted', 'failed')),
    CONSTRAINT outbound_messages_priority_ck CHECK (priority IN (0, 1))
);

-- the next send of a session: conversational first, then oldest first
CREATE INDEX outbound_messages_queue_idx ON session.outbound_messages (session_id, priority, created_at)
    WHERE state = 'queued';
-- sends whose outcome is not known yet
CREATE INDEX outbound_messages_sending_idx ON session.outbound_messages (session_id, updated_at)
    WHERE state = 'sending';
-- receipts and webhook statuses name WhatsApp's id
CREATE UNIQUE INDEX outbound_messages_wa_idx ON session.outbound_messages (session_id, wa_message_id)
    WHERE wa_message_id IS NOT NULL;
-- retention
CREATE INDEX outbound_messages_created_idx ON session.outbound_messages (created_at);
