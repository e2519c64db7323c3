package complaints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/businesshours"
)

// step is one read of a multi-part page, named for its error.
type step struct {
	what string
	run  func() error
}

// historySteps read a customer's history into h, newest first, leaving out
// the complaint except (0 leaves out none).
func historySteps(ctx context.Context, tx *sqlx.Tx, h *History, customerID, except int64) []step {
	return []step{
		{"events", func() error {
			return tx.SelectContext(ctx, &h.Events, `SELECT id, external_id, kind, channel, touchpoint, team, occurred_at,
				prejudice_cents, attributes FROM service_events WHERE customer_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 200`, customerID)
		}},
		{"invitations", func() error {
			return tx.SelectContext(ctx, &h.Invitations, `SELECT i.id, ca.name AS campaign, i.event_id, i.state, i.scheduled_for,
				i.sent_at, i.answered_at, i.reason FROM invitations i JOIN campaigns ca ON ca.id = i.campaign_id
				WHERE i.customer_id = $1 ORDER BY i.scheduled_for DESC, i.id DESC LIMIT 200`, customerID)
		}},
		{"replies", func() error {
			return tx.SelectContext(ctx, &h.Replies, `SELECT id, submitted_at, score_overall, score_distributive, score_procedural,
				score_interactional, nps, negative, comment
				FROM responses WHERE customer_id = $1 ORDER BY submitted_at DESC, id DESC LIMIT 200`, customerID)
		}},
		{"complaints", func() error {
			return tx.SelectContext(ctx, &h.Complaints, `SELECT id, response_id, state, priority, opened_at, due_at, resolved_at,
				compensation_granted_cents, resolution
				FROM complaints WHERE customer_id = $1 AND id <> $2 ORDER BY opened_at DESC, id DESC LIMIT 200`, customerID, except)
		}},
	}
}

// CustomerFile is everything the CX team knows of one customer: who they
// are and their history, every complaint included.
type CustomerFile struct {
	Customer CustomerCard `json:"customer"`
	History  History      `json:"history"`
}

// ErrNoCustomer is a customer that does not exist.
var ErrNoCustomer = errors.New("customer not found")

// CustomerFile returns one customer with their events, surveys, replies
// and complaints (the latest 200 of each), read in one repeatable-read
// transaction so the parts agree.
func (s *Store) CustomerFile(ctx context.Context, customerID int64) (CustomerFile, error) {
	var f CustomerFile
	tx, err := s.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return f, fmt.Errorf("customer %d file: %w", customerID, err)
	}
	defer tx.Rollback()
	err = tx.GetContext(ctx, &f.Customer, `SELECT id, external_ref, name, email, locale, segment, time_zone, annual_value_cents,
		COALESCE(currency, '') AS currency, opted_out_at FROM customers WHERE id = $1`, customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("customer %d: %w", customerID, ErrNoCustomer)
	}
	if err != nil {
		return f, fmt.Errorf("customer %d: %w", customerID, err)
	}
	for _, st := range historySteps(ctx, tx, &f.History, customerID, 0) {
		if err := st.run(); err != nil {
			return f, fmt.Errorf("customer %d %s: %w", customerID, st.what, err)
		}
	}
	nonNil(&f.History)
	return f, nil
}

// Calendars returns the calendar each team's business time is counted in
// (a team without its own counts the policy's, returned as def): the
// queue's and the complaint page's time left.
func (s *Store) Calendars(ctx context.Context) (teams map[string]*businesshours.Calendar, def *businesshours.Calendar, err error) {
	cals, err := s.teamCalendars(ctx)
	if err != nil {
		return nil, nil, err
	}
	return cals, s.policy.Calendar, nil
}
