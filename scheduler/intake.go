package scheduler

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

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

// ScheduleForEvents creates, inside tx, one invitation per active event
// campaign whose kinds match each event, due at the event time plus the
// campaign's delay. Customers who opted out get none. It returns how many
// invitations it created.
func (s *Store) ScheduleForEvents(ctx context.Context, tx sqlx.ExtContext, eventIDs []int64) (int, error) {
	res, err := tx.ExecContext(ctx, `
INSERT INTO invitations (campaign_id, customer_id, event_id, survey_version_id, scheduled_for)
SELECT c.id, e.customer_id, e.id, v.id, e.occurred_at + make_interval(secs => c.delay_seconds)
FROM service_events e
JOIN customers cu ON cu.id = e.customer_id AND cu.opted_out_at IS NULL
JOIN campaigns c ON c.state IN ('active', 'paused') AND c.trigger_kind = 'event' AND e.kind = ANY (c.event_kinds)
JOIN LATERAL (SELECT id FROM survey_versions WHERE survey_id = c.survey_id ORDER BY version DESC LIMIT 1) v ON true
WHERE e.id = ANY ($1)
ON CONFLICT (campaign_id, event_id) DO NOTHING`, pq.Array(eventIDs))
	if err != nil {
		return 0, fmt.Errorf("schedule invitations for %d events: %w", len(eventIDs), err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
