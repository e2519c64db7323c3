-- The external loop (issue 7): the barometer's breaches, corrective and
-- preventive action plans, and the weekly report to managers. Reports read
-- replies by submission time and complaints by opening time: both get an
-- index (neither column changes after insert, so updates stay HOT).

-- +goose Up
CREATE INDEX responses_submitted ON responses (submitted_at);
CREATE INDEX complaints_opened ON complaints (opened_at);

-- One row per breach of a barometer threshold: opened when the indicator
-- leaves its range (the managers are alerted once, by alert_id), cleared
-- when it is back in range. At most one open breach per indicator.
CREATE TABLE barometer_breaches (
    id             bigserial PRIMARY KEY,
    indicator      text NOT NULL CHECK (indicator <> ''),
    op             text NOT NULL CHECK (op IN ('>=', '<=')),
    threshold      double precision NOT NULL,
    value          double precision NOT NULL,
    sample         integer NOT NULL DEFAULT 0,
    started_at     timestamptz NOT NULL,
    alert_id       text NOT NULL,
    cleared_at     timestamptz,
    cleared_value  double precision,
    cleared_reason text NOT NULL DEFAULT '' CHECK (cleared_reason IN ('', 'in_range', 'unwatched'))
);
CREATE UNIQUE INDEX barometer_breaches_open ON barometer_breaches (indicator) WHERE cleared_at IS NULL;
CREATE INDEX barometer_breaches_started ON barometer_breaches (started_at);

-- Corrective and preventive actions, shared across departments: linked to
-- a cause (a risk of dissatisfaction, a touchpoint or a team), one owner, a
-- due date and a state. starts_on is when the action took effect: its
-- effectiveness compares the replies before and after it.
CREATE TABLE action_plans (
    id          bigserial PRIMARY KEY,
    title       text NOT NULL CHECK (title <> '' AND length(title) <= 200),
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    kind        text NOT NULL CHECK (kind IN ('corrective', 'preventive')),
    cause_kind  text NOT NULL CHECK (cause_kind IN ('risk', 'touchpoint', 'team')),
    cause_value text NOT NULL CHECK (cause_value <> '' AND length(cause_value) <= 200),
    owner_id    bigint NOT NULL REFERENCES users (id),
    starts_on   date NOT NULL,
    due_on      date NOT NULL,
    state       text NOT NULL DEFAULT 'planned' CHECK (state IN ('planned', 'in_progress', 'done', 'cancelled')),
    done_at     timestamptz,
    created_by  bigint REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX action_plans_due ON action_plans (due_on) WHERE state IN ('planned', 'in_progress');

-- The weekly report: one row per ISO week once it is due, one delivery per
-- manager, so a retried task mails only those it missed and a fail-over
-- never mails a week twice.
CREATE TABLE weekly_reports (
    week       text PRIMARY KEY CHECK (week ~ '^[0-9]{4}-W[0-9]{2}$'),
    created_at timestamptz NOT NULL,
    sent_at    timestamptz,
    recipients integer NOT NULL DEFAULT 0
);
CREATE TABLE weekly_report_deliveries (
    week    text NOT NULL REFERENCES weekly_reports (week),
    email   text NOT NULL,
    sent_at timestamptz NOT NULL,
    PRIMARY KEY (week, email)
);

-- +goose Down
DROP TABLE weekly_report_deliveries;
DROP TABLE weekly_reports;
DROP TABLE action_plans;
DROP TABLE barometer_breaches;
DROP INDEX complaints_opened;
DROP INDEX responses_submitted;
