package scheduler

import (
	"context"
	"fmt"
	"time"
)

// Enqueuer hands work to the workers. Implementations use deterministic task
// ids, so enqueuing work that is already queued is a no-op that returns nil.
type Enqueuer interface {
	// EnqueueSendBatch queues the sending of one batch of invitations.
	EnqueueSendBatch(ctx context.Context, batchID int64) error
	// EnqueueScore queues the scoring of one response.
	EnqueueScore(ctx context.Context, responseID int64) error
}

// ClaimDue claims up to size due invitations of active campaigns into a new
// send batch (state queued) and returns the batch id and how many it holds
// (0 when nothing is due). Concurrent claimers skip each other's rows.
func (s *Store) ClaimDue(ctx context.Context, now time.Time, size int) (batchID int64, n int, err error) {
	rows, err := s.db.QueryContext(ctx, `
WITH due AS (
    SELECT i.id FROM invitations i JOIN campaigns c ON c.id = i.campaign_id AND c.state = 'active'
    WHERE i.state = 'scheduled' AND i.scheduled_for <= $1
    ORDER BY i.scheduled_for
    LIMIT $2
    FOR UPDATE OF i SKIP LOCKED
), upd AS (
    UPDATE invitations i SET state = 'queued', batch_id = (SELECT nextval('send_batch_seq')), queued_at = $1, updated_at = $1
    FROM due WHERE i.id = due.id
    RETURNING i.batch_id
)
SELECT batch_id, count(*) FROM upd GROUP BY batch_id`, now, size)
	if err != nil {
		return 0, 0, fmt.Errorf("claim due invitations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(&batchID, &n); err != nil {
			return 0, 0, fmt.Errorf("claim due invitations: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("claim due invitations: %w", err)
	}
	return batchID, n, nil
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
