-- Agents correct the model's reading of a reply's comment: a reply that is
-- no complaint, or a signal the model missed (going public, legal action,
-- leaving). One row per reply and kind, so correcting twice is correcting
-- once. complaint_id is the reply's complaint when the correction was
-- made, or the one the correction opened; null when the reply has none.
-- The rows feed the reports and `followup comments export`, which turns
-- them into corpus rows to train the model again.

-- +goose Up
CREATE TABLE comment_corrections (
    id           bigserial PRIMARY KEY,
    response_id  bigint NOT NULL REFERENCES responses (id),
    complaint_id bigint REFERENCES complaints (id),
    kind         text NOT NULL CHECK (kind IN ('not_complaint', 'missed_public', 'missed_legal', 'missed_leave')),
    user_id      bigint NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (response_id, kind)
);
CREATE INDEX comment_corrections_created ON comment_corrections (created_at);

-- +goose Down
DROP TABLE comment_corrections;
