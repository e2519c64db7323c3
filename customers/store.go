package customers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// ErrNotFound is returned when a customer or event does not exist.
var ErrNotFound = errors.New("not found")

// Store reads and writes customers and service events. Methods that take a
// sqlx.ExtContext run inside the caller's transaction.
type Store struct {
	db *sqlx.DB
}

// NewStore returns a Store on db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

// Recorded is the outcome of recording one event.
type Recorded struct {
	EventID    int64 `db:"event_id"`
	CustomerID int64 `db:"customer_id"`
	// Created is false when an event with the same external id already
	// existed: nothing was changed.
	Created bool `db:"-"`
}

const upsertCustomerSQL = `
INSERT INTO customers (external_ref, email, name, locale, time_zone, segment, annual_value_cents, currency)
VALUES (:external_ref, :email, :name, COALESCE(NULLIF(:locale, ''), 'en'), COALESCE(NULLIF(:time_zone, ''), 'UTC'),
        :segment, COALESCE(:annual_value_cents, 0), NULLIF(:currency, ''))
ON CONFLICT (external_ref) DO UPDATE SET
    email              = EXCLUDED.email,
    name               = COALESCE(NULLIF(:name, ''), customers.name),
    locale             = COALESCE(NULLIF(:locale, ''), customers.locale),
    time_zone          = COALESCE(NULLIF(:time_zone, ''), customers.time_zone),
    segment            = COALESCE(NULLIF(:segment, ''), customers.segment),
    annual_value_cents = COALESCE(:annual_value_cents, customers.annual_value_cents),
    currency           = COALESCE(NULLIF(:currency, ''), customers.currency),
    updated_at         = now()
RETURNING id`

const insertEventSQL = `
INSERT INTO service_events (external_id, customer_id, kind, channel, touchpoint, team, occurred_at, prejudice_cents, attributes)
VALUES (:external_id, :customer_id, :kind, :channel, :touchpoint, :team, :occurred_at, :prejudice_cents, :attributes)
ON CONFLICT (external_id) DO NOTHING
RETURNING id`

// Record stores a validated event and creates or updates its customer by
// external reference. Recording the same external id again changes nothing.
func (s *Store) Record(ctx context.Context, tx sqlx.ExtContext, in EventInput) (Recorded, error) {
	var existing Recorded
	err := sqlx.GetContext(ctx, tx, &existing, `SELECT id AS event_id, customer_id FROM service_events WHERE external_id = $1`, in.ExternalID)
	if err == nil {
		return existing, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return Recorded{}, fmt.Errorf("look up event %q: %w", in.ExternalID, err)
	}

	var customerID int64
	if err := namedGet(ctx, tx, &customerID, upsertCustomerSQL, map[string]any{
		"external_ref": in.Customer.ExternalRef, "email": in.Customer.Email, "name": in.Customer.Name,
		"locale": in.Customer.Locale, "time_zone": in.Customer.TimeZone, "segment": in.Customer.Segment,
		"annual_value_cents": in.Customer.AnnualValueCents, "currency": in.Customer.Currency,
	}); err != nil {
		return Recorded{}, fmt.Errorf("upsert customer %q: %w", in.Customer.ExternalRef, err)
	}
	attrs := []byte(in.Attributes)
	if len(attrs) == 0 {
		attrs = []byte("{}")
	}
	var eventID int64
	err = namedGet(ctx, tx, &eventID, insertEventSQL, map[string]any{
		"external_id": in.ExternalID, "customer_id": customerID, "kind": in.Kind, "channel": in.Channel,
		"touchpoint": in.Touchpoint, "team": in.Team, "occurred_at": in.OccurredAt, "prejudice_cents": in.PrejudiceCents,
		"attributes": attrs,
	})
	if errors.Is(err, sql.ErrNoRows) {
		// A concurrent request recorded the same event first.
		if err := sqlx.GetContext(ctx, tx, &existing, `SELECT id AS event_id, customer_id FROM service_events WHERE external_id = $1`, in.ExternalID); err != nil {
			return Recorded{}, fmt.Errorf("look up event %q: %w", in.ExternalID, err)
		}
		return existing, nil
	}
	if err != nil {
		return Recorded{}, fmt.Errorf("insert event %q: %w", in.ExternalID, err)
	}
	return Recorded{EventID: eventID, CustomerID: customerID, Created: true}, nil
}

// Get returns one customer.
func (s *Store) Get(ctx context.Context, id int64) (Customer, error) {
	var c Customer
	err := s.db.GetContext(ctx, &c, `SELECT id, external_ref, email, name, locale, time_zone, segment, annual_value_cents, currency, opted_out_at FROM customers WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("customer %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("get customer %d: %w", id, err)
	}
	return c, nil
}

// Events returns a customer's service events, newest first.
func (s *Store) Events(ctx context.Context, customerID int64) ([]Event, error) {
	var out []Event
	err := s.db.SelectContext(ctx, &out, `SELECT id, external_id, customer_id, kind, channel, touchpoint, team, occurred_at, prejudice_cents, attributes
		FROM service_events WHERE customer_id = $1 ORDER BY occurred_at DESC, id DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("events of customer %d: %w", customerID, err)
	}
	return out, nil
}

func namedGet(ctx context.Context, q sqlx.ExtContext, dest any, query string, arg any) error {
	bound, args, err := sqlx.Named(query, arg)
	if err != nil {
		return err
	}
	return sqlx.GetContext(ctx, q, dest, q.Rebind(bound), args...)
}
