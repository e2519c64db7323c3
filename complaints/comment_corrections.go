package complaints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// OfResponse returns the id of a reply's complaint, inside tx; ok is false
// when the reply opened none.
func (s *Store) OfResponse(ctx context.Context, tx *sqlx.Tx, responseID int64) (id int64, ok bool, err error) {
	err = tx.GetContext(ctx, &id, `SELECT id FROM complaints WHERE response_id = $1`, responseID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("complaint of response %d: %w", responseID, err)
	}
	return id, true, nil
}

// RecordCommentCorrection adds to a complaint's trail that by corrected
// the reading of its comment. The complaint's state, owner and deadline do
// not change, and nothing is sent to the customer: the trail only says
// that the reading was wrong, and how.
func (s *Store) RecordCommentCorrection(ctx context.Context, tx *sqlx.Tx, id int64, correction string, opened bool, by Actor, now time.Time) error {
	return audit(ctx, tx, id, by, CommentCorrectedEvent{Correction: correction, Opened: opened}, now)
}
