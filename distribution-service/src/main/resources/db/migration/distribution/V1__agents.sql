-- Routing records of agents and the round-robin pointer per tenant and team.
CREATE TABLE distribution.agents (
    tenant_id       text        NOT NULL,
    user_id         text        NOT NULL,
    display_name    text        NOT NULL,
    status          text        NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'away', 'busy', 'offline')),
    max_concurrent  integer     NOT NULL DEFAULT 10 CHECK (max_concurrent >= 0),
    skills          text[]      NOT NULL DEFAULT '{}',
    team            text,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);

CREATE TABLE distribution.round_robin_pointers (
    tenant_id     text NOT NULL,
    team          text NOT NULL DEFAULT '',
    last_agent_id text,
    PRIMARY KEY (tenant_id, team)
);
