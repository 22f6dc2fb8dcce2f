-- Assignment state: agents' load, one routing row per conversation (its state doubles as the waiting queue),
-- per-session and per-tenant routing settings.

-- active: conversations assigned to the agent now; only changed under the tenant's lock (see AssignmentEngine).
-- It may exceed max_concurrent only when a supervisor lowers the capacity of a busy agent.
ALTER TABLE distribution.agents
    ADD COLUMN active     integer     NOT NULL DEFAULT 0 CHECK (active >= 0),
    ADD COLUMN version    bigint      NOT NULL DEFAULT 0,
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();

-- One row per conversation, inserted once (the primary key makes a redelivered 'opened' a no-op).
-- state: bot (the bot answers), waiting (in the queue, oldest waiting_since first), assigned (agent_id handles it),
-- closed. version grows with every change and names the event announcing it (deterministic event ids).
CREATE TABLE distribution.conversations (
    conversation_id   uuid        PRIMARY KEY,
    tenant_id         text        NOT NULL,
    session_id        uuid        NOT NULL,
    contact_phone     text        NOT NULL,
    state             text        NOT NULL CHECK (state IN ('bot', 'waiting', 'assigned', 'closed')),
    agent_id          text,
    team              text        NOT NULL DEFAULT '',
    skill             text,
    opened_at         timestamptz NOT NULL,
    bot_since         timestamptz,
    waiting_since     timestamptz,
    queue_seq         bigint,
    assigned_at       timestamptz,
    wait_alerted      boolean     NOT NULL DEFAULT false,
    last_event        text,
    last_reason       text,
    previous_agent_id text,
    version           bigint      NOT NULL DEFAULT 0,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((state = 'assigned') = (agent_id IS NOT NULL))
);

CREATE SEQUENCE distribution.queue_seq;

CREATE INDEX conversations_waiting ON distribution.conversations (tenant_id, waiting_since, queue_seq)
    WHERE state = 'waiting';
CREATE INDEX conversations_by_agent ON distribution.conversations (tenant_id, agent_id)
    WHERE state = 'assigned';
CREATE INDEX conversations_with_bot ON distribution.conversations (bot_since)
    WHERE state = 'bot';

-- How a session's new conversations are routed. No row: no bot, any team, no skill, the tenant's keywords.
CREATE TABLE distribution.session_routing (
    tenant_id           text        NOT NULL,
    session_id          uuid        NOT NULL,
    bot_enabled         boolean     NOT NULL DEFAULT false,
    team                text        NOT NULL DEFAULT '',
    skill               text,
    escalation_keywords text[],
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, session_id)
);

-- Tenant-wide settings. No row: agents going offline keep their conversations; default keywords.
CREATE TABLE distribution.tenant_settings (
    tenant_id           text        PRIMARY KEY,
    release_on_offline  boolean     NOT NULL DEFAULT false,
    escalation_keywords text[],
    updated_at          timestamptz NOT NULL DEFAULT now()
);
