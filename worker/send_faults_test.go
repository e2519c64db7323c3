package worker_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	netmail "net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/hibiken/asynq"

	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/worker"
)

// claimAll claims every due invitation into one batch and returns its task.
func (f *sendFixture) claimAll(t *testing.T, want int) (int64, *worker.SendHandler) {
	t.Helper()
	batch, n, err := f.store.ClaimDue(context.Background(), f.clock.Now(), 1000)
	if err != nil || n != want {
		t.Fatalf("claimed %d invitations (%v), want %d", n, err, want)
	}
	return batch, f.handler
}

func sendTask(batch int64) *asynq.Task {
	task, _ := worker.NewSurveySendTask(worker.Queues{}, batch)
	return task
}

// stateCounts counts invitations by state (and reason).
func (f *sendFixture) stateCounts(t *testing.T) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, st := range f.states(t) {
		counts[st]++
	}
	return counts
}

// duplicates returns the addresses that received more than one email.
func (f *sendFixture) duplicates() map[string]int {
	out := map[string]int{}
	for to, n := range f.mailsTo() {
		if n > 1 {
			out[to] = n
		}
	}
	return out
}

// TestDatabaseLostMidBatchStopsSending: when the database goes away in the
// middle of a batch, the worker stops at once (the email on the wire is
// the only one sent and not recorded); the batch cannot be released, so
// another delivery of the task waits for its lease, then sends the rest:
// every customer gets the survey once, the one on the wire twice at most.
func TestDatabaseLostMidBatchStopsSending(t *testing.T) {
	t.Parallel()
	// One connection, so "the email on the wire" is one email.
	f := newSendFixtureWith(t, capture.Options{}, func(c *mail.Config) { c.PoolSize = 1 })
	db, link := f.schema.Through(t)
	h := f.newHandler(db)
	const n = 150
	for i := range n {
		f.customer(t, fmt.Sprintf("c%03d@x.test", i))
	}
	batch, _ := f.claimAll(t, n)
	var arrived atomic.Int32
	f.capture.OnData(func(string) error {
		if arrived.Add(1) == 30 {
			// The database goes away as the 30th email's DATA starts: the
			// 29th is at the server, its record fails, and the 30th, whose
			// end is held until that record, is abandoned.
			link.Cut()
		}
		return nil
	})
	ctx := context.Background()
	if err := h.ProcessTask(ctx, sendTask(batch)); err == nil {
		t.Fatal("the batch went on without its database")
	}
	// The cut races the record of the 29th: either it failed and the 30th
	// was abandoned before its end (29 sent), or it got in just before and
	// the 30th went, its own record failing (30). Never more.
	sent := f.capture.Count()
	if sent != 29 && sent != 30 {
		t.Fatalf("%d emails sent, want 29 or 30: one accepted but not recorded at most, and nothing once the database was gone", sent)
	}
	link.Restore()

	// The retry comes early: the batch is still held under the lease.
	err := h.ProcessTask(ctx, sendTask(batch))
	var held *scheduler.BatchHeldError
	if !errors.As(err, &held) || f.capture.Count() != sent {
		t.Fatalf("a retry inside the lease: %v and %d emails; want held and %d", err, f.capture.Count(), sent)
	}
	f.clock.Advance(scheduler.DefaultSendingLease + time.Second)
	if err := h.ProcessTask(ctx, sendTask(batch)); err != nil {
		t.Fatal(err)
	}
	if got := f.stateCounts(t); !maps.Equal(got, map[string]int{"sent": n}) {
		t.Errorf("after the retry: %v, want all %d sent", got, n)
	}
	got := f.mailsTo()
	if len(got) != n {
		t.Errorf("%d customers emailed, want %d", len(got), n)
	}
	last := fmt.Sprintf("c%03d@x.test", sent-1) // the last accepted, not recorded
	if d := f.duplicates(); len(d) > 1 || (len(d) == 1 && d[last] != 2) {
		t.Errorf("duplicates %v, want at most the email accepted but not recorded (%s) twice", d, last)
	}
}

// TestAbandonedBatchIsTakenOverAfterItsLease: a worker claimed a batch and
// died without renewing its lease. Nobody takes the batch during the lease;
// right after it, the reconciler finds it and a worker sends it.
func TestAbandonedBatchIsTakenOverAfterItsLease(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	for i := range 5 {
		f.customer(t, fmt.Sprintf("d%d@x.test", i))
	}
	batch, h := f.claimAll(t, 5)
	ctx := context.Background()
	if _, ok, err := f.store.ClaimSend(ctx, batch, f.clock.Now(), f.clock.Now().Add(-scheduler.DefaultSendingLease)); err != nil || !ok {
		t.Fatalf("the doomed worker's claim: %v %v", ok, err)
	}
	lease := scheduler.DefaultSendingLease
	stale := func() bool {
		ids, err := f.store.StaleBatches(ctx, f.clock.Now().Add(-time.Hour), f.clock.Now().Add(-lease), 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(ids) == 1 && ids[0] == batch
	}
	f.clock.Advance(lease - time.Second)
	err := h.ProcessTask(ctx, sendTask(batch))
	var held *scheduler.BatchHeldError
	if !errors.As(err, &held) || f.capture.Count() != 0 || stale() {
		t.Fatalf("inside the lease: %v, %d emails, stale %v; want held, none, not stale", err, f.capture.Count(), stale())
	}
	f.clock.Advance(2 * time.Second)
	if !stale() {
		t.Fatal("past the lease the reconciler does not see the batch")
	}
	if err := h.ProcessTask(ctx, sendTask(batch)); err != nil {
		t.Fatal(err)
	}
	if f.capture.Count() != 5 || len(f.duplicates()) != 0 {
		t.Errorf("after the takeover: %d emails (duplicates %v), want 5 once each", f.capture.Count(), f.duplicates())
	}
}

// TestHeartbeatKeepsABatchFromBeingTakenOver: a live worker slowed down
// (a slow server) keeps renewing its lease, so however long it takes,
// another delivery of the task does not take the batch and send it again.
func TestHeartbeatKeepsABatchFromBeingTakenOver(t *testing.T) {
	t.Parallel()
	f := newSendFixtureWith(t, capture.Options{}, func(c *mail.Config) { c.Timeout = time.Minute })
	f.handler.Heartbeat = 10 * time.Millisecond
	for i := range 5 {
		f.customer(t, fmt.Sprintf("h%d@x.test", i))
	}
	batch, h := f.claimAll(t, 5)
	release := make(chan struct{})
	var arrived atomic.Int32
	f.capture.OnData(func(string) error {
		if arrived.Add(1) == 1 {
			<-release // the server sits on the first email
		}
		return nil
	})
	ctx := context.Background()
	errc := make(chan error, 1)
	go func() { errc <- h.ProcessTask(ctx, sendTask(batch)) }()
	wait.Until(t, 10*time.Second, "the first email on the wire", func() bool { return arrived.Load() == 1 })

	// Far past the lease on the clock: the heartbeat renews it at the new time.
	f.clock.Advance(10 * scheduler.DefaultSendingLease)
	wait.Until(t, 10*time.Second, "a renewal of the lease", func() bool {
		var at time.Time
		if err := f.schema.DB.Get(&at, `SELECT heartbeat_at FROM send_batches WHERE id = $1`, batch); err != nil {
			t.Fatal(err)
		}
		return !at.Before(f.clock.Now().Truncate(time.Millisecond))
	})
	err := h.ProcessTask(ctx, sendTask(batch))
	var held *scheduler.BatchHeldError
	if !errors.As(err, &held) {
		t.Errorf("a second delivery while the first worker lives: %v, want held", err)
	}
	close(release)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if f.capture.Count() != 5 || len(f.duplicates()) != 0 {
		t.Errorf("%d emails (duplicates %v), want 5 once each", f.capture.Count(), f.duplicates())
	}
}

// TestLongOutageWaitsForTheGiveUpPeriodThenResend: a server refusing with
// 4xx for a day (far more than 8 backoffs) fails nothing: invitations wait.
// Only once the give-up period has passed are they marked failed; the
// admin's resend puts them back and they go out once, the send-time rules
// applied as usual.
func TestLongOutageWaitsForTheGiveUpPeriodThenResend(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	for _, e := range []string{"a@x.test", "b@x.test", "c@x.test"} {
		f.customer(t, e)
	}
	f.capture.OnRcpt(func(string) error {
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 7, 0}, Message: "try again later"}
	})
	start := f.clock.Now()
	tries := 0
	for f.clock.Now().Sub(start) < worker.DefaultGiveUp {
		f.sendDue(t)
		tries++
		if got := f.stateCounts(t); !maps.Equal(got, map[string]int{"scheduled:temporary delivery failure": 3}) {
			t.Fatalf("after %s of outage and %d tries: %v, want all waiting", f.clock.Now().Sub(start), tries, got)
		}
		f.clock.Advance(2 * time.Hour)
	}
	if tries < 12 {
		t.Fatalf("only %d tries in the give-up period", tries)
	}
	f.sendDue(t)
	if got := f.stateCounts(t); !maps.Equal(got, map[string]int{"failed:temporary delivery failure": 3}) {
		t.Fatalf("after the give-up period: %v, want all failed", got)
	}
	if f.capture.Count() != 0 {
		t.Fatalf("%d emails went out during the outage", f.capture.Count())
	}

	// The server is back; one customer opted out meanwhile.
	f.capture.OnRcpt(nil)
	f.schema.DB.MustExec(`UPDATE customers SET opted_out_at = now() WHERE email = 'c@x.test'`)
	ctx := context.Background()
	resent, err := f.store.ResendFailed(ctx, f.camp.ID, f.clock.Now())
	if err != nil || resent.Invitations != 3 {
		t.Fatalf("resend: %+v, %v; want 3 invitations", resent, err)
	}
	f.sendDue(t)
	if got := f.states(t); got["a@x.test"] != "sent" || got["b@x.test"] != "sent" || got["c@x.test"] != "suppressed:opted_out" {
		t.Errorf("after the resend: %v", got)
	}
	if got := f.mailsTo(); !maps.Equal(got, map[string]int{"a@x.test": 1, "b@x.test": 1}) {
		t.Errorf("emails after the resend: %v, want a and b once", got)
	}
	// Resending again finds nothing: nothing is sent twice.
	if resent, err := f.store.ResendFailed(ctx, f.camp.ID, f.clock.Now()); err != nil || resent.Invitations != 0 {
		t.Errorf("a second resend: %+v, %v; want nothing", resent, err)
	}
}

func TestNextTry(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { x := t0.Add(-d); return &x }
	for _, tc := range []struct {
		name        string
		first       *time.Time // relative to now = t0
		attempt     int
		giveUp      time.Duration
		unreachable bool          // the server did not answer
		min, max    time.Duration // of the wait; ignored when gaveUp
		gaveUp      bool
	}{
		{"first failure", nil, 1, 72 * time.Hour, false, 30 * time.Second, 36 * time.Second, false},
		{"second", at(30 * time.Second), 2, 72 * time.Hour, false, time.Minute, 72 * time.Second, false},
		{"eighth: no give-up by count", at(time.Hour), 8, 72 * time.Hour, false, time.Hour, 72 * time.Minute, false},
		{"fortieth, capped at an hour", at(40 * time.Hour), 40, 72 * time.Hour, false, time.Hour, 72 * time.Minute, false},
		{"server down: first", nil, 1, 72 * time.Hour, true, 10 * time.Second, 12 * time.Second, false},
		{"server down: second", at(10 * time.Second), 2, 72 * time.Hour, true, 20 * time.Second, 24 * time.Second, false},
		{"server down: capped at 30 s", at(10 * time.Minute), 6, 72 * time.Hour, true, 30 * time.Second, 36 * time.Second, false},
		{"server down a day", at(24 * time.Hour), 1400, 72 * time.Hour, true, 30 * time.Second, 36 * time.Second, false},
		{"last try at the end of the period", at(71*time.Hour + 30*time.Minute), 75, 72 * time.Hour, false, 30 * time.Minute, 30 * time.Minute, false},
		{"period over", at(72 * time.Hour), 76, 72 * time.Hour, false, 0, 0, true},
		{"period over, server down", at(72 * time.Hour), 4000, 72 * time.Hour, true, 0, 0, true},
		{"short period", at(10 * time.Minute), 3, 10 * time.Minute, false, 0, 0, true},
		{"first failure, tiny period", nil, 1, 10 * time.Second, false, 10 * time.Second, 10 * time.Second, false},
	} {
		for range 20 { // jitter
			next, gaveUp := worker.NextTry(tc.first, t0, tc.attempt, tc.giveUp, tc.unreachable)
			if gaveUp != tc.gaveUp {
				t.Fatalf("%s: gave up %v, want %v", tc.name, gaveUp, tc.gaveUp)
			}
			if gaveUp {
				continue
			}
			if w := next.Sub(t0); w < tc.min-time.Second || w > tc.max {
				t.Fatalf("%s: next try in %s, want %s to %s", tc.name, w, tc.min, tc.max)
			}
		}
	}
}

// TestArchiveMidSendKeepsWhatWasSent: a campaign archived while a batch
// is going out: what the server accepted is recorded sent (the stats say
// what the server received), the rest is withdrawn.
func TestArchiveMidSendKeepsWhatWasSent(t *testing.T) {
	t.Parallel()
	// One connection: the batch goes out one email after the other.
	f := newSendFixtureWith(t, capture.Options{}, func(c *mail.Config) { c.PoolSize = 1 })
	const n = 60
	for i := range n {
		f.customer(t, fmt.Sprintf("a%03d@x.test", i))
	}
	batch, h := f.claimAll(t, n)
	ctx := context.Background()
	var once sync.Once
	var arrived atomic.Int32
	f.capture.OnData(func(string) error {
		if arrived.Add(1) == 10 {
			once.Do(func() {
				if _, err := f.store.Transition(ctx, f.camp.ID, "archive", f.clock.Now()); err != nil {
					t.Error(err)
				}
				f.clock.Advance(2 * time.Second) // the next email checks the campaign again
			})
		}
		return nil
	})
	if err := h.ProcessTask(ctx, sendTask(batch)); err != nil {
		t.Fatal(err)
	}
	received := f.capture.Count()
	want := map[string]int{"sent": received, "suppressed:campaign_archived": n - received}
	// The tenth, and the eleventh whose envelope went with the tenth's end
	// of data before the archive: composed, it was on the wire.
	if got := f.stateCounts(t); !maps.Equal(got, want) || received < 10 || received > 11 {
		t.Errorf("archived mid-send: %v with %d emails received, want %v and 10 or 11 (those on the wire)", got, received, want)
	}
	st, err := f.store.Stats(ctx, f.camp.ID, 30, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st.Sent != received {
		t.Errorf("stats say %d sent, the server received %d", st.Sent, received)
	}
}

// TestArchivedWhileOnTheWireIsRecordedSent: should the archive withdraw an
// invitation whose email the server is accepting at that moment, the
// record of its 250 still wins: it was sent.
func TestArchivedWhileOnTheWireIsRecordedSent(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	f.customer(t, "w@x.test")
	f.capture.OnData(func(string) error {
		f.schema.DB.MustExec(`UPDATE invitations SET state = 'suppressed', reason = $1`, scheduler.ReasonCampaignArchived)
		f.schema.DB.MustExec(`UPDATE campaigns SET state = 'archived'`)
		return nil
	})
	f.sendDue(t)
	if got := f.states(t)["w@x.test"]; got != "sent" || f.capture.Count() != 1 {
		t.Errorf("%q with %d emails, want sent and 1", got, f.capture.Count())
	}
	var reminder *time.Time
	if err := f.schema.DB.Get(&reminder, `SELECT next_reminder_at FROM invitations`); err != nil || reminder != nil {
		t.Errorf("a reminder planned for an archived campaign: %v %v", reminder, err)
	}
}

// TestServerRestartLosesNoEmail: after the SMTP server restarts, every
// pooled connection is dead; the batch that follows loses no email to
// them.
func TestServerRestartLosesNoEmail(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	// Two connections open at once, then idle in the pool.
	var warm atomic.Int32
	both := make(chan struct{})
	f.capture.OnRcpt(func(string) error {
		if warm.Add(1) == 2 {
			close(both)
		}
		select {
		case <-both:
		case <-time.After(5 * time.Second):
		}
		return nil
	})
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.sender.Send(context.Background(), []mail.Message{{To: mustAddr(fmt.Sprintf("warm%d@x.test", i)), Subject: "warm", Text: "hi"}})
		}()
	}
	wg.Wait()
	if f.capture.Connections() != 2 {
		t.Fatalf("%d connections warmed, want 2", f.capture.Connections())
	}
	port := f.capture.Port()
	f.capture.Close()
	srv, err := capture.Start(capture.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
	if err != nil {
		t.Skipf("port %d not free again: %v", port, err)
	}
	t.Cleanup(func() { srv.Close() })
	f.capture = srv

	const n = 150
	for i := range n {
		f.customer(t, fmt.Sprintf("r%03d@x.test", i))
	}
	batch, h := f.claimAll(t, n)
	if err := h.ProcessTask(context.Background(), sendTask(batch)); err != nil {
		t.Fatal(err)
	}
	if got := f.stateCounts(t); !maps.Equal(got, map[string]int{"sent": n}) {
		t.Errorf("after a restart: %v, want all %d sent", got, n)
	}
	if srv.Count() != n {
		t.Errorf("the restarted server received %d, want %d", srv.Count(), n)
	}
}

func mustAddr(s string) *netmail.Address {
	return &netmail.Address{Address: strings.TrimSpace(s)}
}

// TestCampaignResumesWithinAMinuteOfTheServersReturn: after ten minutes of
// a server that does not answer, no invitation waits more than about a
// minute and a quarter for its next try, so the campaign resumes at once
// when the server is back.
func TestCampaignResumesWithinAMinuteOfTheServersReturn(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	for i := range 3 {
		f.customer(t, fmt.Sprintf("s%d@x.test", i))
	}
	port := f.capture.Port()
	f.capture.Close()
	for range 20 { // ten minutes, a sweep every 30 s
		f.sendDue(t)
		f.clock.Advance(30 * time.Second)
	}
	srv, err := capture.Start(capture.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
	if err != nil {
		t.Skipf("port %d not free again: %v", port, err)
	}
	t.Cleanup(func() { srv.Close() })
	f.capture = srv
	var latest time.Time
	if err := f.schema.DB.Get(&latest, `SELECT max(scheduled_for) FROM invitations WHERE state = 'scheduled'`); err != nil {
		t.Fatal(err)
	}
	if wait := latest.Sub(f.clock.Now()); wait > 75*time.Second {
		t.Errorf("after ten minutes down, an invitation waits %s more, want at most about a minute", wait)
	}
	// The pool stops dialling for up to a minute of real time after failed
	// dials; that minute has passed on the fake clock, not on the wall's:
	// a fresh pool stands for it.
	fresh, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, From: f.sender.From(), Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fresh.Close)
	f.handler.Mail = fresh
	f.clock.Advance(75 * time.Second)
	f.sendDue(t)
	if got := f.stateCounts(t); !maps.Equal(got, map[string]int{"sent": 3}) || srv.Count() != 3 {
		t.Errorf("once the server is back: %v and %d emails, want 3 sent", got, srv.Count())
	}
}

// TestDatabaseLostStopsEveryBatchOfTheProcess: batches of the same worker
// waiting for the pooled connection a failed batch lets go stop too; they
// used to take it in turn and each send one more email that could not be
// recorded (10 duplicates for 4 connections in the PostgreSQL drill).
func TestDatabaseLostStopsEveryBatchOfTheProcess(t *testing.T) {
	t.Parallel()
	f := newSendFixtureWith(t, capture.Options{}, func(c *mail.Config) { c.PoolSize = 1 })
	db, link := f.schema.Through(t)
	h := f.newHandler(db)
	for i := range 40 {
		f.customer(t, fmt.Sprintf("c%03d@x.test", i))
	}
	ctx := context.Background()
	var batches []int64
	for range 4 {
		b, n, err := f.store.ClaimDue(ctx, f.clock.Now(), 10)
		if err != nil || n != 10 {
			t.Fatalf("claimed %d (%v), want 10", n, err)
		}
		batches = append(batches, b)
	}
	var arrived atomic.Int32
	f.capture.OnData(func(string) error {
		// The database goes away as the 15th email's DATA starts: a batch
		// is done, another on its 5th email (whose end waits for the 14th's
		// record, which fails), the others waiting for the connection (or
		// still being vetted).
		if arrived.Add(1) == 15 {
			link.Cut()
		}
		return nil
	})
	var wg sync.WaitGroup
	errs := make([]error, len(batches))
	for i, b := range batches {
		wg.Go(func() { errs[i] = h.ProcessTask(ctx, sendTask(b)) })
	}
	wg.Wait()
	if errs[0] == nil && errs[1] == nil && errs[2] == nil && errs[3] == nil {
		t.Error("every batch went on without its database")
	}
	// 14 or 15: the cut races the 14th's record (see
	// TestDatabaseLostMidBatchStopsSending).
	if got := f.capture.Count(); got != 14 && got != 15 {
		t.Errorf("%d emails sent, want 14 or 15: one accepted but not recorded at most, and none by the batches waiting for the connection", got)
	}
	link.Restore()
	// The database is back: a batch is sent again once its lease has run
	// out, and the recorder, which saw the failure, checks the database
	// answers before letting it start.
	f.clock.Advance(scheduler.DefaultSendingLease + time.Second)
	for _, b := range batches {
		if err := h.ProcessTask(ctx, sendTask(b)); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(f.mailsTo()); got != 40 {
		t.Errorf("%d customers emailed after the database came back, want 40", got)
	}
	if d := f.duplicates(); len(d) > 1 {
		t.Errorf("duplicates %v, want at most the email on the wire", d)
	}
}
