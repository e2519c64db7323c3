-- The CX team's work on a complaint (issue 6): one owner at a time, the
-- customer's acknowledgement and the promise it made, replies, compensation
-- granted, resolution, reopening, deadline warnings and breaches, the
-- recovery survey after resolution and the double deviation when recovery
-- fails, and the deviance the agent faces.

-- +goose Up
ALTER TABLE complaints
    ADD COLUMN owner_id                   bigint REFERENCES users (id),
    ADD COLUMN team                       text NOT NULL DEFAULT '',
    ADD COLUMN acknowledged_at            timestamptz,
    ADD COLUMN promised_due_at            timestamptz,
    ADD COLUMN first_action_at            timestamptz,
    ADD COLUMN resolution                 text NOT NULL DEFAULT '',
    ADD COLUMN compensation_granted_cents bigint NOT NULL DEFAULT 0 CHECK (compensation_granted_cents >= 0),
    ADD COLUMN reopened_count             integer NOT NULL DEFAULT 0,
    ADD COLUMN double_deviation           boolean NOT NULL DEFAULT false,
    ADD COLUMN double_deviation_reason    text NOT NULL DEFAULT '',
    ADD COLUMN deadline_warned_at         timestamptz,
    ADD COLUMN deadline_breached_at       timestamptz,
    ADD COLUMN recovery_outcome           text NOT NULL DEFAULT '' CHECK (recovery_outcome IN ('', 'positive', 'negative')),
    ADD COLUMN substance_deviance         text NOT NULL DEFAULT ''
        CHECK (substance_deviance IN ('', 'inadmissible', 'fraud', 'injustice', 'disproportion', 'improbability'));
CREATE INDEX complaints_owner ON complaints (owner_id) WHERE state <> 'resolved';
CREATE INDEX complaints_deadlines ON complaints (due_at) WHERE state <> 'resolved';

-- Recovery surveys go out through a system campaign of their own kind, and
-- the invitation says which complaint it follows up.
ALTER TABLE campaigns DROP CONSTRAINT campaigns_trigger_kind_check,
    ADD CONSTRAINT campaigns_trigger_kind_check CHECK (trigger_kind IN ('event', 'once', 'recurring', 'recovery'));
ALTER TABLE invitations ADD COLUMN complaint_id bigint REFERENCES complaints (id);
CREATE UNIQUE INDEX invitations_recovery ON invitations (complaint_id, occurrence) WHERE complaint_id IS NOT NULL;

-- +goose Down
DROP INDEX invitations_recovery;
ALTER TABLE invitations DROP COLUMN complaint_id;
DELETE FROM campaigns WHERE trigger_kind = 'recovery';
ALTER TABLE campaigns DROP CONSTRAINT campaigns_trigger_kind_check,
    ADD CONSTRAINT campaigns_trigger_kind_check CHECK (trigger_kind IN ('event', 'once', 'recurring'));
DROP INDEX complaints_deadlines;
DROP INDEX complaints_owner;
ALTER TABLE complaints
    DROP COLUMN substance_deviance, DROP COLUMN recovery_outcome, DROP COLUMN deadline_breached_at,
    DROP COLUMN deadline_warned_at, DROP COLUMN double_deviation_reason, DROP COLUMN double_deviation,
    DROP COLUMN reopened_count, DROP COLUMN compensation_granted_cents, DROP COLUMN resolution,
    DROP COLUMN first_action_at, DROP COLUMN promised_due_at, DROP COLUMN acknowledged_at,
    DROP COLUMN team, DROP COLUMN owner_id;
