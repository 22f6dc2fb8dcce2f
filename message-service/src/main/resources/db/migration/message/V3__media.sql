-- Media files: one row per stored file (uploaded by a user, or downloaded by session-service from WhatsApp).
-- The bytes live in the media storage (filesystem or S3) under storage_key = <tenant>/<id>.
CREATE TABLE message.media (
    id                uuid PRIMARY KEY,
    tenant_id         text        NOT NULL,
    conversation_id   uuid,
    message_id        uuid,
    -- inbound files: the message they came with, found by its dedup key (the message row may be written after
    -- this one: both come from wa.message.inbound, read by two consumer groups)
    session_id        uuid,
    wa_message_id     text,
    type              text        NOT NULL CHECK (type IN ('image', 'audio', 'video', 'document', 'sticker')),
    mime_type         text        NOT NULL,
    size_bytes        bigint      NOT NULL CHECK (size_bytes >= 0),
    -- lowercase hex SHA-256 of the stored bytes
    sha256            text        NOT NULL,
    original_filename text,
    storage_key       text        NOT NULL,
    -- clean: clamd found nothing; not-scanned: no clamd configured (infected files are never stored)
    scan_result       text        NOT NULL CHECK (scan_result IN ('clean', 'not-scanned')),
    -- user:<id> for uploads, session-service for inbound media
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX media_tenant_created_idx ON message.media (tenant_id, created_at DESC);
CREATE INDEX media_conversation_idx ON message.media (conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX media_inbound_message_idx ON message.media (session_id, wa_message_id) WHERE wa_message_id IS NOT NULL;
