package scheduler

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/customers"
)

// Intake records service events and schedules the invitations their active
// campaigns call for, in one transaction: an event is never stored without
// its invitations.
type Intake struct {
	db        *sqlx.DB
	customers *customers.Store
	store     *Store
}

// NewIntake returns an Intake.
func NewIntake(db *sqlx.DB, cs *customers.Store, s *Store) *Intake {
	return &Intake{db: db, customers: cs, store: s}
}

// Accepted is the outcome of recording one event.
type Accepted struct {
	customers.Recorded
	// Invitations is how many invitations the event scheduled.
	Invitations int
}

// Record stores one validated event and schedules its invitations. A
// duplicate (same external id) changes nothing and reports Created false.
func (in *Intake) Record(ctx context.Context, ev customers.EventInput) (Accepted, error) {
	tx, err := in.db.BeginTxx(ctx, nil)
	if err != nil {
		return Accepted{}, fmt.Errorf("record event %q: %w", ev.ExternalID, err)
	}
	defer tx.Rollback()
	rec, err := in.customers.Record(ctx, tx, ev)
	if err != nil {
		return Accepted{}, err
	}
	out := Accepted{Recorded: rec}
	if rec.Created {
		if out.Invitations, err = in.store.ScheduleForEvents(ctx, tx, []int64{rec.EventID}); err != nil {
			return Accepted{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return Accepted{}, fmt.Errorf("record event %q: %w", ev.ExternalID, err)
	}
	return out, nil
}
