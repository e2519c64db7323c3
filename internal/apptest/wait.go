package apptest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/scheduler"
)

// waitTimeout bounds the harness's waits: long enough for a loaded
// two-core machine, short enough to fail a stuck test quickly.
const waitTimeout = 30 * time.Second

// passes records the scheduler role's reconciliation passes and wakes
// whoever waits for one.
type passes struct {
	mu   sync.Mutex
	seen []scheduler.Reconciliation
	next chan struct{} // closed, and replaced, at each pass
}

func newPasses() *passes { return &passes{next: make(chan struct{})} }

// add is the app's Reconciled hook.
func (p *passes) add(r scheduler.Reconciliation) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen = append(p.seen, r)
	close(p.next)
	p.next = make(chan struct{})
}

// WaitReconciled waits for a reconciliation pass of the scheduler role that
// match accepts (one already finished counts), and returns it. Use it to
// reach a known point before checking that nothing was sent twice: for
// instance a pass whose Cutoff is after an alert was delivered, which would
// have queued the alert again had it been recorded as undelivered.
func (h *Harness) WaitReconciled(t testing.TB, what string, match func(scheduler.Reconciliation) bool) scheduler.Reconciliation {
	t.Helper()
	timeout := time.After(waitTimeout)
	for i := 0; ; {
		h.passes.mu.Lock()
		seen, next := h.passes.seen, h.passes.next
		h.passes.mu.Unlock()
		for ; i < len(seen); i++ {
			if match(seen[i]) {
				return seen[i]
			}
		}
		select {
		case <-next:
		case <-timeout:
			t.Fatalf("waited %s for a reconciliation pass: %s (%d passes seen)", waitTimeout, what, len(seen))
		}
	}
}

// WaitIdle waits until no task of the deployment is waiting or running:
// every task queued so far (and every task those queued in turn) has been
// processed. A task scheduled for later, or waiting for its retry after a
// failure, does not count.
// The queues are read from Redis in one transaction, so a task moving from
// one queue to another cannot be missed; they are read by key rather than
// through asynq's inspector, which forgets a queue wiped from Redis while
// its tasks are queued again.
func (h *Harness) WaitIdle(t testing.TB) {
	t.Helper()
	q := h.App.Queue.Queues()
	names := []string{q.Critical(), q.Default(), q.Low()}
	wait.Until(t, waitTimeout, "the worker to process every queued task", func() bool {
		ctx := context.Background()
		pipe := h.App.Redis.TxPipeline()
		var lens []interface{ Val() int64 }
		for _, name := range names {
			lens = append(lens, pipe.LLen(ctx, "asynq:{"+name+"}:pending"), pipe.LLen(ctx, "asynq:{"+name+"}:active"))
		}
		if _, err := pipe.Exec(ctx); err != nil {
			t.Fatalf("read the queues: %v", err)
		}
		for _, l := range lens {
			if l.Val() != 0 {
				return false
			}
		}
		return true
	})
}
