package surveys

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Stored is a reply with the result its scoring stored: what the comment
// reader and the ratings decided when it was submitted.
type Stored struct {
	Response
	// ScoredAt is nil while the reply waits for its scoring.
	ScoredAt *time.Time
	// Result is the stored scoring (empty while unscored).
	Result Result
	// RecoveryOf is the complaint a recovery survey's reply follows up
	// (0 for a reply to a service survey): such a reply never opens a
	// complaint of its own.
	RecoveryOf int64
}

// LockStored loads a reply with its stored scoring and locks its row
// until tx ends, so that what is decided from it (a correction of its
// comment's reading, a complaint opened from it) is decided once at a
// time. An unknown response is ErrNotFound.
func (s *Store) LockStored(ctx context.Context, tx *sqlx.Tx, responseID int64) (Stored, error) {
	var row struct {
		Response
		ScoredAt      *time.Time     `db:"scored_at"`
		Distributive  *float64       `db:"score_distributive"`
		Procedural    *float64       `db:"score_procedural"`
		Interactional *float64       `db:"score_interactional"`
		Overall       *float64       `db:"score_overall"`
		NPS           *int           `db:"nps"`
		NPSCategory   *string        `db:"nps_category"`
		Negative      *bool          `db:"negative"`
		Reasons       []byte         `db:"reasons"`
		Signals       []byte         `db:"signals"`
		Risks         pq.StringArray `db:"risks"`
		RiskEvidence  []byte         `db:"risk_evidence"`
		RecoveryOf    *int64         `db:"recovery_of"`
	}
	err := tx.GetContext(ctx, &row, `SELECT r.id, r.invitation_id, r.customer_id, r.survey_version_id, r.locale, r.comment,
			r.submitted_at, r.answers, r.scored_at, r.score_distributive, r.score_procedural, r.score_interactional,
			r.score_overall, r.nps, r.nps_category, r.negative, r.reasons, r.signals, r.risks, r.risk_evidence,
			i.complaint_id AS recovery_of
		FROM responses r JOIN invitations i ON i.id = r.invitation_id
		WHERE r.id = $1 FOR NO KEY UPDATE OF r`, responseID)
	if errors.Is(err, sql.ErrNoRows) {
		return Stored{}, fmt.Errorf("response %d: %w", responseID, ErrNotFound)
	}
	if err != nil {
		return Stored{}, fmt.Errorf("lock response %d: %w", responseID, err)
	}
	st := Stored{Response: row.Response, ScoredAt: row.ScoredAt}
	if row.RecoveryOf != nil {
		st.RecoveryOf = *row.RecoveryOf
	}
	if err := json.Unmarshal(row.RawAnswers, &st.Answers); err != nil {
		return Stored{}, fmt.Errorf("decode answers of response %d: %w", responseID, err)
	}
	res := Result{Scores: map[Dimension]float64{}, Risks: []Risk{}, RiskEvidence: []RiskEvidence{}, Signals: []Signal{}, Reasons: []Reason{}}
	for d, v := range map[Dimension]*float64{Distributive: row.Distributive, Procedural: row.Procedural,
		Interactional: row.Interactional, Overall: row.Overall} {
		if v != nil {
			res.Scores[d] = *v
		}
	}
	res.NPS = row.NPS
	if row.NPSCategory != nil {
		res.NPSCategory = *row.NPSCategory
	}
	res.Negative = row.Negative != nil && *row.Negative
	for _, r := range row.Risks {
		res.Risks = append(res.Risks, Risk(r))
	}
	for name, part := range map[string]struct {
		raw []byte
		to  any
	}{"reasons": {row.Reasons, &res.Reasons}, "signals": {row.Signals, &res.Signals}, "risk_evidence": {row.RiskEvidence, &res.RiskEvidence}} {
		if len(part.raw) == 0 {
			continue
		}
		if err := json.Unmarshal(part.raw, part.to); err != nil {
			return Stored{}, fmt.Errorf("decode %s of response %d: %w", name, responseID, err)
		}
	}
	st.Result = res
	return st, nil
}
