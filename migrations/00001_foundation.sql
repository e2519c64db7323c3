-- The foundation: customers and their service events, versioned surveys,
-- campaigns, invitations, responses, complaints and their audit trail.
-- Constraints guard the invariants the code relies on: one event per external
-- id, one invitation per campaign and event, one response per invitation, one
-- complaint per response.

-- +goose Up
CREATE TABLE customers (
    id                 bigserial PRIMARY KEY,
    external_ref       text NOT NULL UNIQUE CHECK (external_ref <> ''),
    email              text NOT NULL CHECK (email LIKE '_%@_%'),
    name               text NOT NULL DEFAULT '',
    locale             text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'fr')),
    time_zone          text NOT NULL DEFAULT 'UTC',
    segment            text NOT NULL DEFAULT '',
    annual_value_cents bigint NOT NULL DEFAULT 0 CHECK (annual_value_cents >= 0),
    opted_out_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE service_events (
    id              bigserial PRIMARY KEY,
    external_id     text NOT NULL UNIQUE CHECK (external_id <> ''),
    customer_id     bigint NOT NULL REFERENCES customers (id),
    kind            text NOT NULL CHECK (kind <> ''),
    channel         text NOT NULL DEFAULT '',
    touchpoint      text NOT NULL DEFAULT '',
    team            text NOT NULL DEFAULT '',
    occurred_at     timestamptz NOT NULL,
    prejudice_cents bigint CHECK (prejudice_cents >= 0),
    attributes      jsonb NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_events_customer ON service_events (customer_id, occurred_at);

CREATE TABLE surveys (
    id         bigserial PRIMARY KEY,
    slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]*$'),
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A survey's questions never change under existing answers: an edit makes a
-- new version, and invitations and responses point at the version they used.
CREATE TABLE survey_versions (
    id         bigserial PRIMARY KEY,
    survey_id  bigint NOT NULL REFERENCES surveys (id),
    version    integer NOT NULL CHECK (version > 0),
    thresholds jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (survey_id, version)
);

CREATE TABLE survey_questions (
    id                bigserial PRIMARY KEY,
    survey_version_id bigint NOT NULL REFERENCES survey_versions (id) ON DELETE CASCADE,
    position          integer NOT NULL,
    key               text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]*$'),
    kind              text NOT NULL CHECK (kind IN ('likert5', 'likert7', 'rating10', 'single', 'multi', 'text')),
    dimension         text NOT NULL DEFAULT 'none'
                      CHECK (dimension IN ('distributive', 'procedural', 'interactional', 'overall', 'none')),
    reverse           boolean NOT NULL DEFAULT false,
    required          boolean NOT NULL DEFAULT false,
    wording           jsonb NOT NULL,
    options           jsonb NOT NULL DEFAULT '[]',
    UNIQUE (survey_version_id, key),
    UNIQUE (survey_version_id, position)
);

CREATE TABLE campaigns (
    id                     bigserial PRIMARY KEY,
    name                   text NOT NULL UNIQUE CHECK (name <> ''),
    survey_id              bigint NOT NULL REFERENCES surveys (id),
    state                  text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'active', 'paused', 'archived')),
    trigger_kind           text NOT NULL DEFAULT 'event' CHECK (trigger_kind IN ('event', 'once', 'recurring')),
    event_kinds            text[] NOT NULL DEFAULT '{}',
    delay_seconds          integer NOT NULL DEFAULT 0 CHECK (delay_seconds >= 0),
    invitation_ttl_seconds integer NOT NULL DEFAULT 2592000 CHECK (invitation_ttl_seconds > 0),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_active_kinds ON campaigns USING gin (event_kinds) WHERE state = 'active';

-- An invitation moves scheduled -> queued (claimed into a send batch) ->
-- sending -> sent -> answered, or ends expired, suppressed or failed.
CREATE SEQUENCE send_batch_seq;
CREATE TABLE invitations (
    id                bigserial PRIMARY KEY,
    campaign_id       bigint NOT NULL REFERENCES campaigns (id),
    customer_id       bigint NOT NULL REFERENCES customers (id),
    event_id          bigint REFERENCES service_events (id),
    survey_version_id bigint NOT NULL REFERENCES survey_versions (id),
    state             text NOT NULL DEFAULT 'scheduled'
                      CHECK (state IN ('scheduled', 'queued', 'sending', 'sent', 'answered', 'expired', 'suppressed', 'failed')),
    scheduled_for     timestamptz NOT NULL,
    batch_id          bigint,
    queued_at         timestamptz,
    sending_at        timestamptz,
    sent_at           timestamptz,
    answered_at       timestamptz,
    expires_at        timestamptz,
    attempts          integer NOT NULL DEFAULT 0,
    message_id        text,
    reason            text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (campaign_id, event_id)
);
CREATE INDEX invitations_due ON invitations (scheduled_for) WHERE state = 'scheduled';
CREATE INDEX invitations_in_flight ON invitations (batch_id) WHERE state IN ('queued', 'sending');
CREATE INDEX invitations_customer ON invitations (customer_id);

CREATE TABLE responses (
    id                  bigserial PRIMARY KEY,
    invitation_id       bigint NOT NULL UNIQUE REFERENCES invitations (id),
    customer_id         bigint NOT NULL REFERENCES customers (id),
    survey_version_id   bigint NOT NULL REFERENCES survey_versions (id),
    locale              text NOT NULL CHECK (locale IN ('en', 'fr')),
    answers             jsonb NOT NULL,
    comment             text NOT NULL DEFAULT '',
    submitted_at        timestamptz NOT NULL,
    scored_at           timestamptz,
    score_distributive  numeric(5, 2),
    score_procedural    numeric(5, 2),
    score_interactional numeric(5, 2),
    score_overall       numeric(5, 2),
    nps                 smallint CHECK (nps BETWEEN 0 AND 10),
    nps_category        text CHECK (nps_category IN ('detractor', 'passive', 'promoter')),
    negative            boolean,
    reasons             jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX responses_unscored ON responses (submitted_at) WHERE scored_at IS NULL;
CREATE INDEX responses_customer ON responses (customer_id);

CREATE TABLE complaints (
    id          bigserial PRIMARY KEY,
    response_id bigint NOT NULL UNIQUE REFERENCES responses (id),
    customer_id bigint NOT NULL REFERENCES customers (id),
    state       text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'in_progress', 'resolved')),
    priority    smallint NOT NULL CHECK (priority BETWEEN 1 AND 4),
    opened_at   timestamptz NOT NULL,
    due_at      timestamptz NOT NULL,
    reasons     jsonb NOT NULL DEFAULT '[]',
    resolved_at timestamptz,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX complaints_queue ON complaints (state, due_at);
CREATE INDEX complaints_customer ON complaints (customer_id);

-- Every change to a complaint, with who and when: the audit trail.
CREATE TABLE complaint_events (
    id           bigserial PRIMARY KEY,
    complaint_id bigint NOT NULL REFERENCES complaints (id),
    kind         text NOT NULL,
    actor        text NOT NULL DEFAULT 'system',
    data         jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);

-- +goose Down
DROP TABLE complaint_events;
DROP TABLE complaints;
DROP TABLE responses;
DROP TABLE invitations;
DROP SEQUENCE send_batch_seq;
DROP TABLE campaigns;
DROP TABLE survey_questions;
DROP TABLE survey_versions;
DROP TABLE surveys;
DROP TABLE service_events;
DROP TABLE customers;
