-- The internal loop around a complaint (issue 6): who did what on it (the
-- audit trail names the user), the emails the customer gets about it (the
-- acknowledgement, the agents' replies, the resolution), the form deviance
-- the agent sees, alerts to a complaint's owner, and whether a survey spares
-- mild cases the acknowledgement.

-- +goose Up
ALTER TABLE complaint_events ADD COLUMN actor_id bigint REFERENCES users (id);

ALTER TABLE complaints
    ADD COLUMN form_deviance text[] NOT NULL DEFAULT '{}'
        CHECK (form_deviance <@ ARRAY['incivility', 'non_comprehension', 'non_cooperation', 'pretension', 'threat']::text[]);

-- Each email to the customer about a complaint is a row first, sent by a
-- task whose id is the row's: PostgreSQL says what is owed, a lost task is
-- found again by the reconciler, and a delivered message is never sent twice
-- by a retry (state moves from pending once).
CREATE TABLE complaint_messages (
    id           bigserial PRIMARY KEY,
    complaint_id bigint NOT NULL REFERENCES complaints (id),
    kind         text NOT NULL CHECK (kind IN ('acknowledgement', 'reply', 'resolution')),
    author_id    bigint REFERENCES users (id),
    subject      text NOT NULL DEFAULT '',
    body         text NOT NULL DEFAULT '',
    send_at      timestamptz NOT NULL,
    state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'skipped', 'failed')),
    reason       text NOT NULL DEFAULT '',
    attempts     integer NOT NULL DEFAULT 0,
    message_id   text NOT NULL DEFAULT '',
    sent_at      timestamptz,
    created_at   timestamptz NOT NULL
);
CREATE INDEX complaint_messages_pending ON complaint_messages (send_at) WHERE state = 'pending';
CREATE INDEX complaint_messages_complaint ON complaint_messages (complaint_id, id);

ALTER TABLE alerts DROP CONSTRAINT alerts_audience_check,
    ADD CONSTRAINT alerts_audience_check CHECK (audience IN ('cx', 'owner', 'managers'));

-- A mild case (the lowest priority, no escalation) may be spared the
-- acknowledgement email when its survey says so.
ALTER TABLE surveys ADD COLUMN acknowledge_mild boolean NOT NULL DEFAULT true;

-- +goose Down
ALTER TABLE surveys DROP COLUMN acknowledge_mild;
DELETE FROM alerts WHERE audience = 'owner';
ALTER TABLE alerts DROP CONSTRAINT alerts_audience_check,
    ADD CONSTRAINT alerts_audience_check CHECK (audience IN ('cx', 'managers'));
DROP TABLE complaint_messages;
ALTER TABLE complaints DROP COLUMN form_deviance;
ALTER TABLE complaint_events DROP COLUMN actor_id;
