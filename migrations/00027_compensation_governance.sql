-- Compensation governance (#15): amounts carry a currency, and a grant above
-- the advice's range or the agent's limit waits for a manager's approval.

-- +goose Up
-- The customer's billing currency (ISO 4217), when known; otherwise the
-- configured currency (FOLLOWUP_CURRENCY).
ALTER TABLE customers ADD COLUMN currency text CHECK (currency ~ '^[A-Z]{3}$');

-- Every compensation asked for a complaint: granted at once within policy,
-- or pending until a manager approves or refuses it, with why.
CREATE TABLE compensation_grants (
    id              bigserial PRIMARY KEY,
    complaint_id    bigint      NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
    cents           bigint      NOT NULL CHECK (cents > 0),
    currency        text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    note            text        NOT NULL DEFAULT '',
    state           text        NOT NULL CHECK (state IN ('granted', 'pending', 'approved', 'refused')),
    -- why it needed approval (above the advice, above the limit), for the manager
    reasons         text[]      NOT NULL DEFAULT '{}',
    requested_by    bigint      REFERENCES users(id) ON DELETE SET NULL,
    requested_at    timestamptz NOT NULL,
    decided_by      bigint      REFERENCES users(id) ON DELETE SET NULL,
    decided_at      timestamptz,
    decision_reason text        NOT NULL DEFAULT '',
    message_id      bigint      REFERENCES complaint_messages(id) ON DELETE SET NULL
);
CREATE INDEX compensation_grants_complaint ON compensation_grants (complaint_id);
CREATE INDEX compensation_grants_pending ON compensation_grants (requested_at) WHERE state = 'pending';

-- +goose Down
DROP TABLE compensation_grants;
ALTER TABLE customers DROP COLUMN currency;
