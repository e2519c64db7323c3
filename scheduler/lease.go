package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// Claim is a send batch taken by one worker, which holds it under a lease
// it renews while it sends (RenewBatch). A worker that dies stops renewing,
// and once the lease has run out another may take the batch over: what the
// dead one did not record sent goes again.
type Claim struct {
	Batch int64
	// Token tells this claim from the batch's earlier and later ones: the
	// renewals, release and finish of a worker that lost the batch to
	// another change nothing.
	Token int
	// Invitations are the batch's invitations still queued, each with its
	// link expiry (now plus its campaign's invitation lifetime).
	Invitations []Outgoing
}

// BatchHeldError is a batch another worker holds under a lease it renewed
// at RenewedAt: it may be taken over once the lease has run out from then.
type BatchHeldError struct {
	Batch     int64
	RenewedAt time.Time
}

func (e *BatchHeldError) Error() string {
	return fmt.Sprintf("batch %d is being sent by another worker (lease renewed at %s)", e.Batch, e.RenewedAt.Format(time.RFC3339))
}

// ErrLeaseLost is a renewal refused: the batch was taken over by another
// worker (its lease had run out) or is no longer being sent.
var ErrLeaseLost = errors.New("the batch's lease was lost")

// ClaimSend takes a send batch for this worker. A batch held by another
// worker whose lease was renewed at or after leaseCutoff is refused with a
// *BatchHeldError; one whose lease ran out before leaseCutoff (its worker
// died) is taken over. ok is false when there is nothing to do (the batch
// is done or unknown).
func (s *Store) ClaimSend(ctx context.Context, batchID int64, now, leaseCutoff time.Time) (c Claim, ok bool, err error) {
	var row struct {
		IDs   pq.Int64Array `db:"invitation_ids"`
		Token int           `db:"attempts"`
	}
	err = s.db.GetContext(ctx, &row, `UPDATE send_batches SET state = 'sending', started_at = $2, heartbeat_at = $2, attempts = attempts + 1
		WHERE id = $1 AND (state = 'queued' OR (state = 'sending' AND COALESCE(heartbeat_at, started_at) < $3))
		RETURNING invitation_ids, attempts`, batchID, now, leaseCutoff)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, s.whyNotClaimed(ctx, batchID)
	}
	if err != nil {
		return c, false, fmt.Errorf("claim batch %d: %w", batchID, err)
	}
	c = Claim{Batch: batchID, Token: row.Token}
	err = s.db.SelectContext(ctx, &c.Invitations, `
SELECT i.id, i.customer_id, i.campaign_id, i.survey_version_id, i.attempts, i.first_failed_at, i.send_kind, i.reminders_sent,
       $2::timestamptz + make_interval(secs => c.invitation_ttl_seconds) AS expires_at,
       c.state AS campaign_state, c.frequency_cap_days, c.trigger_kind = 'recovery' AS recovery,
       cu.email, cu.name, cu.locale, cu.opted_out_at IS NOT NULL AS opted_out,
       COALESCE(sup.reason, '') AS address_suppressed
FROM `+sendTimeFacts+`
WHERE i.id = ANY ($1) AND i.state = 'queued' AND i.batch_id = $3
ORDER BY i.id`, row.IDs, now, batchID)
	if err != nil {
		return c, false, fmt.Errorf("invitations of batch %d: %w", batchID, err)
	}
	return c, true, nil
}

// whyNotClaimed returns a *BatchHeldError when another worker holds the
// batch, nil when it is done or unknown.
func (s *Store) whyNotClaimed(ctx context.Context, batchID int64) error {
	var held struct {
		State     string    `db:"state"`
		RenewedAt time.Time `db:"renewed_at"`
	}
	err := s.db.GetContext(ctx, &held, `SELECT state, COALESCE(heartbeat_at, started_at, created_at) AS renewed_at FROM send_batches WHERE id = $1`, batchID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("claim batch %d: %w", batchID, err)
	case held.State == "sending":
		return &BatchHeldError{Batch: batchID, RenewedAt: held.RenewedAt}
	}
	return nil
}

// RenewBatch extends the lease of a claim: the worker sending it is alive.
// It returns ErrLeaseLost when the batch is no longer this claim's: the
// worker must stop sending it.
func (s *Store) RenewBatch(ctx context.Context, c Claim, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE send_batches SET heartbeat_at = $3 WHERE id = $1 AND state = 'sending' AND attempts = $2`,
		c.Batch, c.Token, now)
	if err != nil {
		return fmt.Errorf("renew the lease of batch %d: %w", c.Batch, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("batch %d: %w", c.Batch, ErrLeaseLost)
	}
	return nil
}

// ReleaseClaim gives a batch back after its task stopped midway (the
// database went away, the lease was lost...), so the task's retry can take
// it again at once instead of waiting for the lease to run out. A claim
// already taken over releases nothing.
func (s *Store) ReleaseClaim(ctx context.Context, c Claim) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE send_batches SET state = 'queued' WHERE id = $1 AND state = 'sending' AND attempts = $2`,
		c.Batch, c.Token); err != nil {
		return fmt.Errorf("release batch %d: %w", c.Batch, err)
	}
	return nil
}

// FinishClaim records that a claim's work is done. A claim already taken
// over finishes nothing: the worker holding the batch now finishes it.
func (s *Store) FinishClaim(ctx context.Context, c Claim, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE send_batches SET state = 'done', finished_at = $3 WHERE id = $1 AND attempts = $2`,
		c.Batch, c.Token, now); err != nil {
		return fmt.Errorf("finish batch %d: %w", c.Batch, err)
	}
	return nil
}
