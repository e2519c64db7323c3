package complaints

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Reasons of a double deviation: the recovery itself failed.
const (
	// DoubleDeviationRecovery: the recovery survey came back negative.
	DoubleDeviationRecovery = "recovery_negative"
	// DoubleDeviationPromise: the deadline the customer was promised passed.
	DoubleDeviationPromise = "promise_missed"
)

// Recovery is what a recovery survey's reply did to its complaint.
type Recovery struct {
	ComplaintID int64
	Negative    bool
	// DoubleDeviation is set when the reply was negative: the complaint is
	// back at P1, flagged, and reopened if it was resolved.
	DoubleDeviation bool
	Priority        Priority
	DueAt           time.Time
}

// RecordRecovery records the customer's answer to the recovery survey of a
// complaint, inside the transaction that stores the reply. A negative
// answer is a double deviation: the recovery failed, the customer is at
// the highest risk of revenge, so the complaint reopens at P1, flagged.
func (s *Store) RecordRecovery(ctx context.Context, tx *sqlx.Tx, complaintID, responseID int64, negative bool, now time.Time) (Recovery, error) {
	c, err := lock(ctx, tx, complaintID)
	if err != nil {
		return Recovery{}, err
	}
	out := Recovery{ComplaintID: complaintID, Negative: negative, Priority: c.Priority}
	if !negative {
		if _, err := tx.ExecContext(ctx, `UPDATE complaints SET recovery_outcome = 'positive', updated_at = $2
			WHERE id = $1 AND recovery_outcome = ''`, complaintID, now); err != nil {
			return out, fmt.Errorf("record recovery of complaint %d: %w", complaintID, err)
		}
		return out, audit(ctx, tx, complaintID, System, RecoveryPositiveEvent{ResponseID: responseID}, now)
	}
	out.DoubleDeviation, out.Priority = true, P1
	p, err := s.policyOf(ctx, tx, complaintID)
	if err != nil {
		return out, err
	}
	out.DueAt = p.Deadline(P1, now)
	if c.State == StateResolved {
		if err := s.reopen(ctx, tx, complaintID, P1, out.DueAt, now); err != nil {
			return out, err
		}
	} else if err := tx.GetContext(ctx, &out.DueAt, `UPDATE complaints SET priority = 1, due_at = LEAST(due_at, $2), updated_at = $3
		WHERE id = $1 RETURNING due_at`, complaintID, out.DueAt, now); err != nil {
		return out, fmt.Errorf("escalate complaint %d: %w", complaintID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE complaints SET recovery_outcome = 'negative', double_deviation = true,
		double_deviation_reason = $2 WHERE id = $1`, complaintID, DoubleDeviationRecovery); err != nil {
		return out, fmt.Errorf("flag complaint %d: %w", complaintID, err)
	}
	return out, audit(ctx, tx, complaintID, System, DoubleDeviationEvent{
		Reason: DoubleDeviationRecovery, ResponseID: responseID, FromPriority: c.Priority.String(),
		ToPriority: P1.String(), DueAt: out.DueAt, Reopened: c.State == StateResolved}, now)
}

// QueueAcknowledgement queues the acknowledgement email of a complaint, to
// send at sendAt.
func (s *Store) QueueAcknowledgement(ctx context.Context, tx *sqlx.Tx, complaintID int64, sendAt, now time.Time) (int64, error) {
	return queueMessage(ctx, tx, complaintID, MessageAcknowledgement, System, "", "", sendAt, now)
}
