package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Enqueuer hands work to the workers. Implementations use deterministic task
// ids, so enqueuing work that is already queued is a no-op that returns nil;
// work whose task was archived (its retries spent) is queued anew, since
// PostgreSQL says it is still to do.
type Enqueuer interface {
	// EnqueueSendBatch queues the sending of one batch of invitations.
	EnqueueSendBatch(ctx context.Context, batchID int64) error
	// EnqueueScore queues the scoring of one response.
	EnqueueScore(ctx context.Context, responseID int64) error
	// RequeueSendBatch puts back on the queue a batch PostgreSQL says is
	// pending, and says what that did.
	RequeueSendBatch(ctx context.Context, batchID int64) (Outcome, error)
	// RequeueScore puts back on the queue the scoring of a response
	// PostgreSQL says is unscored, and says what that did.
	RequeueScore(ctx context.Context, responseID int64) (Outcome, error)
}

// dueRow is an invitation or reminder that has come due.
type dueRow struct {
	ID         int64     `db:"invitation_id"`
	Kind       string    `db:"kind"`
	CampaignID int64     `db:"campaign_id"`
	CustomerID int64     `db:"customer_id"`
	Due        time.Time `db:"due_at"`
	TimeZone   string    `db:"time_zone"`
}

// claimDueSQL takes due sends off the queue in one statement: it locks them
// walking the due index in order from the cursor (the active campaigns come
// as a list: a join with the small campaigns table, often without
// statistics, can mislead the planner), deletes them by tuple id, and
// returns each with its customer's time zone.
const claimDueSQL = `
WITH due AS (
    DELETE FROM due_sends WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM due_sends
        WHERE due_at <= $1 AND (due_at, invitation_id) > ($3, $4) AND campaign_id = ANY ($5)
        ORDER BY due_at, invitation_id
        LIMIT $2
        FOR UPDATE SKIP LOCKED))
    RETURNING invitation_id, kind, campaign_id, customer_id, due_at
)
SELECT due.invitation_id, due.kind, due.campaign_id, due.customer_id, due.due_at, cu.time_zone
FROM due JOIN customers cu ON cu.id = due.customer_id`

// queueSQL marks claimed invitations queued in a batch. Only invitations
// still waiting are taken: a first send must still be scheduled, a reminder's
// invitation still sent (not answered or expired meanwhile). No index covers
// these columns, so PostgreSQL can update the rows in place (HOT).
const queueSQL = `
UPDATE invitations SET state = 'queued', batch_id = $3, queued_at = $4, updated_at = $4,
    send_kind = CASE WHEN id = ANY ($2) THEN 'reminder' ELSE 'invitation' END
WHERE id = ANY ($1) AND ((state = 'scheduled' AND NOT id = ANY ($2)) OR (state = 'sent' AND id = ANY ($2)))
RETURNING id`

// dueInsertSQL puts sends (back) on the queue; the same send queued again
// takes the new time.
const dueInsertSQL = `
INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
SELECT * FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::bigint[], $5::bigint[])
ON CONFLICT (invitation_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at`

// due is a send to put on the queue.
type due struct {
	InvitationID, CampaignID, CustomerID int64
	Kind                                 string
	At                                   time.Time
}

// putDue queues sends, inside q's transaction.
func putDue(ctx context.Context, q sqlx.ExecerContext, ds []due) error {
	if len(ds) == 0 {
		return nil
	}
	ids, camps, custs := make(pq.Int64Array, len(ds)), make(pq.Int64Array, len(ds)), make(pq.Int64Array, len(ds))
	kinds, ats := make(pq.StringArray, len(ds)), make([]time.Time, len(ds))
	for i, d := range ds {
		ids[i], kinds[i], ats[i], camps[i], custs[i] = d.InvitationID, d.Kind, d.At, d.CampaignID, d.CustomerID
	}
	if _, err := q.ExecContext(ctx, dueInsertSQL, ids, kinds, pq.Array(ats), camps, custs); err != nil {
		return fmt.Errorf("queue %d sends: %w", len(ds), err)
	}
	return nil
}

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

	// The active campaigns' windows, read once per sweep.
	windows map[int64]SendWindow
	active  pq.Int64Array
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
	if cur.Done {
		return 0, 0, nil
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("claim due invitations: %w", err)
	}
	defer tx.Rollback()
	// A claim lost in a database crash is harmless: its sends go back on
	// the queue and its task finds nothing to send. Do not wait for the disk.
	if _, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
		return 0, 0, fmt.Errorf("claim due invitations: %w", err)
	}
	if cur.windows == nil {
		if cur.windows, cur.active, err = s.activeWindows(ctx, tx); err != nil {
			return 0, 0, err
		}
	}
	windows, active := cur.windows, cur.active
	if len(active) == 0 {
		cur.Done = true
		return 0, 0, nil
	}
	after := cur.Due
	if after.IsZero() {
		after = time.Unix(0, 0)
	}
	var rows []dueRow
	if err := tx.SelectContext(ctx, &rows, claimDueSQL, now, size, after, cur.ID, active); err != nil {
		return 0, 0, fmt.Errorf("claim due sends: %w", err)
	}
	for _, r := range rows {
		if r.Due.After(cur.Due) || (r.Due.Equal(cur.Due) && r.ID > cur.ID) {
			cur.Due, cur.ID = r.Due, r.ID
		}
	}
	cur.Done = len(rows) < size
	if len(rows) == 0 {
		return 0, 0, nil
	}
	// What is due outside the customer's send window goes back on the queue
	// for the next allowed moment (rare: scheduling aimed inside it).
	var queue, reminders pq.Int64Array
	var later []due
	var movedIDs []int64
	var movedAt []time.Time
	for _, r := range rows {
		w := windows[r.CampaignID]
		loc := Location(r.TimeZone)
		if w.Allows(now, loc) {
			queue = append(queue, r.ID)
			if r.Kind == SendReminder {
				reminders = append(reminders, r.ID)
			}
			continue
		}
		next := w.Next(now, loc)
		later = append(later, due{InvitationID: r.ID, Kind: r.Kind, At: next, CampaignID: r.CampaignID, CustomerID: r.CustomerID})
		if r.Kind == SendInvitation {
			movedIDs, movedAt = append(movedIDs, r.ID), append(movedAt, next)
		}
	}
	if err := putDue(ctx, tx, later); err != nil {
		return 0, 0, err
	}
	if len(movedIDs) > 0 {
		// Keep the invitation's planned time true for people reading it.
		if _, err := tx.ExecContext(ctx, `UPDATE invitations i SET scheduled_for = u.t, updated_at = $3
			FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, t) WHERE i.id = ANY ($1) AND i.id = u.id`,
			pq.Array(movedIDs), pq.Array(movedAt), now); err != nil {
			return 0, 0, fmt.Errorf("move invitations into their send window: %w", err)
		}
	}
	if len(queue) == 0 {
		return 0, 0, tx.Commit()
	}
	if err := tx.GetContext(ctx, &batchID, `SELECT nextval('send_batch_seq')`); err != nil {
		return 0, 0, fmt.Errorf("new batch: %w", err)
	}
	if reminders == nil {
		reminders = pq.Int64Array{}
	}
	var queued int
	if err := tx.GetContext(ctx, &queued, `WITH q AS (`+queueSQL+`)
		, b AS (INSERT INTO send_batches (id, invitation_ids, created_at)
			SELECT $3, array_agg(id), $4 FROM q HAVING count(*) > 0 RETURNING cardinality(invitation_ids) AS n)
		SELECT COALESCE((SELECT n FROM b), 0)`, queue, reminders, batchID, now); err != nil {
		return 0, 0, fmt.Errorf("queue batch %d: %w", batchID, err)
	}
	if queued == 0 {
		return 0, 0, tx.Commit() // everything claimed had been answered, expired or withdrawn
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("claim due invitations: %w", err)
	}
	return batchID, queued, nil
}

// StaleBatches returns the batches whose task may have been lost: queued
// before queuedCutoff and never started (Redis wiped, enqueue failed), or
// being sent under a lease last renewed before sendingCutoff (the worker
// crashed or was killed mid-batch: only what it had not recorded sent goes
// again).
func (s *Store) StaleBatches(ctx context.Context, queuedCutoff, sendingCutoff time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := s.db.SelectContext(ctx, &ids, `SELECT id FROM send_batches
		WHERE (state = 'queued' AND created_at < $1) OR (state = 'sending' AND COALESCE(heartbeat_at, started_at) < $2)
		ORDER BY id LIMIT $3`, queuedCutoff, sendingCutoff, limit)
	if err != nil {
		return nil, fmt.Errorf("stale batches: %w", err)
	}
	return ids, nil
}

// OldestOpenBatch returns when the oldest batch not finished yet was
// claimed, or the zero time when every batch is done.
func (s *Store) OldestOpenBatch(ctx context.Context) (time.Time, error) {
	var t *time.Time
	if err := s.db.GetContext(ctx, &t, `SELECT min(created_at) FROM send_batches WHERE state <> 'done'`); err != nil {
		return time.Time{}, fmt.Errorf("oldest open batch: %w", err)
	}
	if t == nil {
		return time.Time{}, nil
	}
	return *t, nil
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
