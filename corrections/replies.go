package corrections

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Reply is a reply with a comment that opened no complaint, as agents
// review it for a reading the model may have missed.
type Reply struct {
	ID            int64           `db:"id" json:"id"`
	SubmittedAt   time.Time       `db:"submitted_at" json:"submitted_at"`
	CustomerName  string          `db:"customer_name" json:"customer_name"`
	Locale        string          `db:"locale" json:"locale"`
	Comment       string          `db:"comment" json:"comment"`
	Distributive  *float64        `db:"score_distributive" json:"score_distributive"`
	Procedural    *float64        `db:"score_procedural" json:"score_procedural"`
	Interactional *float64        `db:"score_interactional" json:"score_interactional"`
	Overall       *float64        `db:"score_overall" json:"score_overall"`
	NPS           *int            `db:"nps" json:"nps"`
	Negative      *bool           `db:"negative" json:"negative"`
	Reasons       json.RawMessage `db:"reasons" json:"reasons"`
	Signals       json.RawMessage `db:"signals" json:"signals"`
}

// Uncomplained lists the replies to service surveys with a comment that
// opened no complaint, newest first: limit of them after skipping offset.
// Recovery surveys' replies are left out: they never open a complaint.
func (s *Store) Uncomplained(ctx context.Context, limit, offset int) ([]Reply, error) {
	out := []Reply{}
	err := s.db.SelectContext(ctx, &out, `SELECT r.id, r.submitted_at, cu.name AS customer_name, r.locale, r.comment,
			r.score_distributive, r.score_procedural, r.score_interactional, r.score_overall, r.nps, r.negative,
			r.reasons, r.signals
		FROM responses r
		JOIN invitations i ON i.id = r.invitation_id
		JOIN customers cu ON cu.id = r.customer_id
		WHERE btrim(r.comment) <> '' AND i.complaint_id IS NULL
			AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.response_id = r.id)
		ORDER BY r.submitted_at DESC, r.id DESC
		LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("replies without complaint: %w", err)
	}
	return out, nil
}
