// Package scheduler owns campaigns and the invitations they schedule: which
// service events trigger which survey and when, the due-invitation sweep that
// hands invitations to the workers in batches, the reconciler that re-derives
// lost tasks from PostgreSQL, and the election that makes scheduler replicas
// safe. It enqueues through the Enqueuer interface and knows nothing of the
// queue's implementation, HTTP or email.
package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Campaign states.
const (
	StateDraft    = "draft"
	StateActive   = "active"
	StatePaused   = "paused"
	StateArchived = "archived"
)

// ErrNotFound is a campaign that does not exist.
var ErrNotFound = errors.New("campaign not found")

// ErrNameTaken is a campaign name already used.
var ErrNameTaken = errors.New("a campaign with this name already exists")

// Campaign decides which service events get which survey, and when.
type Campaign struct {
	ID       int64  `db:"id" json:"id"`
	Name     string `db:"name" json:"name"`
	SurveyID int64  `db:"survey_id" json:"survey_id"`
	State    string `db:"state" json:"state"`
	// EventKinds are the service event kinds that trigger the survey.
	EventKinds pq.StringArray `db:"event_kinds" json:"event_kinds"`
	// Delay is how long after the event the survey is sent.
	Delay time.Duration `db:"-" json:"-"`
	// InvitationTTL is how long the survey link stays valid after sending.
	InvitationTTL time.Duration `db:"-" json:"-"`

	DelaySeconds         int64 `db:"delay_seconds" json:"delay_seconds"`
	InvitationTTLSeconds int64 `db:"invitation_ttl_seconds" json:"invitation_ttl_seconds"`
}

// Store reads and writes campaigns and invitations.
type Store struct {
	db *sqlx.DB
}

// NewStore returns a Store on db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

// CreateEventCampaign stores a campaign triggered by service events of the
// given kinds, sending the survey delay after the event.
func (s *Store) CreateEventCampaign(ctx context.Context, c Campaign) (Campaign, error) {
	if c.Name == "" {
		return c, fmt.Errorf("campaign name is required")
	}
	if len(c.EventKinds) == 0 {
		return c, fmt.Errorf("campaign %q: at least one event kind is required", c.Name)
	}
	if c.State == "" {
		c.State = StateDraft
	}
	if c.InvitationTTL == 0 {
		c.InvitationTTL = 30 * 24 * time.Hour
	}
	c.DelaySeconds = int64(c.Delay / time.Second)
	c.InvitationTTLSeconds = int64(c.InvitationTTL / time.Second)
	err := s.db.GetContext(ctx, &c.ID, `INSERT INTO campaigns (name, survey_id, state, trigger_kind, event_kinds, delay_seconds, invitation_ttl_seconds)
		VALUES ($1, $2, $3, 'event', $4, $5, $6) RETURNING id`,
		c.Name, c.SurveyID, c.State, c.EventKinds, c.DelaySeconds, c.InvitationTTLSeconds)
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "23505" {
		return c, fmt.Errorf("create campaign %q: %w", c.Name, ErrNameTaken)
	}
	if err != nil {
		return c, fmt.Errorf("create campaign %q: %w", c.Name, err)
	}
	return c, nil
}

// ByName returns the campaign called name.
func (s *Store) ByName(ctx context.Context, name string) (Campaign, error) {
	var c Campaign
	err := s.db.GetContext(ctx, &c, `SELECT id, name, survey_id, state, event_kinds, delay_seconds, invitation_ttl_seconds
		FROM campaigns WHERE name = $1`, name)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("campaign %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("campaign %q: %w", name, err)
	}
	c.Delay = time.Duration(c.DelaySeconds) * time.Second
	c.InvitationTTL = time.Duration(c.InvitationTTLSeconds) * time.Second
	return c, nil
}

// SetState moves a campaign to state.
func (s *Store) SetState(ctx context.Context, id int64, state string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE campaigns SET state = $2, updated_at = now() WHERE id = $1`, id, state)
	if err != nil {
		return fmt.Errorf("set campaign %d %s: %w", id, state, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("campaign %d: %w", id, ErrNotFound)
	}
	return nil
}
