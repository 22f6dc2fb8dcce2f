-- Contacts (upserted by tenant and E.164 phone) and campaigns.
CREATE TABLE campaign.contacts (
    id         uuid PRIMARY KEY,
    tenant_id  text        NOT NULL,
    phone      text        NOT NULL,
    name       text,
    attributes jsonb       NOT NULL DEFAULT '{}'::jsonb,
    opted_out  boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contacts_tenant_phone_uq UNIQUE (tenant_id, phone)
);

CREATE TABLE campaign.campaigns (
    id         uuid PRIMARY KEY,
    tenant_id  text        NOT NULL,
    name       text        NOT NULL,
    status     text        NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'finished', 'cancelled')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    bigint      NOT NULL DEFAULT 0
);

CREATE INDEX campaigns_tenant_status_idx ON campaign.campaigns (tenant_id, status);
