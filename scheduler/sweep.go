package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// Enqueuer hands work to the workers. Implementations use deterministic task
// ids, so enqueuing work that is already queued is a no-op that returns nil.
type Enqueuer interface {
	// EnqueueSendBatch queues the sending of one batch of invitations.
	EnqueueSendBatch(ctx context.Context, batchID int64) error
	// EnqueueScore queues the scoring of one response.
	EnqueueScore(ctx context.Context, responseID int64) error
}

// dueRow is an invitation or reminder that has come due.
type dueRow struct {
	ID       int64         `db:"id"`
	Reminder bool          `db:"reminder"`
	Due      time.Time     `db:"due"`
	TimeZone string        `db:"time_zone"`
	Start    int           `db:"window_start_hour"`
	End      int           `db:"window_end_hour"`
	Weekdays pq.Int64Array `db:"window_weekdays"`
}

const selectDueSQL = `
SELECT i.id, false AS reminder, i.scheduled_for AS due, cu.time_zone, c.window_start_hour, c.window_end_hour, c.window_weekdays
FROM invitations i
JOIN campaigns c ON c.id = i.campaign_id AND c.state = 'active'
JOIN customers cu ON cu.id = i.customer_id
WHERE i.state = 'scheduled' AND i.scheduled_for <= $1
ORDER BY i.scheduled_for
LIMIT $2
FOR UPDATE OF i SKIP LOCKED`

const selectDueRemindersSQL = `
SELECT i.id, true AS reminder, i.next_reminder_at AS due, cu.time_zone, c.window_start_hour, c.window_end_hour, c.window_weekdays
FROM invitations i
JOIN campaigns c ON c.id = i.campaign_id AND c.state = 'active'
JOIN customers cu ON cu.id = i.customer_id
WHERE i.state = 'sent' AND i.next_reminder_at <= $1
ORDER BY i.next_reminder_at
LIMIT $2
FOR UPDATE OF i SKIP LOCKED`

// ClaimDue claims up to size due invitations and reminders of active
// campaigns into a new send batch (state queued) and returns the batch id
// and how many it holds (0 when nothing may go now). What is due but
// outside the customer's send window (in their time zone) moves to the next
// allowed moment instead. Concurrent claimers skip each other's rows.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, size int) (batchID int64, n int, err error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("claim due invitations: %w", err)
	}
	defer tx.Rollback()
	var rows []dueRow
	if err := tx.SelectContext(ctx, &rows, selectDueSQL, now, size); err != nil {
		return 0, 0, fmt.Errorf("select due invitations: %w", err)
	}
	if len(rows) < size {
		var reminders []dueRow
		if err := tx.SelectContext(ctx, &reminders, selectDueRemindersSQL, now, size-len(rows)); err != nil {
			return 0, 0, fmt.Errorf("select due reminders: %w", err)
		}
		rows = append(rows, reminders...)
	}
	if len(rows) == 0 {
		return 0, 0, nil
	}
	var queue, later, laterReminders []int64
	var laterAt, laterReminderAt []time.Time
	for _, r := range rows {
		w := windowOf(r.Start, r.End, r.Weekdays)
		loc := Location(r.TimeZone)
		if w.Allows(now, loc) {
			queue = append(queue, r.ID)
			continue
		}
		next := w.Next(now, loc)
		if r.Reminder {
			laterReminders = append(laterReminders, r.ID)
			laterReminderAt = append(laterReminderAt, next)
		} else {
			later = append(later, r.ID)
			laterAt = append(laterAt, next)
		}
	}
	if len(later) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE invitations i SET scheduled_for = u.t, updated_at = $3
			FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, t) WHERE i.id = u.id`,
			pq.Array(later), pq.Array(laterAt), now); err != nil {
			return 0, 0, fmt.Errorf("move invitations into their send window: %w", err)
		}
	}
	if len(laterReminders) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE invitations i SET next_reminder_at = u.t, updated_at = $3
			FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, t) WHERE i.id = u.id`,
			pq.Array(laterReminders), pq.Array(laterReminderAt), now); err != nil {
			return 0, 0, fmt.Errorf("move reminders into their send window: %w", err)
		}
	}
	if len(queue) > 0 {
		if err := tx.GetContext(ctx, &batchID, `SELECT nextval('send_batch_seq')`); err != nil {
			return 0, 0, fmt.Errorf("new batch: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET state = 'queued', batch_id = $2, queued_at = $3, updated_at = $3,
			send_kind = CASE WHEN state = 'sent' THEN 'reminder' ELSE 'invitation' END
			WHERE id = ANY ($1)`, pq.Array(queue), batchID, now); err != nil {
			return 0, 0, fmt.Errorf("queue batch %d: %w", batchID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("claim due invitations: %w", err)
	}
	return batchID, len(queue), nil
}

// StaleBatches returns the batches with invitations queued before cutoff:
// their task may have been lost (Redis wiped, enqueue failed).
func (s *Store) StaleBatches(ctx context.Context, cutoff time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := s.db.SelectContext(ctx, &ids, `SELECT DISTINCT batch_id FROM invitations
		WHERE state = 'queued' AND queued_at < $1 ORDER BY batch_id LIMIT $2`, cutoff, limit)
	if err != nil {
		return nil, fmt.Errorf("stale batches: %w", err)
	}
	return ids, nil
}

// RequeueStuckSending puts back to queued the invitations claimed for
// sending before cutoff whose worker never finished (crashed or killed), and
// returns their batches: only what was in flight may be sent twice.
func (s *Store) RequeueStuckSending(ctx context.Context, cutoff, now time.Time) ([]int64, error) {
	var ids []int64
	err := s.db.SelectContext(ctx, &ids, `WITH moved AS (
		UPDATE invitations SET state = 'queued', queued_at = $2, updated_at = $2
		WHERE state = 'sending' AND sending_at < $1 RETURNING batch_id)
		SELECT DISTINCT batch_id FROM moved ORDER BY batch_id`, cutoff, now)
	if err != nil {
		return nil, fmt.Errorf("requeue stuck invitations: %w", err)
	}
	return ids, nil
}

// ExpireInvitations ends the sent invitations whose link has expired without
// an answer: no more reminders, and the campaign's stats count them.
func (s *Store) ExpireInvitations(ctx context.Context, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE invitations SET state = 'expired', next_reminder_at = NULL, updated_at = $1
		WHERE state = 'sent' AND expires_at < $1`, now)
	if err != nil {
		return 0, fmt.Errorf("expire invitations: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
