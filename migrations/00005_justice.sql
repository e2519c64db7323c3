-- Justice scoring, comment signals and the complaint's assessment (issue 5).
-- A reply keeps what its comment showed (signals with the matched words, the
-- risks of dissatisfaction and where each came from); a complaint keeps how
-- it was assessed when it opened (severity, why this priority, the
-- compensation advice), so the CX team reads the reasons the system used.

-- +goose Up
ALTER TABLE responses
    ADD COLUMN signals       jsonb  NOT NULL DEFAULT '[]',
    ADD COLUMN risks         text[] NOT NULL DEFAULT '{}',
    ADD COLUMN risk_evidence jsonb  NOT NULL DEFAULT '[]';

ALTER TABLE complaints
    ADD COLUMN severity         text   NOT NULL DEFAULT 'minor'
                                CHECK (severity IN ('critical', 'major', 'moderate', 'minor')),
    ADD COLUMN priority_reasons jsonb  NOT NULL DEFAULT '[]',
    ADD COLUMN advice           jsonb  NOT NULL DEFAULT '{}',
    ADD COLUMN risks            text[] NOT NULL DEFAULT '{}',
    ADD COLUMN escalations      text[] NOT NULL DEFAULT '{}';
CREATE INDEX complaints_priority_due ON complaints (priority, due_at) WHERE state <> 'resolved';

-- Who changed a survey and when: each version says what it was made from.
ALTER TABLE survey_versions
    ADD COLUMN note text NOT NULL DEFAULT '';

CREATE INDEX responses_survey_version ON responses (survey_version_id);

-- +goose Down
DROP INDEX responses_survey_version;
ALTER TABLE survey_versions DROP COLUMN note;
DROP INDEX complaints_priority_due;
ALTER TABLE complaints
    DROP COLUMN escalations,
    DROP COLUMN risks,
    DROP COLUMN advice,
    DROP COLUMN priority_reasons,
    DROP COLUMN severity;
ALTER TABLE responses
    DROP COLUMN risk_evidence,
    DROP COLUMN risks,
    DROP COLUMN signals;
