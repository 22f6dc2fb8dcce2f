-- Contacts get groups and tags (labels, many per contact), opt-out details and a version; CSV imports are jobs with
-- their counters and their rejected lines. Owned by the contacts feature (dev.conversa.campaign.contacts).
ALTER TABLE campaign.contacts
    ADD COLUMN groups         text[]      NOT NULL DEFAULT '{}',
    ADD COLUMN tags           text[]      NOT NULL DEFAULT '{}',
    ADD COLUMN opted_out_at   timestamptz,
    ADD COLUMN opt_out_reason text,
    ADD COLUMN version        bigint      NOT NULL DEFAULT 0;

CREATE INDEX contacts_groups_idx ON campaign.contacts USING gin (groups);
CREATE INDEX contacts_tags_idx ON campaign.contacts USING gin (tags);
CREATE INDEX contacts_tenant_created_idx ON campaign.contacts (tenant_id, created_at DESC, id DESC);

CREATE TABLE campaign.contact_imports (
    id             uuid PRIMARY KEY,
    tenant_id      text        NOT NULL,
    file_name      text,
    status         text        NOT NULL DEFAULT 'processing'
        CHECK (status IN ('processing', 'completed', 'failed')),
    default_region text        NOT NULL,
    rows_read      bigint      NOT NULL DEFAULT 0,
    accepted       bigint      NOT NULL DEFAULT 0,
    rejected       bigint      NOT NULL DEFAULT 0,
    duplicates     bigint      NOT NULL DEFAULT 0,
    error          text,
    created_by     text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz
);

CREATE INDEX contact_imports_tenant_idx ON campaign.contact_imports (tenant_id, created_at DESC);

CREATE TABLE campaign.contact_import_rejections (
    import_id uuid   NOT NULL REFERENCES campaign.contact_imports (id) ON DELETE CASCADE,
    line      bigint NOT NULL,
    reason    text   NOT NULL,
    PRIMARY KEY (import_id, line)
);
