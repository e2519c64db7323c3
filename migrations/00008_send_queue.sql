-- The queue of due sends: one narrow row per invitation or reminder waiting
-- for its time. The sweep claims due rows by deleting them (no index to
-- grow), and no index on invitations mentions its state any more, so the
-- invitation's own state changes (queued, sent) can be HOT updates that
-- leave its indexes alone. fillfactor leaves room on each page for them.

-- +goose Up
CREATE TABLE due_sends (
    invitation_id bigint NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    due_at        timestamptz NOT NULL,
    campaign_id   bigint NOT NULL,
    customer_id   bigint NOT NULL,
    PRIMARY KEY (invitation_id, kind)
);
CREATE INDEX due_sends_due ON due_sends (due_at, invitation_id);
INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
    SELECT id, 'invitation', scheduled_for, campaign_id, customer_id FROM invitations WHERE state = 'scheduled';
INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
    SELECT id, 'reminder', next_reminder_at, campaign_id, customer_id FROM invitations
    WHERE state = 'sent' AND next_reminder_at IS NOT NULL;
DROP INDEX invitations_due;
DROP INDEX invitations_reminders_due;
ALTER TABLE invitations SET (fillfactor = 80);
-- The frequency cap records each customer's last contact at send time.
ALTER TABLE customers SET (fillfactor = 80);

-- +goose Down
ALTER TABLE customers RESET (fillfactor);
ALTER TABLE invitations RESET (fillfactor);
CREATE INDEX invitations_reminders_due ON invitations (next_reminder_at) WHERE state = 'sent' AND next_reminder_at IS NOT NULL;
CREATE INDEX invitations_due ON invitations (scheduled_for, id) WHERE state = 'scheduled';
DROP TABLE due_sends;
