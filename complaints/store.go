package complaints

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/surveys"
)

// States of a complaint.
const (
	StateOpen       = "open"
	StateInProgress = "in_progress"
	StateResolved   = "resolved"
)

// ErrNotFound is a complaint that does not exist.
var ErrNotFound = errors.New("complaint not found")

// Complaint is a negative reply the CX team must act on.
type Complaint struct {
	ID            int64           `db:"id" json:"id"`
	ResponseID    int64           `db:"response_id" json:"response_id"`
	CustomerID    int64           `db:"customer_id" json:"customer_id"`
	CustomerName  string          `db:"customer_name" json:"customer_name"`
	CustomerEmail string          `db:"customer_email" json:"customer_email"`
	State         string          `db:"state" json:"state"`
	Priority      Priority        `db:"priority" json:"-"`
	OpenedAt      time.Time       `db:"opened_at" json:"opened_at"`
	DueAt         time.Time       `db:"due_at" json:"due_at"`
	Reasons       json.RawMessage `db:"reasons" json:"reasons"`
	Comment       string          `db:"comment" json:"comment"`
	Distributive  *float64        `db:"score_distributive" json:"score_distributive"`
	Procedural    *float64        `db:"score_procedural" json:"score_procedural"`
	Interactional *float64        `db:"score_interactional" json:"score_interactional"`
	Overall       *float64        `db:"score_overall" json:"score_overall"`
}

// MarshalJSON shows the priority as "P1".."P4".
func (c Complaint) MarshalJSON() ([]byte, error) {
	type plain Complaint
	return json.Marshal(struct {
		plain
		Priority string `json:"priority"`
	}{plain(c), c.Priority.String()})
}

// Store reads and writes complaints.
type Store struct {
	db     *sqlx.DB
	policy Policy
}

// NewStore returns a Store applying policy.
func NewStore(db *sqlx.DB, policy Policy) *Store { return &Store{db: db, policy: policy} }

// Opened is the outcome of Open.
type Opened struct {
	ID       int64
	Priority Priority
	DueAt    time.Time
	// Created is false when the response already had its complaint.
	Created bool
}

// Open opens the complaint of a negative response inside tx. The unique
// response id makes it exactly once: a second call returns the existing
// complaint with Created false.
func (s *Store) Open(ctx context.Context, tx *sqlx.Tx, resp surveys.Response, res surveys.Result, now time.Time) (Opened, error) {
	pr := s.policy.Priority(res)
	due := s.policy.Deadline(pr, now)
	reasons, err := json.Marshal(res.Reasons)
	if err != nil {
		return Opened{}, fmt.Errorf("encode reasons: %w", err)
	}
	var id int64
	err = tx.GetContext(ctx, &id, `INSERT INTO complaints (response_id, customer_id, priority, opened_at, due_at, reasons)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (response_id) DO NOTHING RETURNING id`,
		resp.ID, resp.CustomerID, int(pr), now, due, reasons)
	if errors.Is(err, sql.ErrNoRows) {
		var o Opened
		err := tx.QueryRowxContext(ctx, `SELECT id, priority, due_at FROM complaints WHERE response_id = $1`, resp.ID).Scan(&o.ID, &o.Priority, &o.DueAt)
		if err != nil {
			return Opened{}, fmt.Errorf("existing complaint of response %d: %w", resp.ID, err)
		}
		return o, nil
	}
	if err != nil {
		return Opened{}, fmt.Errorf("open complaint for response %d: %w", resp.ID, err)
	}
	data, _ := json.Marshal(map[string]any{"priority": pr.String(), "due_at": due, "reasons": res.Reasons})
	if _, err := tx.ExecContext(ctx, `INSERT INTO complaint_events (complaint_id, kind, actor, data, created_at)
		VALUES ($1, 'opened', 'system', $2, $3)`, id, data, now); err != nil {
		return Opened{}, fmt.Errorf("audit opening of complaint %d: %w", id, err)
	}
	return Opened{ID: id, Priority: pr, DueAt: due, Created: true}, nil
}

const selectComplaints = `SELECT c.id, c.response_id, c.customer_id, cu.name AS customer_name, cu.email AS customer_email,
	c.state, c.priority, c.opened_at, c.due_at, c.reasons, r.comment,
	r.score_distributive, r.score_procedural, r.score_interactional, r.score_overall
FROM complaints c
JOIN customers cu ON cu.id = c.customer_id
JOIN responses r ON r.id = c.response_id`

// ListOpen returns the complaints not yet resolved, most urgent first: by
// deadline, then priority.
func (s *Store) ListOpen(ctx context.Context, limit int) ([]Complaint, error) {
	out := []Complaint{}
	err := s.db.SelectContext(ctx, &out, selectComplaints+` WHERE c.state <> 'resolved' ORDER BY c.due_at, c.priority, c.id LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("list open complaints: %w", err)
	}
	return out, nil
}

// Get returns one complaint.
func (s *Store) Get(ctx context.Context, id int64) (Complaint, error) {
	var c Complaint
	err := s.db.GetContext(ctx, &c, selectComplaints+` WHERE c.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("complaint %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("get complaint %d: %w", id, err)
	}
	return c, nil
}
