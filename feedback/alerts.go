package feedback

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/internal/prepared"
	"github.com/followup/followup/internal/trunc"
)

// Audiences of alerts.
const (
	// AudienceCX is the CX team (and managers).
	AudienceCX = "cx"
	// AudienceOwner is the complaint's owner, or the CX team when it has none.
	AudienceOwner = "owner"
	// AudienceManagers are the managers, and the complaint's owner if any.
	AudienceManagers = "managers"
	// AudienceAdmins are the admins: those who run followup (work stalled).
	AudienceAdmins = "admins"
	// AudienceRequester is the one person the alert's payload names (the
	// agent who asked a manager for compensation), by email even when
	// FOLLOWUP_ALERT_EMAILS sends the team's alerts elsewhere.
	AudienceRequester = "requester"
)

// Alert is one thing someone must hear about now.
type Alert struct {
	// ID is deterministic (kind and subject), so raising an alert twice
	// stores it once and receivers can drop repeats.
	ID          string          `db:"id" json:"id"`
	Kind        string          `db:"kind" json:"kind"`
	Audience    string          `db:"audience" json:"audience"`
	ComplaintID *int64          `db:"complaint_id" json:"complaint_id,omitempty"`
	Text        string          `db:"text" json:"text"`
	Data        json.RawMessage `db:"data" json:"data"`
	CreatedAt   time.Time       `db:"created_at" json:"created_at"`

	WebhookDeliveredAt *time.Time `db:"webhook_delivered_at" json:"-"`
	EmailDeliveredAt   *time.Time `db:"email_delivered_at" json:"-"`
	Attempts           int        `db:"attempts" json:"-"`
	LastError          string     `db:"last_error" json:"-"`
}

// ErrNotFound is an alert that does not exist.
var ErrNotFound = errors.New("alert not found")

// Store keeps alerts and their delivery.
type Store struct {
	db    *sqlx.DB
	stmts *prepared.Cache
}

// NewStore returns a Store on db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db, stmts: prepared.New(db)} }

// Raise records an alert inside tx (the transaction that decided it is
// needed), once: it returns false when an alert with that id exists.
func (s *Store) Raise(ctx context.Context, tx sqlx.ExtContext, a Alert) (bool, error) {
	if len(a.Data) == 0 {
		a.Data = json.RawMessage("{}")
	}
	if a.Audience == "" {
		a.Audience = AudienceCX
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO alerts (id, kind, audience, complaint_id, text, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
		a.ID, a.Kind, a.Audience, a.ComplaintID, a.Text, []byte(a.Data), a.CreatedAt)
	if err != nil {
		return false, fmt.Errorf("raise alert %s: %w", a.ID, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

const raiseManySQL = `INSERT INTO alerts (id, kind, audience, complaint_id, text, data, created_at)
	SELECT id, kind, audience, complaint_id, text, data, created_at
	FROM jsonb_to_recordset($1::jsonb) AS t(id text, kind text, audience text, complaint_id bigint, text text, data jsonb, created_at timestamptz)
	ON CONFLICT (id) DO NOTHING RETURNING id`

// RaiseMany records alerts inside tx in one statement and returns the ids
// of those that were new.
func (s *Store) RaiseMany(ctx context.Context, tx *sqlx.Tx, alerts []Alert) ([]string, error) {
	if len(alerts) == 0 {
		return nil, nil
	}
	for i := range alerts {
		if len(alerts[i].Data) == 0 {
			alerts[i].Data = json.RawMessage("{}")
		}
		if alerts[i].Audience == "" {
			alerts[i].Audience = AudienceCX
		}
	}
	raw, err := json.Marshal(alerts)
	if err != nil {
		return nil, fmt.Errorf("encode %d alerts: %w", len(alerts), err)
	}
	var ids []string
	st, err := s.stmts.In(ctx, tx, raiseManySQL)
	if err == nil {
		err = st.SelectContext(ctx, &ids, string(raw))
	}
	if err != nil {
		return nil, fmt.Errorf("raise %d alerts: %w", len(alerts), err)
	}
	return ids, nil
}

// Get returns one alert.
func (s *Store) Get(ctx context.Context, id string) (Alert, error) {
	var a Alert
	st, err := s.stmts.Stmt(ctx, `SELECT * FROM alerts WHERE id = $1`)
	if err != nil {
		return a, fmt.Errorf("load alert %s: %w", id, err)
	}
	err = st.GetContext(ctx, &a, id)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("alert %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("load alert %s: %w", id, err)
	}
	return a, nil
}

// MarkWebhookDelivered records that the webhook accepted the alert.
func (s *Store) MarkWebhookDelivered(ctx context.Context, id string, now time.Time) error {
	return s.mark(ctx, `UPDATE alerts SET webhook_delivered_at = COALESCE(webhook_delivered_at, $2) FROM `+prepared.AsyncCommit+` WHERE id = $1`, id, now)
}

// MarkEmailDelivered records that the alert email was accepted.
func (s *Store) MarkEmailDelivered(ctx context.Context, id string, now time.Time) error {
	return s.mark(ctx, `UPDATE alerts SET email_delivered_at = COALESCE(email_delivered_at, $2) FROM `+prepared.AsyncCommit+` WHERE id = $1`, id, now)
}

// mark runs one of the delivery records, prepared: every alert calls them.
// It commits without waiting for the disk (prepared.AsyncCommit): a crash
// of PostgreSQL's machine right after can only make the alert be
// delivered again.
func (s *Store) mark(ctx context.Context, query, id string, now time.Time) error {
	st, err := s.stmts.Stmt(ctx, query)
	if err == nil {
		_, err = st.ExecContext(ctx, id, now)
	}
	if err != nil {
		return fmt.Errorf("record delivery of alert %s: %w", id, err)
	}
	return nil
}

// RecordFailure counts a failed delivery attempt and keeps its error.
func (s *Store) RecordFailure(ctx context.Context, id string, cause error) error {
	msg := trunc.Runes(cause.Error(), 500)
	_, err := s.db.ExecContext(ctx, `UPDATE alerts SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, id, msg)
	return err
}

// undeliveredSQL selects the alerts raised before $1 that a channel owes:
// the email ($3) until it is delivered, however old the alert; the webhook
// ($2) likewise, except for an alert handled in full (email delivered, no
// failure recorded) while no webhook was configured: a webhook configured
// later receives only the last week's of those, not the whole history.
const undeliveredSQL = `FROM alerts WHERE created_at < $1 AND (
	($3 AND email_delivered_at IS NULL) OR
	($2 AND webhook_delivered_at IS NULL AND
		(email_delivered_at IS NULL OR last_error <> '' OR created_at > $1::timestamptz - interval '7 days')))`

// Undelivered returns the alerts raised before cutoff that some channel has
// not delivered yet, oldest first: the reconciler enqueues them again.
func (s *Store) Undelivered(ctx context.Context, cutoff time.Time, webhook, email bool, limit int) ([]string, error) {
	var ids []string
	err := s.db.SelectContext(ctx, &ids, `SELECT id `+undeliveredSQL+` ORDER BY created_at LIMIT $4`, cutoff, webhook, email, limit)
	if err != nil {
		return nil, fmt.Errorf("undelivered alerts: %w", err)
	}
	return ids, nil
}

// OldestUndelivered returns when the oldest alert that Undelivered would
// list at now was raised, or the zero time when there is none.
func (s *Store) OldestUndelivered(ctx context.Context, now time.Time, webhook, email bool) (time.Time, error) {
	var t *time.Time
	if err := s.db.GetContext(ctx, &t, `SELECT min(created_at) `+undeliveredSQL, now, webhook, email); err != nil {
		return time.Time{}, fmt.Errorf("oldest undelivered alert: %w", err)
	}
	if t == nil {
		return time.Time{}, nil
	}
	return *t, nil
}

// ForComplaint lists a complaint's alerts, oldest first.
func (s *Store) ForComplaint(ctx context.Context, complaintID int64) ([]Alert, error) {
	out := []Alert{}
	err := s.db.SelectContext(ctx, &out, `SELECT * FROM alerts WHERE complaint_id = $1 ORDER BY created_at, id`, complaintID)
	return out, err
}

// Poster delivers an alert outside followup (the alert webhook). The
// domain owns the interface; the delivery over HTTP lives at the edge
// (worker.Webhook), so feedback imports no transport.
type Poster interface {
	Post(ctx context.Context, a Alert, now time.Time) error
}
