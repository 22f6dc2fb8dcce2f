-- The campaign engine: what a campaign sends, to whom, from which sessions and when; its recipients with their
-- per-attempt state; the pace of each sending session. Owned by dev.conversa.campaign.campaigns (definition,
-- controls) and dev.conversa.campaign.dispatch (claiming, pacing, sending, status updates).
ALTER TABLE campaign.campaigns
    ADD COLUMN session_ids    uuid[]      NOT NULL DEFAULT '{}',
    -- {"groups": [...], "tags": [...], "contactIds": [...]}
    ADD COLUMN audience       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- {"text": "Hola {{name|cliente}}", "media": {...}} or {"template": {"name", "language", "parameters": [...]}}
    ADD COLUMN message        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    ADD COLUMN time_zone      text        NOT NULL DEFAULT 'UTC',
    ADD COLUMN starts_at      timestamptz,
    ADD COLUMN window_start   time,
    ADD COLUMN window_end     time,
    -- ISO days of the week on which it may send (1 = Monday … 7 = Sunday)
    ADD COLUMN days           smallint[]  NOT NULL DEFAULT '{1,2,3,4,5,6,7}',
    ADD COLUMN max_attempts   int         NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 10),
    ADD COLUMN created_by     text,
    ADD COLUMN started_at     timestamptz,
    ADD COLUMN finished_at    timestamptz,
    -- per-recipient counters, kept in step with campaign.recipients by every transition
    ADD COLUMN total          bigint      NOT NULL DEFAULT 0,
    ADD COLUMN pending        bigint      NOT NULL DEFAULT 0,
    ADD COLUMN queued         bigint      NOT NULL DEFAULT 0,
    ADD COLUMN sent           bigint      NOT NULL DEFAULT 0,
    ADD COLUMN delivered      bigint      NOT NULL DEFAULT 0,
    ADD COLUMN read           bigint      NOT NULL DEFAULT 0,
    ADD COLUMN failed         bigint      NOT NULL DEFAULT 0,
    ADD COLUMN skipped        bigint      NOT NULL DEFAULT 0;

CREATE TABLE campaign.recipients (
    id              uuid PRIMARY KEY,
    campaign_id     uuid        NOT NULL REFERENCES campaign.campaigns (id) ON DELETE CASCADE,
    tenant_id       text        NOT NULL,
    contact_id      uuid,
    phone           text        NOT NULL,
    -- the contact's name, groups and attributes when the campaign started (placeholders, statistics)
    name            text,
    groups          text[]      NOT NULL DEFAULT '{}',
    attributes      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    session_id      uuid,
    status          text        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'queued', 'sent', 'delivered', 'read', 'failed', 'skipped')),
    attempt         int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    -- of the current attempt: "campaign:<recipient id>:<attempt>"
    idempotency_key text,
    message_id      uuid,
    wa_message_id   text,
    error_code      int,
    failure_reason  text,
    skip_reason     text        CHECK (skip_reason IN ('opted_out', 'invalid', 'duplicate')),
    queued_at       timestamptz,
    sent_at         timestamptz,
    delivered_at    timestamptz,
    read_at         timestamptz,
    failed_at       timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT recipients_campaign_phone_uq UNIQUE (campaign_id, phone)
);

-- what the dispatcher claims: due pending recipients of a session
CREATE INDEX recipients_due_idx ON campaign.recipients (session_id, next_attempt_at) WHERE status = 'pending';
CREATE UNIQUE INDEX recipients_idempotency_key_uq ON campaign.recipients (idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX recipients_campaign_status_idx ON campaign.recipients (campaign_id, status);

-- the pace of a sending number, shared by every campaign that sends from it
CREATE TABLE campaign.session_pacing (
    session_id          uuid PRIMARY KEY,
    tenant_id           text        NOT NULL,
    messages_per_minute int         NOT NULL DEFAULT 20 CHECK (messages_per_minute BETWEEN 1 AND 6000),
    jitter_percent      int         NOT NULL DEFAULT 20 CHECK (jitter_percent BETWEEN 0 AND 100),
    daily_cap           int         NOT NULL DEFAULT 1000 CHECK (daily_cap >= 1),
    -- warm-up of a new number: the daily cap starts at warmup_start_cap and grows linearly over warmup_days
    warmup_days         int         NOT NULL DEFAULT 0 CHECK (warmup_days >= 0),
    warmup_start_cap    int         NOT NULL DEFAULT 50 CHECK (warmup_start_cap >= 1),
    first_send_on       date,
    next_send_at        timestamptz NOT NULL DEFAULT now(),
    day                 date,
    sent_on_day         int         NOT NULL DEFAULT 0,
    version             bigint      NOT NULL DEFAULT 0,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
