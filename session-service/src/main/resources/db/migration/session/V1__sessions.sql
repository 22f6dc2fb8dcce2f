-- WhatsApp sessions (numbers) of every tenant and their lifecycle state.
CREATE TABLE session.sessions (
    id                          uuid PRIMARY KEY,
    tenant_id                   text        NOT NULL,
    name                        text        NOT NULL,
    transport                   text        NOT NULL CHECK (transport IN ('linked', 'cloud-api')),
    status                      text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'qr_ready', 'connecting', 'connected', 'disconnected',
                          'logged_out', 'banned', 'failed', 'inactive')),
    phone_number                text,
    connection_attempts         integer     NOT NULL DEFAULT 0,
    last_disconnect_reason_code integer,
    last_disconnect_reason      text,
    last_disconnect_at          timestamptz,
    messages_sent               bigint      NOT NULL DEFAULT 0,
    messages_received           bigint      NOT NULL DEFAULT 0,
    last_activity_at            timestamptz,
    last_health_check_at        timestamptz,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    version                     bigint      NOT NULL DEFAULT 0,
    CONSTRAINT sessions_tenant_name_uq UNIQUE (tenant_id, name)
);

CREATE INDEX sessions_tenant_status_idx ON session.sessions (tenant_id, status);
