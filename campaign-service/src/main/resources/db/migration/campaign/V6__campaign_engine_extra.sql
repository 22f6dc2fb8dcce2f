-- What the campaign engine needs beyond V3 (owned by dev.conversa.campaign.campaigns and .dispatch).

-- Idempotency-Key of the creating POST: a retried create answers the same campaign.
ALTER TABLE campaign.campaigns
    ADD COLUMN idempotency_key       text,
    ADD COLUMN request_hash          text,
    -- when a progress event last announced the counters (progress is published only when updated_at is later)
    ADD COLUMN progress_published_at timestamptz;

CREATE UNIQUE INDEX campaigns_tenant_idempotency_key_uq ON campaign.campaigns (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX campaigns_tenant_created_idx ON campaign.campaigns (tenant_id, created_at DESC, id DESC);

ALTER TABLE campaign.recipients
    -- session-service acknowledged the command of the current attempt (status accepted or later)
    ADD COLUMN accepted_at       timestamptz,
    -- when the command of the current attempt was last (re-)published by the sweeper
    ADD COLUMN last_published_at timestamptz;

-- what the dispatcher claims, per campaign of a session, oldest due first (index scan with LIMIT, no sort)
CREATE INDEX recipients_claim_idx ON campaign.recipients (campaign_id, session_id, next_attempt_at, id)
    WHERE status = 'pending';
-- what the sweeper re-publishes: queued commands nobody acknowledged
CREATE INDEX recipients_unacknowledged_idx ON campaign.recipients (queued_at)
    WHERE status = 'queued' AND accepted_at IS NULL;
