package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
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
	ID         int64     `db:"id"`
	Reminder   bool      `db:"reminder"`
	CampaignID int64     `db:"campaign_id"`
	Due        time.Time `db:"due"`
	TimeZone   string    `db:"time_zone"`
}

// claimDueSQL queues due invitations in one statement: it locks them
// walking the partial index in order (the active campaigns come as a list:
// a join with the small campaigns table, often without statistics, can
// mislead the planner into sorting the whole table), marks them queued in
// batch $6, and returns each with its customer's time zone.
const claimDueSQL = `
WITH due AS (
    SELECT i.id FROM invitations i
    WHERE i.state = 'scheduled' AND i.scheduled_for <= $1 AND (i.scheduled_for, i.id) > ($3, $4)
      AND i.campaign_id = ANY ($5)
    ORDER BY i.scheduled_for, i.id
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE invitations i SET state = 'queued', send_kind = 'invitation', batch_id = $6, queued_at = $1, updated_at = $1
FROM due, customers cu
WHERE i.id = due.id AND cu.id = i.customer_id
RETURNING i.id, false AS reminder, i.campaign_id, i.scheduled_for AS due, cu.time_zone`

const claimDueRemindersSQL = `
WITH due AS (
    SELECT i.id FROM invitations i
    WHERE i.state = 'sent' AND i.next_reminder_at <= $1 AND i.campaign_id = ANY ($3)
    ORDER BY i.next_reminder_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED
)
UPDATE invitations i SET state = 'queued', send_kind = 'reminder', batch_id = $4, queued_at = $1, updated_at = $1
FROM due, customers cu
WHERE i.id = due.id AND cu.id = i.customer_id
RETURNING i.id, true AS reminder, i.campaign_id, i.next_reminder_at AS due, cu.time_zone`

// activeWindows returns the send window of every active campaign.
func (s *Store) activeWindows(ctx context.Context, q sqlx.QueryerContext) (map[int64]SendWindow, pq.Int64Array, error) {
	var rows []struct {
		ID       int64         `db:"id"`
		Start    int           `db:"window_start_hour"`
		End      int           `db:"window_end_hour"`
		Weekdays pq.Int64Array `db:"window_weekdays"`
	}
	if err := sqlx.SelectContext(ctx, q, &rows, `SELECT id, window_start_hour, window_end_hour, window_weekdays FROM campaigns WHERE state = 'active'`); err != nil {
		return nil, nil, fmt.Errorf("active campaigns: %w", err)
	}
	windows := make(map[int64]SendWindow, len(rows))
	ids := make(pq.Int64Array, 0, len(rows))
	for _, r := range rows {
		windows[r.ID] = windowOf(r.Start, r.End, r.Weekdays)
		ids = append(ids, r.ID)
	}
	return windows, ids, nil
}

// Cursor is where a sweep's previous claim stopped in the due invitations:
// the next claim starts after it instead of walking again over what was
// just claimed. The zero Cursor starts at the beginning.
type Cursor struct {
	Due time.Time
	ID  int64
	// Done is set once a claim found no due invitation past the cursor.
	Done bool
}

// ClaimDue claims up to size due invitations and reminders of active
// campaigns into a new send batch (state queued) and returns the batch id
// and how many it holds (0 when nothing may go now). What is due but
// outside the customer's send window (in their time zone) moves to the next
// allowed moment instead. Concurrent claimers skip each other's rows.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, size int) (batchID int64, n int, err error) {
	return s.ClaimDueAfter(ctx, now, size, &Cursor{})
}

// ClaimDueAfter is ClaimDue starting after cur, which it advances. A sweep
// claiming many batches passes the same cursor to each claim.
func (s *Store) ClaimDueAfter(ctx context.Context, now time.Time, size int, cur *Cursor) (batchID int64, n int, err error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("claim due invitations: %w", err)
	}
	defer tx.Rollback()
	// A claim lost in a database crash is harmless: its rows go back to
	// scheduled and its task finds nothing to send. Do not wait for the disk.
	if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return 0, 0, fmt.Errorf("claim due invitations: %w", err)
	}
	windows, active, err := s.activeWindows(ctx, tx)
	if err != nil {
		return 0, 0, err
	}
	if len(active) == 0 {
		return 0, 0, nil
	}
	if err := tx.GetContext(ctx, &batchID, `SELECT nextval('send_batch_seq')`); err != nil {
		return 0, 0, fmt.Errorf("new batch: %w", err)
	}
	var rows []dueRow
	if !cur.Done {
		after := cur.Due
		if after.IsZero() {
			after = time.Unix(0, 0)
		}
		if err := tx.SelectContext(ctx, &rows, claimDueSQL, now, size, after, cur.ID, active, batchID); err != nil {
			return 0, 0, fmt.Errorf("claim due invitations: %w", err)
		}
		for _, r := range rows {
			if r.Due.After(cur.Due) || (r.Due.Equal(cur.Due) && r.ID > cur.ID) {
				cur.Due, cur.ID = r.Due, r.ID
			}
		}
		cur.Done = len(rows) < size
	}
	if len(rows) < size {
		var reminders []dueRow
		if err := tx.SelectContext(ctx, &reminders, claimDueRemindersSQL, now, size-len(rows), active, batchID); err != nil {
			return 0, 0, fmt.Errorf("claim due reminders: %w", err)
		}
		rows = append(rows, reminders...)
	}
	if len(rows) == 0 {
		return 0, 0, nil
	}
	// What is due outside the customer's send window goes back to wait for
	// the next allowed moment (rare: scheduling already aimed inside it).
	var queue, later, laterReminders []int64
	var laterAt, laterReminderAt []time.Time
	for _, r := range rows {
		w := windows[r.CampaignID]
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
		if _, err := tx.ExecContext(ctx, `UPDATE invitations i SET state = 'scheduled', scheduled_for = u.t, batch_id = NULL, updated_at = $3
			FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, t) WHERE i.id = ANY ($1) AND i.id = u.id`,
			pq.Array(later), pq.Array(laterAt), now); err != nil {
			return 0, 0, fmt.Errorf("move invitations into their send window: %w", err)
		}
	}
	if len(laterReminders) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE invitations i SET state = 'sent', next_reminder_at = u.t, batch_id = NULL, updated_at = $3
			FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, t) WHERE i.id = ANY ($1) AND i.id = u.id`,
			pq.Array(laterReminders), pq.Array(laterReminderAt), now); err != nil {
			return 0, 0, fmt.Errorf("move reminders into their send window: %w", err)
		}
	}
	if len(queue) > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO send_batches (id, invitation_ids, created_at) VALUES ($1, $2, $3)`,
			batchID, pq.Array(queue), now); err != nil {
			return 0, 0, fmt.Errorf("record batch %d: %w", batchID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("claim due invitations: %w", err)
	}
	if len(queue) == 0 {
		return 0, 0, nil
	}
	return batchID, len(queue), nil
}

// StaleBatches returns the batches whose task may have been lost: queued
// before queuedCutoff and never started (Redis wiped, enqueue failed), or
// started before sendingCutoff and never finished (the worker crashed or was
// killed mid-batch: only what it had not marked sent goes again).
func (s *Store) StaleBatches(ctx context.Context, queuedCutoff, sendingCutoff time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := s.db.SelectContext(ctx, &ids, `SELECT id FROM send_batches
		WHERE (state = 'queued' AND created_at < $1) OR (state = 'sending' AND started_at < $2)
		ORDER BY id LIMIT $3`, queuedCutoff, sendingCutoff, limit)
	if err != nil {
		return nil, fmt.Errorf("stale batches: %w", err)
	}
	return ids, nil
}

// PruneBatches deletes finished batches older than cutoff.
func (s *Store) PruneBatches(ctx context.Context, cutoff time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM send_batches WHERE state = 'done' AND finished_at < $1`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("prune batches: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
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
