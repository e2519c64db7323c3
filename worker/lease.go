package worker

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/followup/followup/scheduler"
)

// lease keeps a claimed batch held while its worker sends it: it renews the
// lease every heartbeat, and stops the sending (cancels its context) when
// the batch was taken over or the lease could not be renewed for half of
// it, well before another worker may take the batch.
type lease struct {
	renewed atomic.Int64 // unix nanoseconds of the last renewal, real time
	half    time.Duration
	done    chan struct{}
}

// errLeaseStale stops a send whose lease could not be renewed in time.
var errLeaseStale = errors.New("the batch's lease could not be renewed")

// hold starts renewing c's lease until ctx ends; stop cancels the sending.
func (h *SendHandler) hold(ctx context.Context, stop context.CancelCauseFunc, c scheduler.Claim) *lease {
	l := &lease{half: h.lease() / 2, done: make(chan struct{})}
	l.renewed.Store(time.Now().UnixNano())
	every := h.heartbeat()
	go func() {
		defer close(l.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			rctx, cancel := context.WithTimeout(ctx, every)
			err := h.Invitations.RenewBatch(rctx, c, h.Clock.Now())
			cancel()
			switch {
			case err == nil:
				l.renewed.Store(time.Now().UnixNano())
			case errors.Is(err, scheduler.ErrLeaseLost):
				stop(err)
				return
			case ctx.Err() != nil:
				return
			default:
				h.Log.Warn("renew send lease", "batch", c.Batch, "err", err)
				if err := l.check(); err != nil {
					stop(fmt.Errorf("batch %d: %w: %w", c.Batch, err, context.Cause(rctx)))
					return
				}
			}
		}
	}()
	return l
}

// check says whether the lease is still safely held: renewed within half
// of it.
func (l *lease) check() error {
	if since := time.Since(time.Unix(0, l.renewed.Load())); since > l.half {
		return fmt.Errorf("%w for %s", errLeaseStale, since.Round(time.Second))
	}
	return nil
}

// wait returns once the renewals have stopped.
func (l *lease) wait() { <-l.done }

func (h *SendHandler) lease() time.Duration {
	if h.Lease > 0 {
		return h.Lease
	}
	return scheduler.DefaultSendingLease
}

func (h *SendHandler) heartbeat() time.Duration {
	if h.Heartbeat > 0 {
		return h.Heartbeat
	}
	return h.lease() / 4
}

// retryAfter is a task error that asks asynq to try again after d rather
// than after the usual backoff: a batch held under another worker's lease
// is tried again when that lease runs out.
type retryAfter struct {
	d   time.Duration
	err error
}

func (e *retryAfter) Error() string {
	return fmt.Sprintf("%v (trying again in %s)", e.err, e.d.Round(time.Second))
}
func (e *retryAfter) Unwrap() error { return e.err }

// retryAfterOf returns the delay a task error asks for, if it asks.
func retryAfterOf(err error) (time.Duration, bool) {
	var ra *retryAfter
	if errors.As(err, &ra) {
		return max(ra.d, time.Second), true
	}
	return 0, false
}
