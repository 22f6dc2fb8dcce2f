-- Webhook delivery log and e-mail alert queue: durable work rows claimed by every instance with
-- FOR UPDATE SKIP LOCKED. A claim pushes next_attempt_at forward by the lease and sets claim_token; an instance that
-- dies leaves the row to be claimed again once next_attempt_at has passed.

ALTER TABLE notification.webhook_subscriptions
    ADD COLUMN consecutive_failures int         NOT NULL DEFAULT 0,
    ADD COLUMN disabled_at          timestamptz,
    ADD COLUMN disabled_reason      text;

CREATE INDEX webhook_subscriptions_tenant_page_idx ON notification.webhook_subscriptions (tenant_id, id);

CREATE TABLE notification.webhook_deliveries (
    id               uuid PRIMARY KEY,
    subscription_id  uuid        NOT NULL REFERENCES notification.webhook_subscriptions (id) ON DELETE CASCADE,
    tenant_id        text        NOT NULL,
    event_id         text        NOT NULL,
    event_type       text        NOT NULL,
    -- the structured-mode CloudEvent exactly as POSTed (and signed) on every attempt
    body             text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    claimed_by       text,
    claim_token      uuid,
    last_status_code int,
    last_error       text,
    last_attempt_at  timestamptz,
    delivered_at     timestamptz,
    -- retries stop retry-for after this: creation, or the last manual replay
    retry_from       timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- a redelivered Kafka record is not delivered twice
    UNIQUE (subscription_id, event_id)
);

CREATE INDEX webhook_deliveries_due_idx ON notification.webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_history_idx ON notification.webhook_deliveries (subscription_id, id DESC);

-- Who receives a tenant's alert e-mails, and which kinds each wants (empty = every kind).
CREATE TABLE notification.alert_recipients (
    tenant_id  text        NOT NULL,
    email      text        NOT NULL,
    kinds      text[]      NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, email)
);

-- Alert e-mails to send, rendered when queued.
CREATE TABLE notification.alert_emails (
    id              uuid PRIMARY KEY,
    tenant_id       text        NOT NULL,
    event_id        text        NOT NULL,
    kind            text        NOT NULL,
    recipient       text        NOT NULL,
    subject         text        NOT NULL,
    body            text        NOT NULL,
    status          text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        int         NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claimed_by      text,
    claim_token     uuid,
    last_error      text,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    -- a redelivered event e-mails each recipient once
    UNIQUE (event_id, recipient)
);

CREATE INDEX alert_emails_due_idx ON notification.alert_emails (next_attempt_at) WHERE status = 'pending';
