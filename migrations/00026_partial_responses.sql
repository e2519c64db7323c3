-- A reply may answer only part of a survey (the rating chosen in the
-- email, a comment) and be completed later through the same link: the
-- response says whether every scale question was answered (completed) and
-- when it was last updated by the customer (completed_at, updated_at).
-- Existing replies are judged by the same rule against the version they
-- answered.
-- +goose Up
ALTER TABLE responses ADD COLUMN completed boolean NOT NULL DEFAULT true;
ALTER TABLE responses ADD COLUMN updated_at timestamptz;
UPDATE responses r SET completed = NOT EXISTS (
    SELECT 1 FROM survey_questions q
    WHERE q.survey_version_id = r.survey_version_id AND q.kind IN ('likert5', 'likert7', 'rating10')
      AND NOT (r.answers ? q.key));

-- +goose Down
ALTER TABLE responses DROP COLUMN updated_at;
ALTER TABLE responses DROP COLUMN completed;
