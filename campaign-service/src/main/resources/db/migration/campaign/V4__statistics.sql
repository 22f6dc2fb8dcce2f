-- Campaign statistics, maintained incrementally by dev.conversa.campaign.stats.StatisticsStore in the transaction that
-- moves the recipients (one upsert per table per batch), so every dashboard request is an indexed read of a few
-- pre-aggregated rows, never a scan of recipients. Owned by the dashboards feature (dev.conversa.campaign.reports).
-- Counters count recipient outcomes: "sent" a recipient that first reached sent (or beyond), "delivered" one that first
-- reached delivered or read, "read" one that was read, "failed" one that failed for good. Days are calendar days in the
-- campaign's time zone.

-- per tenant and day: the month's figures are the sum of its (at most 31) daily rows
CREATE TABLE campaign.stats_daily (
    tenant_id text   NOT NULL,
    day       date   NOT NULL,
    sent      bigint NOT NULL DEFAULT 0,
    delivered bigint NOT NULL DEFAULT 0,
    read      bigint NOT NULL DEFAULT 0,
    failed    bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day)
);

-- per tenant, day and contact group ('' = recipients without a group); a recipient in two groups counts in both
CREATE TABLE campaign.stats_group_daily (
    tenant_id  text   NOT NULL,
    day        date   NOT NULL,
    group_name text   NOT NULL,
    sent       bigint NOT NULL DEFAULT 0,
    delivered  bigint NOT NULL DEFAULT 0,
    read       bigint NOT NULL DEFAULT 0,
    failed     bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, day, group_name)
);

-- per tenant and phone, all time: the top contacts are the first rows of stats_contact_top_idx
CREATE TABLE campaign.stats_contact (
    tenant_id  text        NOT NULL,
    phone      text        NOT NULL,
    contact_id uuid,
    sent       bigint      NOT NULL DEFAULT 0,
    delivered  bigint      NOT NULL DEFAULT 0,
    read       bigint      NOT NULL DEFAULT 0,
    failed     bigint      NOT NULL DEFAULT 0,
    last_at    timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, phone)
);

CREATE INDEX stats_contact_top_idx ON campaign.stats_contact (tenant_id, sent DESC, phone);

-- per campaign and failure reason ('unknown' when the failure carried none)
CREATE TABLE campaign.stats_failure_reasons (
    tenant_id   text   NOT NULL,
    campaign_id uuid   NOT NULL,
    reason      text   NOT NULL,
    count       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, campaign_id, reason)
);

-- the CSV export walks a campaign's recipients in id order, a page at a time (keyset)
CREATE INDEX recipients_campaign_id_idx ON campaign.recipients (campaign_id, id);
