-- The shared inbox: one conversation per (tenant, session, contact), its messages in both directions.
CREATE TABLE message.conversations (
    id                   uuid PRIMARY KEY,
    tenant_id            text        NOT NULL,
    session_id           uuid        NOT NULL,
    contact_phone        text        NOT NULL,
    contact_name         text,
    status               text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'closed')),
    assigned_agent_id    text,
    bot_enabled          boolean     NOT NULL DEFAULT true,
    unread_count         integer     NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
    last_message_at      timestamptz,
    last_message_preview text,
    version              bigint      NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT conversations_contact_uq UNIQUE (tenant_id, session_id, contact_phone)
);

CREATE INDEX conversations_tenant_recent_idx ON message.conversations (tenant_id, last_message_at DESC);

CREATE TABLE message.messages (
    id              uuid PRIMARY KEY,
    tenant_id       text        NOT NULL,
    conversation_id uuid        NOT NULL REFERENCES message.conversations (id),
    session_id      uuid        NOT NULL,
    direction       text        NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    type            text        NOT NULL,
    text            text,
    media           jsonb,
    wa_message_id   text,
    status          text        NOT NULL
        CHECK (status IN ('pending', 'accepted', 'sent', 'delivered', 'read', 'failed')),
    error_code      integer,
    idempotency_key text,
    correlation_id  text,
    wa_timestamp    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Dedup: an inbound WhatsApp message is stored once per session; an outbound command once per idempotency key.
CREATE UNIQUE INDEX messages_wa_message_uq ON message.messages (session_id, wa_message_id)
    WHERE wa_message_id IS NOT NULL;
CREATE UNIQUE INDEX messages_idempotency_uq ON message.messages (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX messages_conversation_idx ON message.messages (conversation_id, created_at DESC);
