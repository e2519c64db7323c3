-- Words, not codes (#15): the names people read for the codes followup
-- stores (teams, touchpoints, event kinds, channels, risks, states,
-- signals), per language, named by admins; and each team's business
-- calendar. Package labels owns both tables. Also: alerts to the agent
-- who asked for compensation.

-- +goose Up
CREATE TABLE display_labels (
    kind       text        NOT NULL CHECK (kind IN ('team', 'touchpoint', 'event_kind', 'channel', 'risk', 'state', 'signal')),
    code       text        NOT NULL CHECK (code <> ''),
    locale     text        NOT NULL CHECK (locale IN ('en', 'fr')),
    name       text        NOT NULL CHECK (name <> ''),
    updated_by bigint      REFERENCES users(id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (kind, code, locale)
);

-- A team's business hours, when not FOLLOWUP_BUSINESS_CALENDAR's: a
-- preset name or a spec as businesshours.Parse reads it.
CREATE TABLE team_calendars (
    team       text        PRIMARY KEY CHECK (team <> ''),
    spec       text        NOT NULL CHECK (spec <> ''),
    updated_by bigint      REFERENCES users(id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL
);

-- The agent who asked a manager for compensation is told the decision: an
-- alert to that one person (feedback.AudienceRequester).
ALTER TABLE alerts DROP CONSTRAINT alerts_audience_check,
    ADD CONSTRAINT alerts_audience_check CHECK (audience IN ('cx', 'owner', 'managers', 'admins', 'requester'));

-- +goose Down
DELETE FROM alerts WHERE audience = 'requester';
ALTER TABLE alerts DROP CONSTRAINT alerts_audience_check,
    ADD CONSTRAINT alerts_audience_check CHECK (audience IN ('cx', 'owner', 'managers', 'admins'));
DROP TABLE team_calendars;
DROP TABLE display_labels;
