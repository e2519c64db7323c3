-- Campaign rules for marketing: triggers (after an event, once at a date, on
-- a recurring schedule), audience filters, send window in the customer's own
-- time zone, frequency cap across campaigns, reminders. Invitations learn
-- about audience occurrences and reminders; customers remember their last
-- contact so the frequency cap holds under concurrency.

-- +goose Up
ALTER TABLE campaigns
    ADD COLUMN run_at             timestamptz,
    ADD COLUMN cron_spec          text NOT NULL DEFAULT '',
    ADD COLUMN schedule_time_zone text NOT NULL DEFAULT 'UTC',
    ADD COLUMN next_run_at        timestamptz,
    ADD COLUMN last_run_at        timestamptz,
    ADD COLUMN audience           jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN window_start_hour  smallint NOT NULL DEFAULT 9 CHECK (window_start_hour BETWEEN 0 AND 23),
    ADD COLUMN window_end_hour    smallint NOT NULL DEFAULT 19 CHECK (window_end_hour BETWEEN 1 AND 24),
    ADD COLUMN window_weekdays    smallint[] NOT NULL DEFAULT '{1,2,3,4,5,6}',
    ADD COLUMN frequency_cap_days integer NOT NULL DEFAULT 30 CHECK (frequency_cap_days BETWEEN 0 AND 365),
    ADD COLUMN reminder_days      integer[] NOT NULL DEFAULT '{}',
    ADD CONSTRAINT campaigns_window CHECK (window_start_hour < window_end_hour),
    ADD CONSTRAINT campaigns_reminders CHECK (cardinality(reminder_days) <= 3);
CREATE INDEX campaigns_next_run ON campaigns (next_run_at) WHERE state = 'active' AND trigger_kind <> 'event';

ALTER TABLE invitations
    ADD COLUMN occurrence       timestamptz,
    ADD COLUMN send_kind        text NOT NULL DEFAULT 'invitation' CHECK (send_kind IN ('invitation', 'reminder')),
    ADD COLUMN reminders_sent   integer NOT NULL DEFAULT 0,
    ADD COLUMN next_reminder_at timestamptz,
    ADD COLUMN last_sent_at     timestamptz;
-- One invitation per customer and occurrence of an audience campaign.
CREATE UNIQUE INDEX invitations_occurrence ON invitations (campaign_id, customer_id, occurrence) WHERE event_id IS NULL;
CREATE INDEX invitations_reminders_due ON invitations (next_reminder_at) WHERE state = 'sent' AND next_reminder_at IS NOT NULL;
-- The sweep walks due invitations in (scheduled_for, id) order from where
-- its previous claim stopped, so it never rescans the entries it claimed.
DROP INDEX invitations_due;
CREATE INDEX invitations_due ON invitations (scheduled_for, id) WHERE state = 'scheduled';

-- A send batch is the unit of work of one survey:send task. The batch, not
-- each invitation, records that a worker holds it (one write per batch):
-- an invitation is written when the sweep queues it and when it is sent.
DROP INDEX invitations_in_flight;
CREATE TABLE send_batches (
    id             bigint PRIMARY KEY,
    invitation_ids bigint[] NOT NULL,
    state          text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sending', 'done')),
    attempts       integer NOT NULL DEFAULT 0,
    created_at     timestamptz NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz
);
CREATE INDEX send_batches_open ON send_batches (created_at) WHERE state <> 'done';

ALTER TABLE customers
    ADD COLUMN last_contacted_at          timestamptz,
    ADD COLUMN last_contact_invitation_id bigint;

-- +goose Down
DROP TABLE send_batches;
CREATE INDEX invitations_in_flight ON invitations (batch_id) WHERE state IN ('queued', 'sending');
DROP INDEX invitations_due;
CREATE INDEX invitations_due ON invitations (scheduled_for) WHERE state = 'scheduled';
ALTER TABLE customers DROP COLUMN last_contact_invitation_id, DROP COLUMN last_contacted_at;
DROP INDEX invitations_reminders_due;
DROP INDEX invitations_occurrence;
ALTER TABLE invitations DROP COLUMN last_sent_at, DROP COLUMN next_reminder_at, DROP COLUMN reminders_sent,
    DROP COLUMN send_kind, DROP COLUMN occurrence;
DROP INDEX campaigns_next_run;
ALTER TABLE campaigns DROP CONSTRAINT campaigns_reminders, DROP CONSTRAINT campaigns_window,
    DROP COLUMN reminder_days, DROP COLUMN frequency_cap_days, DROP COLUMN window_weekdays,
    DROP COLUMN window_end_hour, DROP COLUMN window_start_hour, DROP COLUMN audience, DROP COLUMN last_run_at,
    DROP COLUMN next_run_at, DROP COLUMN schedule_time_zone, DROP COLUMN cron_spec, DROP COLUMN run_at;
