-- Action plans are shared across departments: their owner, whatever their
-- role, records how the action is going. One row per progress update: a
-- note, a change of state, or both (state is the state set then, '' when
-- it did not change). Deleting a plan deletes its history.

-- +goose Up
CREATE TABLE action_plan_notes (
    id             bigserial PRIMARY KEY,
    action_plan_id bigint NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    author_id      bigint REFERENCES users (id),
    body           text NOT NULL DEFAULT '' CHECK (length(body) <= 2000),
    state          text NOT NULL DEFAULT '' CHECK (state IN ('', 'planned', 'in_progress', 'done', 'cancelled')),
    created_at     timestamptz NOT NULL,
    CHECK (body <> '' OR state <> '')
);
CREATE INDEX action_plan_notes_plan ON action_plan_notes (action_plan_id, id);

-- +goose Down
DROP TABLE action_plan_notes;
