-- Alerts about followup itself (work waiting past its expected time: an
-- archived task, a worker that does not run) go to the admins, who run
-- it. The reconciler now delivers an undelivered alert however old it is:
-- the email channel gets an index of its own, so its query does not read
-- every alert when no webhook is configured.

-- +goose Up
ALTER TABLE alerts DROP CONSTRAINT alerts_audience_check,
    ADD CONSTRAINT alerts_audience_check CHECK (audience IN ('cx', 'owner', 'managers', 'admins'));
CREATE INDEX alerts_email_undelivered ON alerts (created_at) WHERE email_delivered_at IS NULL;

-- +goose Down
DROP INDEX alerts_email_undelivered;
DELETE FROM alerts WHERE audience = 'admins';
ALTER TABLE alerts DROP CONSTRAINT alerts_audience_check,
    ADD CONSTRAINT alerts_audience_check CHECK (audience IN ('cx', 'owner', 'managers'));
