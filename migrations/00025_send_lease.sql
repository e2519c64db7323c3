-- A send batch's lease is renewed by the worker sending it (heartbeat_at),
-- so a batch abandoned by a dead worker is taken over within a minute; an
-- invitation remembers when its current email first failed temporarily
-- (first_failed_at), so it is given up after a period of time, not a count
-- of attempts.
-- +goose Up
ALTER TABLE send_batches ADD COLUMN heartbeat_at timestamptz;
ALTER TABLE invitations ADD COLUMN first_failed_at timestamptz;

-- +goose Down
ALTER TABLE invitations DROP COLUMN first_failed_at;
ALTER TABLE send_batches DROP COLUMN heartbeat_at;
