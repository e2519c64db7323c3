-- Delivery: addresses that must not be emailed (a bounce, an unsubscribe),
-- checked before every send, whichever customer record carries them.

-- +goose Up
CREATE TABLE email_suppressions (
    email      text PRIMARY KEY CHECK (email = lower(email)),
    reason     text NOT NULL CHECK (reason IN ('bounced', 'unsubscribed')),
    detail     text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE email_suppressions;
