package worker

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/scheduler"
)

// recordTimeout bounds one group commit: a database that does not answer
// stops the sending instead of holding every connection.
const recordTimeout = 10 * time.Second

// recorder records emails sent the moment the server accepted them, so a
// crash leaves at most the message on the wire of each connection
// unrecorded. Each sending connection waits for its record before its next
// message; the records of all the process's connections waiting at once
// go in one statement (a group commit), so recording costs one commit per
// round of the connections, not one per email.
type recorder struct {
	store *scheduler.Store
	clock clock.Clock

	mu    sync.Mutex
	queue []pendingRecord
	// running counts the groups being committed; at most maxGroups at once.
	running int
	// failing is set when a group could not be committed, until one is or
	// the database answers a ping; broken is closed then, telling every
	// batch sending in this process to stop (see watch).
	failing bool
	broken  chan struct{}
}

// errRecordingDown stops a batch because this process could not record an
// email it sent: any email sent now could not be recorded either, so it
// would be sent again.
var errRecordingDown = errors.New("emails cannot be recorded as sent (the database is unreachable): sending stopped")

// watch makes stop be called, with errRecordingDown, when a record fails
// anywhere in the process while ctx lives. Without it, batches waiting for
// a pooled connection would each take the connection a failed batch let
// go and send one more email that cannot be recorded. A recorder known to
// be failing asks the database before letting a batch start.
func (r *recorder) watch(ctx context.Context, stop context.CancelCauseFunc) error {
	r.mu.Lock()
	failing := r.failing
	r.mu.Unlock()
	if failing {
		if err := r.store.Ping(ctx); err != nil {
			return fmt.Errorf("%w: %w", errRecordingDown, err)
		}
		r.mu.Lock()
		r.failing = false
		r.mu.Unlock()
	}
	r.mu.Lock()
	if r.broken == nil {
		r.broken = make(chan struct{})
	}
	broken := r.broken
	r.mu.Unlock()
	go func() {
		select {
		case <-broken:
			stop(errRecordingDown)
		case <-ctx.Done():
		}
	}()
	return nil
}

type pendingRecord struct {
	sent scheduler.Sent
	done chan error
}

// record returns once sent is committed, or with why it could not be.
func (r *recorder) record(ctx context.Context, sent scheduler.Sent) error {
	done := make(chan error, 1)
	r.mu.Lock()
	r.queue = append(r.queue, pendingRecord{sent: sent, done: done})
	// A group commit under way takes what waits when it ends; another
	// starts beside it only when many wait (distant relays' connections,
	// whose acceptances come spread out): on loopback one at a time makes
	// groups of every connection's record, a few times fewer statements.
	if r.running == 0 || (r.running < maxGroups && len(r.queue) >= groupAlongsideAt) {
		r.running++
		go r.flush()
	}
	r.mu.Unlock()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// maxGroups is how many group commits may be under way at once. With one,
// the acceptances of a distant relay's connections, which come spread out
// rather than together, each wait for the statement before theirs; with a
// few, a record waits for at most the statement it joins. Measured on two
// cores (BENCHMARKS.md): 2,032 against 1,894 emails/s to a relay 10 ms
// away over 40 connections. On loopback, four groups always allowed made
// groups of 1.5 records (13,500 statements for 20,000 emails) and doubled
// PostgreSQL's time per email: hence groupAlongsideAt.
const maxGroups = 4

// groupAlongsideAt is how many records must wait for a second (third...)
// group commit to start while one is under way.
const groupAlongsideAt = 8

// flush commits what is waiting, again and again, until nothing is.
func (r *recorder) flush() {
	for {
		// Let the other connections' goroutines run once before taking the
		// group: those whose acceptance just came join it. On loopback,
		// where acceptances come every few microseconds, groups grow from
		// four records to six (50,000 emails over 20 connections: 12,662
		// statements before, 8,810 after), at no cost to a distant relay.
		runtime.Gosched()
		r.mu.Lock()
		group := r.queue
		r.queue = nil
		if len(group) == 0 {
			r.running--
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
		sent := make([]scheduler.Sent, len(group))
		for i, p := range group {
			sent[i] = p.sent
		}
		ctx, cancel := context.WithTimeout(context.Background(), recordTimeout)
		err := r.store.RecordSent(ctx, sent, r.clock.Now())
		cancel()
		r.mu.Lock()
		r.failing = err != nil
		if err != nil && r.broken != nil {
			close(r.broken)
			r.broken = nil
		}
		r.mu.Unlock()
		for _, p := range group {
			p.done <- err
		}
	}
}
