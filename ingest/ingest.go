package ingest

import (
	"context"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/scheduler"
)

// MaxBatch is the most events one API batch may hold. The CSV import has no
// limit: it stores a file in chunks.
const MaxBatch = 10_000

// Ingester validates and stores customers and events in bulk.
type Ingester struct {
	intake    *scheduler.Intake
	customers *customers.Store
	clock     clock.Clock
}

// New returns an Ingester. The clock bounds how far ahead an event may be
// dated.
func New(intake *scheduler.Intake, cs *customers.Store, clk clock.Clock) *Ingester {
	if clk == nil {
		clk = clock.Real{}
	}
	return &Ingester{intake: intake, customers: cs, clock: clk}
}

// Row is one input row: where it was found and what it says, or why it
// could not be read.
type Row[T any] struct {
	// Line places the row for the person who sent it: the index in a JSON
	// batch (from 0), the line number in a CSV file (the header is line 1).
	Line int
	// In is the row's input; meaningless when Problem is set.
	In T
	// Problem is set when the row could not be decoded (a number that is
	// not one, a malformed CSV record…); the row is then rejected as is.
	Problem *invalid.FieldError
}

// EventRow is one event of a batch.
type EventRow = Row[customers.EventInput]

// CustomerRow is one customer of a batch.
type CustomerRow = Row[customers.CustomerInput]

// Status is what became of a row.
type Status string

// Row outcomes.
const (
	// Stored: the row was new and is stored.
	Stored Status = "stored"
	// Duplicate: the row was already stored, or repeats an earlier row of
	// the batch; nothing changed.
	Duplicate Status = "duplicate"
	// Rejected: the row is invalid and was skipped.
	Rejected Status = "rejected"
)

// RowResult is the outcome of one event row.
type RowResult struct {
	// Line is the row's Line.
	Line int
	// ID is the event's external id (a customer's external reference), as
	// far as it could be read.
	ID     string
	Status Status
	// Problem says which field is wrong and why, for a rejected row. Its
	// Field is empty when the row as a whole is malformed.
	Problem *invalid.FieldError
	// EventID and CustomerID are set for stored and duplicate events.
	EventID    int64
	CustomerID int64
	// SameAs is, for a duplicate of an earlier row of the same batch, that
	// row's Line; -1 otherwise.
	SameAs int
}

// EventReport is the outcome of a batch of events.
type EventReport struct {
	// Rows has one result per row, in order.
	Rows                                    []RowResult
	Stored, Duplicates, Rejected, Scheduled int
}

// CustomerReport is the outcome of a batch of customers.
type CustomerReport struct {
	// Rejected has the rows that were skipped, in order.
	Rejected []RowResult
	// Created and Updated count customers; Unchanged counts valid rows
	// that changed nothing (the customer was already stored with these
	// values, or the row was merged with a later row of the same customer).
	Created, Updated, Unchanged int
}

// preparedEvents is a validated batch, ready to store.
type preparedEvents struct {
	report EventReport
	valid  []customers.EventInput
	at     []int // valid[k] is report.Rows[at[k]]
}

// Events validates a batch of events and stores the valid ones, with their
// invitations, in one transaction. An error means nothing was stored.
func (g *Ingester) Events(ctx context.Context, rows []EventRow) (EventReport, error) {
	return g.storeEvents(ctx, g.prepareEvents(rows))
}

func (g *Ingester) prepareEvents(rows []EventRow) *preparedEvents {
	now := g.clock.Now()
	p := &preparedEvents{report: EventReport{Rows: make([]RowResult, len(rows))}}
	p.valid = make([]customers.EventInput, 0, len(rows))
	p.at = make([]int, 0, len(rows))
	for i := range rows {
		row := &rows[i]
		res := &p.report.Rows[i]
		res.Line, res.SameAs = row.Line, -1
		fe := row.Problem
		if fe == nil {
			fe = row.In.Validate(now)
		}
		res.ID = row.In.ExternalID
		if fe != nil {
			res.Status, res.Problem = Rejected, fe
			p.report.Rejected++
			continue
		}
		p.valid = append(p.valid, row.In)
		p.at = append(p.at, i)
	}
	return p
}

func (g *Ingester) storeEvents(ctx context.Context, p *preparedEvents) (EventReport, error) {
	rep := p.report
	if len(p.valid) == 0 {
		return rep, nil
	}
	acc, err := g.intake.RecordBatch(ctx, p.valid)
	if err != nil {
		return EventReport{}, err
	}
	rep.Scheduled = acc.Invitations
	for k, r := range acc.Events {
		res := &rep.Rows[p.at[k]]
		res.EventID, res.CustomerID = r.EventID, r.CustomerID
		if r.Created {
			res.Status = Stored
			rep.Stored++
			continue
		}
		res.Status = Duplicate
		rep.Duplicates++
		if r.SameAs >= 0 {
			res.SameAs = rep.Rows[p.at[r.SameAs]].Line
		}
	}
	return rep, nil
}

// preparedCustomers is a validated batch of customers, ready to store.
type preparedCustomers struct {
	report CustomerReport
	valid  []customers.CustomerInput
}

// Customers validates a batch of customers and creates or updates the
// valid ones by external reference, in one transaction. Nothing is
// scheduled. An error means nothing was stored.
func (g *Ingester) Customers(ctx context.Context, rows []CustomerRow) (CustomerReport, error) {
	return g.storeCustomers(ctx, g.prepareCustomers(rows))
}

func (g *Ingester) prepareCustomers(rows []CustomerRow) *preparedCustomers {
	p := &preparedCustomers{valid: make([]customers.CustomerInput, 0, len(rows))}
	for i := range rows {
		row := &rows[i]
		fe := row.Problem
		if fe == nil {
			fe = row.In.Validate()
		}
		if fe != nil {
			p.report.Rejected = append(p.report.Rejected, RowResult{Line: row.Line, ID: row.In.ExternalRef, Status: Rejected, Problem: fe, SameAs: -1})
			continue
		}
		p.valid = append(p.valid, row.In)
	}
	return p
}

func (g *Ingester) storeCustomers(ctx context.Context, p *preparedCustomers) (CustomerReport, error) {
	rep := p.report
	if len(p.valid) == 0 {
		return rep, nil
	}
	counts, err := g.customers.SaveCustomers(ctx, p.valid)
	if err != nil {
		return CustomerReport{}, err
	}
	rep.Created, rep.Updated = counts.Created, counts.Updated
	rep.Unchanged = len(p.valid) - counts.Created - counts.Updated
	return rep, nil
}
