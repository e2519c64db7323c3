-- Alerts: what the CX team or the managers must hear about at once (a
-- complaint opened, a deadline near or breached, a double deviation, a
-- barometer out of range), delivered by webhook and by email. The id is
-- deterministic, so an alert raised twice is stored once, and receivers can
-- drop repeats.

-- +goose Up
CREATE TABLE alerts (
    id                   text PRIMARY KEY,
    kind                 text NOT NULL,
    audience             text NOT NULL DEFAULT 'cx' CHECK (audience IN ('cx', 'managers')),
    complaint_id         bigint,
    text                 text NOT NULL,
    data                 jsonb NOT NULL DEFAULT '{}',
    created_at           timestamptz NOT NULL,
    webhook_delivered_at timestamptz,
    email_delivered_at   timestamptz,
    attempts             integer NOT NULL DEFAULT 0,
    last_error           text NOT NULL DEFAULT ''
);
CREATE INDEX alerts_undelivered ON alerts (created_at) WHERE webhook_delivered_at IS NULL OR email_delivered_at IS NULL;
CREATE INDEX alerts_complaint ON alerts (complaint_id);

-- +goose Down
DROP TABLE alerts;
