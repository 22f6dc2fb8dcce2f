-- What the sessions API and the session lifecycle need beyond V1.

ALTER TABLE session.sessions
    -- Cloud API sessions: Meta's phone-number id (not a secret; the webhook ingress routes by it, so it is unique
    -- across tenants). The access token, app secret and verify token live encrypted in session.auth_state.
    ADD COLUMN cloud_phone_number_id text,
    -- chats the linked device reported, and what the device said about itself (platform, push name, versions …)
    ADD COLUMN chats                 bigint      NOT NULL DEFAULT 0,
    ADD COLUMN device_metadata       jsonb,
    ADD COLUMN last_connected_at     timestamptz,
    ADD CONSTRAINT sessions_cloud_phone_number_id_uq UNIQUE (cloud_phone_number_id),
    ADD CONSTRAINT sessions_attempts_ck CHECK (connection_attempts >= 0);

-- GET /problematic: sessions of a tenant with many attempts (failed/banned use sessions_tenant_status_idx)
CREATE INDEX sessions_tenant_attempts_idx ON session.sessions (tenant_id, connection_attempts DESC);
-- listing, newest first
CREATE INDEX sessions_tenant_created_idx ON session.sessions (tenant_id, created_at DESC, id DESC);
-- cleanup of inactive sessions: everything not connected nor already inactive, by last sign of life
CREATE INDEX sessions_idle_since_idx ON session.sessions
    ((COALESCE(GREATEST(last_activity_at, last_connected_at), created_at)))
    WHERE status NOT IN ('connected', 'inactive');

-- Idempotency-Key of POST /api/v1/sessions: a repeated request (same tenant and key) answers the session the first
-- one created. The fingerprint is a SHA-256 of the request's non-secret fields (name, transport, phone-number id),
-- so a key reused for another request is refused; credentials never reach this table in any form. The key lives as
-- long as its session and at most conversa.session.idempotency.key-ttl; the FK is deferred because the key is
-- claimed before the session row is written (that ordering makes concurrent repeats wait for the first one).
CREATE TABLE session.idempotency_keys (
    tenant_id       text        NOT NULL,
    idempotency_key text        NOT NULL,
    fingerprint     text        NOT NULL,
    session_id      uuid        NOT NULL
        REFERENCES session.sessions (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, idempotency_key)
);

CREATE INDEX idempotency_keys_session_idx ON session.idempotency_keys (session_id);
CREATE INDEX idempotency_keys_created_idx ON session.idempotency_keys (created_at);
