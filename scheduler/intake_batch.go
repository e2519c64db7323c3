package scheduler

import (
	"context"
	"errors"
	"fmt"

	"github.com/lib/pq"

	"github.com/followup/followup/customers"
)

// BatchAccepted is the outcome of recording a batch of events.
type BatchAccepted struct {
	// Events has one result per event, in order.
	Events []customers.BatchResult
	// Invitations is how many invitations the new events scheduled.
	Invitations int
}

// maxBatchAttempts bounds the retries of a batch whose transaction lost a
// deadlock or serialization conflict to a concurrent one.
const maxBatchAttempts = 3

// RecordBatch stores validated events and schedules the invitations of the
// new ones, all in one transaction: either the whole batch is stored with
// its invitations, or nothing is. Duplicates (already stored, or repeated
// in the batch) change nothing; see customers.Store.RecordBatch.
func (in *Intake) RecordBatch(ctx context.Context, events []customers.EventInput) (BatchAccepted, error) {
	var err error
	for attempt := 1; ; attempt++ {
		var out BatchAccepted
		out, err = in.recordBatch(ctx, events)
		if err == nil || attempt == maxBatchAttempts || !retryable(err) || ctx.Err() != nil {
			if err != nil {
				return BatchAccepted{}, fmt.Errorf("record %d events: %w", len(events), err)
			}
			return out, nil
		}
	}
}

func (in *Intake) recordBatch(ctx context.Context, events []customers.EventInput) (BatchAccepted, error) {
	tx, err := in.db.BeginTxx(ctx, nil)
	if err != nil {
		return BatchAccepted{}, err
	}
	defer tx.Rollback()
	results, err := in.customers.RecordBatch(ctx, tx, events)
	if err != nil {
		return BatchAccepted{}, err
	}
	var created []int64
	for _, r := range results {
		if r.Created {
			created = append(created, r.EventID)
		}
	}
	out := BatchAccepted{Events: results}
	if len(created) > 0 {
		if out.Invitations, err = in.store.ScheduleForEvents(ctx, tx, created); err != nil {
			return BatchAccepted{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return BatchAccepted{}, err
	}
	return out, nil
}

// retryable is a transaction PostgreSQL aborted in favour of a concurrent
// one: running it again is safe and will likely succeed.
func retryable(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && (pqErr.Code == "40P01" || pqErr.Code == "40001")
}
