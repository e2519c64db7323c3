package customers

import (
	"context"
	"fmt"
	"sort"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// BatchResult is the outcome of one event of RecordBatch.
type BatchResult struct {
	Recorded
	// SameAs is the index of an earlier event of the same batch with the
	// same external id, of which this one is a duplicate; -1 otherwise.
	SameAs int
}

// CustomerCounts says what UpsertCustomers did.
type CustomerCounts struct {
	// Created customers did not exist.
	Created int
	// Updated customers existed and changed.
	Updated int
	// Unchanged customers existed with the values given.
	Unchanged int
}

// The staging tables live as long as the database session and are emptied
// at every commit (and on entry, should one transaction stage twice):
// creating them per transaction would churn the catalog.
// Optional fields are NULL when not given, which is how the upsert tells
// "keep what is stored" from a value.
const (
	stageEventsSQL = `CREATE TEMP TABLE IF NOT EXISTS ingest_events (
    external_id     text NOT NULL,
    customer_ref    text NOT NULL,
    kind            text NOT NULL,
    channel         text NOT NULL,
    touchpoint      text NOT NULL,
    team            text NOT NULL,
    occurred_at     timestamptz NOT NULL,
    prejudice_cents bigint,
    attributes      jsonb NOT NULL
) ON COMMIT DELETE ROWS`

	stageCustomersSQL = `CREATE TEMP TABLE IF NOT EXISTS ingest_customers (
    external_ref       text NOT NULL,
    email              text NOT NULL,
    name               text,
    locale             text,
    time_zone          text,
    segment            text,
    annual_value_cents bigint,
    currency           text
) ON COMMIT DELETE ROWS`

	copyEventsSQL    = `COPY pg_temp.ingest_events (external_id, customer_ref, kind, channel, touchpoint, team, occurred_at, prejudice_cents, attributes) FROM STDIN`
	copyCustomersSQL = `COPY pg_temp.ingest_customers (external_ref, email, name, locale, time_zone, segment, annual_value_cents, currency) FROM STDIN`

	// Events already stored change nothing, not even their customer, as
	// with a single resend: they are found first and not staged. The big
	// tables are probed through their unique indexes with arrays of keys
	// (never joined with the staging tables, whose size the planner cannot
	// know: a hash join would read the whole table for every batch).
	storedEventsSQL = `SELECT id, external_id, customer_id FROM service_events WHERE external_id = ANY ($1)`

	// New customers are inserted first, in external_ref order. Inserting
	// waits only on other transactions' uncommitted inserts of the same
	// references, taken in the same order.
	insertStagedCustomersSQL = `INSERT INTO customers (external_ref, email, name, locale, time_zone, segment, annual_value_cents, currency)
SELECT s.external_ref, s.email, COALESCE(s.name, ''), COALESCE(s.locale, 'en'), COALESCE(s.time_zone, 'UTC'),
       COALESCE(s.segment, ''), COALESCE(s.annual_value_cents, 0), s.currency
FROM pg_temp.ingest_customers s
ORDER BY s.external_ref
ON CONFLICT (external_ref) DO NOTHING`

	// stagedChangesSQL is true for a stored customer the staged row changes.
	// Those just inserted match their staged row, so they never do.
	stagedChangesSQL = `(c.email, c.name, c.locale, c.time_zone, c.segment, c.annual_value_cents, c.currency) IS DISTINCT FROM
      (s.email, COALESCE(s.name, c.name), COALESCE(s.locale, c.locale), COALESCE(s.time_zone, c.time_zone),
       COALESCE(s.segment, c.segment), COALESCE(s.annual_value_cents, c.annual_value_cents), COALESCE(s.currency, c.currency))`

	// Every staged customer exists now, committed or ours. Those that change
	// are locked in external_ref order, then updated. Every transaction
	// taking its locks in one order, concurrent batches sharing customers
	// wait for each other instead of deadlocking; customers that do not
	// change are not locked, nor rewritten.
	lockChangedCustomersSQL = `SELECT c.id FROM customers c JOIN pg_temp.ingest_customers s ON s.external_ref = c.external_ref
WHERE c.external_ref = ANY ($1) AND ` + stagedChangesSQL + `
ORDER BY c.external_ref FOR NO KEY UPDATE OF c`

	updateChangedCustomersSQL = `UPDATE customers c SET
    email              = s.email,
    name               = COALESCE(s.name, c.name),
    locale             = COALESCE(s.locale, c.locale),
    time_zone          = COALESCE(s.time_zone, c.time_zone),
    segment            = COALESCE(s.segment, c.segment),
    annual_value_cents = COALESCE(s.annual_value_cents, c.annual_value_cents),
    currency           = COALESCE(s.currency, c.currency),
    updated_at         = now()
FROM pg_temp.ingest_customers s
WHERE c.id = ANY ($1) AND c.external_ref = s.external_ref AND ` + stagedChangesSQL

	insertStagedEventsSQL = `INSERT INTO service_events (external_id, customer_id, kind, channel, touchpoint, team, occurred_at, prejudice_cents, attributes)
SELECT s.external_id, c.id, s.kind, s.channel, s.touchpoint, s.team, s.occurred_at, s.prejudice_cents, s.attributes
FROM pg_temp.ingest_events s
CROSS JOIN LATERAL (SELECT id FROM customers c WHERE c.external_ref = s.customer_ref LIMIT 1) c
ORDER BY s.external_id
ON CONFLICT (external_id) DO NOTHING
RETURNING id, external_id, customer_id`
)

// RecordBatch stores validated events and creates or updates their
// customers, set-based, inside tx: the rows are copied into staging tables
// and moved with a few statements, whatever the batch size. It returns one
// result per event, in order.
//
// It gives the same outcome as recording the events one by one with Record:
// an event whose external id is already stored, or appears earlier in the
// batch, is a duplicate that changes nothing (not even its customer); a
// customer named by several new events ends up with the last non-empty
// value of each field. Events must be validated first.
func (s *Store) RecordBatch(ctx context.Context, tx *sqlx.Tx, events []EventInput) ([]BatchResult, error) {
	out := make([]BatchResult, len(events))
	first := make(map[string]int, len(events))
	unique := make([]int, 0, len(events))
	for i, ev := range events {
		out[i].SameAs = -1
		if j, ok := first[ev.ExternalID]; ok {
			out[i].SameAs = j
			continue
		}
		first[ev.ExternalID] = i
		unique = append(unique, i)
	}
	if len(unique) == 0 {
		return out, nil
	}
	ids := make([]string, len(unique))
	for k, i := range unique {
		ids[k] = events[i].ExternalID
	}
	stored := make([]bool, len(events))
	rows, err := tx.QueryContext(ctx, storedEventsSQL, pq.Array(ids))
	if err != nil {
		return nil, fmt.Errorf("find events already stored: %w", err)
	}
	for rows.Next() {
		var r Recorded
		var externalID string
		if err := rows.Scan(&r.EventID, &externalID, &r.CustomerID); err != nil {
			rows.Close()
			return nil, fmt.Errorf("find events already stored: %w", err)
		}
		i := first[externalID]
		out[i].Recorded, stored[i] = r, true
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("find events already stored: %w", err)
	}
	fresh := unique[:0:0]
	for _, i := range unique {
		if !stored[i] {
			fresh = append(fresh, i)
		}
	}
	if len(fresh) > 0 {
		if err := s.storeNewEvents(ctx, tx, events, fresh, first, out, stored); err != nil {
			return nil, err
		}
	}
	for i := range out {
		if j := out[i].SameAs; j >= 0 {
			out[i].Recorded = out[j].Recorded
			out[i].Created = false
		}
	}
	return out, nil
}

// storeNewEvents stages the events at the indexes fresh, upserts their
// customers, then moves them into service_events.
func (s *Store) storeNewEvents(ctx context.Context, tx *sqlx.Tx, events []EventInput, fresh []int, first map[string]int, out []BatchResult, stored []bool) error {
	if _, err := tx.ExecContext(ctx, stageEventsSQL+"; DELETE FROM pg_temp.ingest_events"); err != nil {
		return fmt.Errorf("stage events: %w", err)
	}
	err := copyRows(ctx, tx, copyEventsSQL, len(fresh), func(k int) []any {
		ev := &events[fresh[k]]
		attrs := "{}"
		if len(ev.Attributes) > 0 {
			attrs = string(ev.Attributes)
		}
		return []any{ev.ExternalID, ev.Customer.ExternalRef, ev.Kind, ev.Channel, ev.Touchpoint, ev.Team,
			ev.OccurredAt, ev.PrejudiceCents, attrs}
	})
	if err != nil {
		return fmt.Errorf("copy %d events: %w", len(fresh), err)
	}
	cs := make([]CustomerInput, len(fresh))
	for k, i := range fresh {
		cs[k] = events[i].Customer
	}
	if _, err := s.UpsertCustomers(ctx, tx, cs); err != nil {
		return err
	}
	return insertStagedEvents(ctx, tx, first, out, stored)
}

// insertStagedEvents moves the staged events into service_events and fills
// in their results. An event a concurrent transaction stored meanwhile is a
// duplicate.
func insertStagedEvents(ctx context.Context, tx *sqlx.Tx, first map[string]int, out []BatchResult, stored []bool) error {
	rows, err := tx.QueryContext(ctx, insertStagedEventsSQL)
	if err != nil {
		return fmt.Errorf("insert events: %w", err)
	}
	for rows.Next() {
		var r Recorded
		var externalID string
		if err := rows.Scan(&r.EventID, &externalID, &r.CustomerID); err != nil {
			rows.Close()
			return fmt.Errorf("insert events: %w", err)
		}
		r.Created = true
		i := first[externalID]
		out[i].Recorded, stored[i] = r, true
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("insert events: %w", err)
	}
	var raced []string
	for id, i := range first {
		if !stored[i] {
			raced = append(raced, id)
		}
	}
	if len(raced) == 0 {
		return nil
	}
	rows, err = tx.QueryContext(ctx, `SELECT id, external_id, customer_id FROM service_events WHERE external_id = ANY ($1)`, pq.Array(raced))
	if err != nil {
		return fmt.Errorf("look up %d events stored concurrently: %w", len(raced), err)
	}
	defer rows.Close()
	for rows.Next() {
		var r Recorded
		var externalID string
		if err := rows.Scan(&r.EventID, &externalID, &r.CustomerID); err != nil {
			return fmt.Errorf("look up events stored concurrently: %w", err)
		}
		i := first[externalID]
		out[i].Recorded, stored[i] = r, true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("look up events stored concurrently: %w", err)
	}
	for _, id := range raced {
		if !stored[first[id]] {
			return fmt.Errorf("event %q was neither inserted nor found", id)
		}
	}
	return nil
}

// SaveCustomers upserts validated customers in a transaction of its own;
// see UpsertCustomers.
func (s *Store) SaveCustomers(ctx context.Context, in []CustomerInput) (CustomerCounts, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return CustomerCounts{}, fmt.Errorf("save %d customers: %w", len(in), err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit, ErrTxDone: nothing to undo
	counts, err := s.UpsertCustomers(ctx, tx, in)
	if err != nil {
		return CustomerCounts{}, err
	}
	if err := tx.Commit(); err != nil {
		return CustomerCounts{}, fmt.Errorf("save %d customers: %w", len(in), err)
	}
	return counts, nil
}

// UpsertCustomers creates or updates validated customers by external
// reference inside tx, set-based. Empty optional fields keep what is
// stored, as with a single event. A reference given several times is
// merged in order: the last non-empty value of each field wins. Customers
// whose stored values already match are not rewritten.
func (s *Store) UpsertCustomers(ctx context.Context, tx *sqlx.Tx, in []CustomerInput) (CustomerCounts, error) {
	merged := mergeCustomers(in)
	if len(merged) == 0 {
		return CustomerCounts{}, nil
	}
	if _, err := tx.ExecContext(ctx, stageCustomersSQL+"; DELETE FROM pg_temp.ingest_customers"); err != nil {
		return CustomerCounts{}, fmt.Errorf("stage customers: %w", err)
	}
	err := copyRows(ctx, tx, copyCustomersSQL, len(merged), func(k int) []any {
		c := &merged[k]
		return []any{c.ExternalRef, c.Email, nullIfEmpty(c.Name), nullIfEmpty(c.Locale), nullIfEmpty(c.TimeZone),
			nullIfEmpty(c.Segment), c.AnnualValueCents, nullIfEmpty(c.Currency)}
	})
	if err != nil {
		return CustomerCounts{}, fmt.Errorf("copy %d customers: %w", len(merged), err)
	}
	res, err := tx.ExecContext(ctx, insertStagedCustomersSQL)
	if err != nil {
		return CustomerCounts{}, fmt.Errorf("insert customers: %w", err)
	}
	created, _ := res.RowsAffected()
	counts := CustomerCounts{Created: int(created)}
	var changed []int64
	if counts.Created < len(merged) {
		refs := make([]string, len(merged))
		for i := range merged {
			refs[i] = merged[i].ExternalRef
		}
		if err := sqlx.SelectContext(ctx, tx, &changed, lockChangedCustomersSQL, pq.Array(refs)); err != nil {
			return counts, fmt.Errorf("lock the customers that change: %w", err)
		}
	}
	if len(changed) > 0 {
		if res, err = tx.ExecContext(ctx, updateChangedCustomersSQL, pq.Array(changed)); err != nil {
			return counts, fmt.Errorf("update %d customers: %w", len(changed), err)
		}
		updated, _ := res.RowsAffected()
		counts.Updated = int(updated)
	}
	counts.Unchanged = len(merged) - counts.Created - counts.Updated
	return counts, nil
}

// mergeCustomers folds repeated references in order, as successive upserts
// would, and sorts the result by reference.
func mergeCustomers(in []CustomerInput) []CustomerInput {
	at := make(map[string]int, len(in))
	out := make([]CustomerInput, 0, len(in))
	for _, c := range in {
		i, ok := at[c.ExternalRef]
		if !ok {
			at[c.ExternalRef] = len(out)
			out = append(out, c)
			continue
		}
		m := &out[i]
		m.Email = c.Email
		for _, f := range [][2]*string{{&m.Name, &c.Name}, {&m.Locale, &c.Locale}, {&m.TimeZone, &c.TimeZone}, {&m.Segment, &c.Segment}, {&m.Currency, &c.Currency}} {
			if *f[1] != "" {
				*f[0] = *f[1]
			}
		}
		if c.AnnualValueCents != nil {
			m.AnnualValueCents = c.AnnualValueCents
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ExternalRef < out[j].ExternalRef })
	return out
}

// copyRows streams n rows into a COPY … FROM STDIN statement.
func copyRows(ctx context.Context, tx *sqlx.Tx, query string, n int, row func(int) []any) error {
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for k := 0; k < n; k++ {
		if _, err := stmt.ExecContext(ctx, row(k)...); err != nil {
			return err
		}
	}
	_, err = stmt.ExecContext(ctx)
	return err
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
