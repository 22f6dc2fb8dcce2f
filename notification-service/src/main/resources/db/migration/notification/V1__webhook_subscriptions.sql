-- Outbound webhook subscriptions of tenants. Secrets are stored encrypted by the service.
CREATE TABLE notification.webhook_subscriptions (
    id               uuid PRIMARY KEY,
    tenant_id        text        NOT NULL,
    url              text        NOT NULL,
    event_types      text[]      NOT NULL DEFAULT '{}',
    secret_encrypted bytea       NOT NULL,
    active           boolean     NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX webhook_subscriptions_tenant_idx ON notification.webhook_subscriptions (tenant_id);
