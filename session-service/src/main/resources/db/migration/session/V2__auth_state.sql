-- A session's credentials (linked-device keys, Cloud API tokens), encrypted with AES-256-GCM by the service.
-- The database never holds plaintext: a dump without the key (configuration, never the repository) is useless.
CREATE TABLE session.auth_state (
    session_id  uuid PRIMARY KEY REFERENCES session.sessions (id) ON DELETE CASCADE,
    tenant_id   text        NOT NULL,
    key_id      text        NOT NULL,
    nonce       bytea       NOT NULL,
    ciphertext  bytea       NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    version     bigint      NOT NULL DEFAULT 0
);

CREATE INDEX auth_state_key_idx ON session.auth_state (key_id);
