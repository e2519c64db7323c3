package surveys

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// ErrCompleted is a response that can no longer be changed: it is
// complete, or it answers a recovery survey.
var ErrCompleted = errors.New("response already complete")

// LockPartial loads the response to an invitation and locks it until tx
// ends, so two completions of one reply are applied one after the other.
// It returns ErrCompleted when the response is already complete and
// ErrNotFound when the invitation has none.
func (s *Store) LockPartial(ctx context.Context, tx *sqlx.Tx, invitationID int64) (Response, error) {
	var r struct {
		Response
		Completed bool `db:"completed"`
	}
	err := tx.GetContext(ctx, &r, `SELECT id, invitation_id, customer_id, survey_version_id, locale, comment, submitted_at,
			answers, negative, completed
		FROM responses WHERE invitation_id = $1 FOR UPDATE`, invitationID)
	if errors.Is(err, sql.ErrNoRows) {
		return Response{}, fmt.Errorf("response to invitation %d: %w", invitationID, ErrNotFound)
	}
	if err != nil {
		return Response{}, fmt.Errorf("lock response to invitation %d: %w", invitationID, err)
	}
	if r.Completed {
		return r.Response, fmt.Errorf("response %d: %w", r.ID, ErrCompleted)
	}
	if err := json.Unmarshal(r.RawAnswers, &r.Answers); err != nil {
		return Response{}, fmt.Errorf("decode answers of response %d: %w", r.ID, err)
	}
	return r.Response, nil
}

// Answers returns the answers stored for an invitation (empty when it has
// no response), so a partial reply's page shows what was given.
func (s *Store) Answers(ctx context.Context, invitationID int64) (Answers, error) {
	var raw []byte
	err := s.db.GetContext(ctx, &raw, `SELECT answers FROM responses WHERE invitation_id = $1`, invitationID)
	if errors.Is(err, sql.ErrNoRows) {
		return Answers{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("answers to invitation %d: %w", invitationID, err)
	}
	a := Answers{}
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("decode answers to invitation %d: %w", invitationID, err)
	}
	return a, nil
}

// UpdateResponse stores the answers of a response completed later (already merged
// with the earlier ones, see Merge) inside tx, with its scores: res is the
// scoring of the whole reply. submitted_at stays the first submission's;
// updated_at says when it was completed.
func (s *Store) UpdateResponse(ctx context.Context, tx *sqlx.Tx, responseID int64, sv *Survey, answers Answers, res Result, now time.Time) error {
	raw, err := json.Marshal(answers)
	if err != nil {
		return fmt.Errorf("encode answers of response %d: %w", responseID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE responses SET answers = $2, comment = $3, completed = $4, updated_at = $5
		WHERE id = $1`, responseID, raw, sv.Comment(answers), sv.Completed(answers), now); err != nil {
		return fmt.Errorf("update response %d: %w", responseID, err)
	}
	return s.SaveScore(ctx, tx, responseID, res, now)
}
