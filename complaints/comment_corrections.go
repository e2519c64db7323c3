package complaints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// AuditCommentCorrected is the audit entry of an agent's correction of the
// reading of the complaint's comment (see the corrections package). Its
// data: "correction", the kind of correction (not_complaint,
// missed_public, missed_legal, missed_leave), and "opened", true when the
// correction is what opened the complaint.
const AuditCommentCorrected = "comment_corrected"

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
	data := map[string]any{"correction": correction}
	if opened {
		data["opened"] = true
	}
	return audit(ctx, tx, id, AuditCommentCorrected, by, data, now)
}
