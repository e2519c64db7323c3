package worker_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	netmail "net/mail"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/compose"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/worker"
)

type sendFixture struct {
	schema  *testenv.Schema
	store   *scheduler.Store
	intake  *scheduler.Intake
	capture *capture.Server
	handler *worker.SendHandler
	clock   *clock.Fake
	camp    scheduler.Campaign
	sender  *mail.Sender
	compose *compose.Composer
}

func newSendFixture(t *testing.T) *sendFixture {
	t.Helper()
	return newSendFixtureWith(t, capture.Options{}, func(*mail.Config) {})
}

// newSendFixtureWith starts the capture server with opts and lets tune
// adjust the sender's configuration (TLS, credentials).
func newSendFixtureWith(t *testing.T, opts capture.Options, tune func(*mail.Config)) *sendFixture {
	t.Helper()
	f := &sendFixture{schema: testenv.NewSchema(t), clock: clock.NewFake(time.Now())}
	ctx := context.Background()
	f.store = scheduler.NewStore(f.schema.DB)
	f.intake = scheduler.NewIntake(f.schema.DB, customers.NewStore(f.schema.DB), f.store)
	sv := surveys.NewStore(f.schema.DB)
	def, err := sv.EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.camp, err = f.store.CreateEventCampaign(ctx, scheduler.Campaign{Name: "c", SurveyID: def.ID, State: scheduler.StateActive, EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen()}); err != nil {
		t.Fatal(err)
	}
	if f.capture, err = capture.Start(opts); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.capture.Close() })
	mcfg := mail.Config{Host: "127.0.0.1", Port: f.capture.Port(), TLS: mail.TLSNone,
		From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 2 * time.Second}
	tune(&mcfg)
	sender, err := mail.NewSender(mcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sender.Close)
	tpl, _ := templates.New(templates.Brand{Name: "Acme", Color: "#112233"})
	signer, _ := surveys.NewSigner([]byte(testenv.Secret))
	base, _ := url.Parse("https://survey.acme.test")
	f.sender = sender
	f.compose = &compose.Composer{Templates: tpl, Surveys: sv, Links: surveys.Links{Signer: signer, Base: base}, From: sender.From()}
	f.handler = f.newHandler(f.schema.DB)
	return f
}

// newHandler returns a send handler (a worker) on its own database pool.
func (f *sendFixture) newHandler(db *sqlx.DB) *worker.SendHandler {
	return &worker.SendHandler{Invitations: scheduler.NewStore(db), Customers: customers.NewStore(db), Compose: f.compose, Mail: f.sender,
		Clock: f.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

func (f *sendFixture) customer(t *testing.T, email string) {
	t.Helper()
	_, err := f.intake.Record(context.Background(), customers.EventInput{ExternalID: "e-" + email, Kind: "delivery", OccurredAt: f.clock.Now().Add(-time.Hour),
		Customer: customers.CustomerInput{ExternalRef: email, Email: email, Locale: "fr"}})
	if err != nil {
		t.Fatal(err)
	}
}

// sendDue claims what is due into one batch and runs its send task.
func (f *sendFixture) sendDue(t *testing.T) {
	t.Helper()
	batch, n, err := f.store.ClaimDue(context.Background(), f.clock.Now(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		return
	}
	task, _ := worker.NewSurveySendTask(worker.Queues{}, batch)
	if err := f.handler.ProcessTask(context.Background(), task); err != nil {
		t.Fatal(err)
	}
	// A second delivery of the same task sends nothing more.
	if err := f.handler.ProcessTask(context.Background(), task); err != nil {
		t.Fatal(err)
	}
}

func (f *sendFixture) states(t *testing.T) map[string]string {
	t.Helper()
	rows, err := f.schema.DB.Query(`SELECT c.email, i.state || CASE WHEN i.reason <> '' THEN ':' || split_part(i.reason, ':', 1) ELSE '' END
		FROM invitations i JOIN customers c ON c.id = i.customer_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var e, s string
		if err := rows.Scan(&e, &s); err != nil {
			t.Fatal(err)
		}
		out[e] = s
	}
	return out
}

func TestSendBatchOutcomes(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	f.capture.OnRcpt(func(to string) error {
		switch {
		case strings.HasPrefix(to, "gone@"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		case strings.HasPrefix(to, "busy@"):
			return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "mailbox full"}
		}
		return nil
	})
	for _, e := range []string{"ok@x.test", "gone@x.test", "busy@x.test", "optout@x.test"} {
		f.customer(t, e)
	}
	// Opted out after scheduling: checked at send time.
	if _, err := f.schema.DB.Exec(`UPDATE customers SET opted_out_at = now() WHERE email = 'optout@x.test'`); err != nil {
		t.Fatal(err)
	}
	f.sendDue(t)
	want := map[string]string{"ok@x.test": "sent", "gone@x.test": "failed:bounced", "busy@x.test": "scheduled:temporary delivery failure", "optout@x.test": "suppressed:opted_out"}
	got := f.states(t)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if n := f.capture.Count(); n != 1 {
		t.Fatalf("%d emails accepted, want 1", n)
	}
	// The temporary failure is retried later, not at once: no hot loop.
	var next time.Time
	if err := f.schema.DB.Get(&next, `SELECT scheduled_for FROM invitations i JOIN customers c ON c.id = i.customer_id WHERE c.email = 'busy@x.test'`); err != nil {
		t.Fatal(err)
	}
	if wait := next.Sub(f.clock.Now()); wait < 29*time.Second || wait > 40*time.Second {
		t.Errorf("retry in %s, want about 30 s", wait)
	}
	f.sendDue(t) // not due yet
	if f.capture.Count() != 1 {
		t.Errorf("the retry went out before its backoff")
	}
	f.capture.OnRcpt(nil) // the mailbox has room again
	f.clock.Advance(time.Minute)
	f.sendDue(t)
	if got := f.states(t)["busy@x.test"]; got != "sent" || f.capture.Count() != 2 {
		t.Errorf("after the backoff: %q and %d emails, want sent and 2", got, f.capture.Count())
	}
}

// TestSendGivesUpAfterThePeriod: with the server down for good, an
// invitation is tried again and again, and marked failed only once the
// give-up period has passed since its first failure.
func TestSendGivesUpAfterThePeriod(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	f.handler.GiveUpAfter = 6 * time.Hour
	f.customer(t, "a@x.test")
	f.capture.Close() // the server is down for good
	start := f.clock.Now()
	for f.clock.Now().Sub(start) < 6*time.Hour {
		f.sendDue(t)
		if got := f.states(t)["a@x.test"]; got != "scheduled:temporary delivery failure" {
			t.Fatalf("%s after the first failure: %q, want waiting for a retry", f.clock.Now().Sub(start), got)
		}
		f.clock.Advance(2 * time.Hour)
	}
	f.sendDue(t)
	var state, reason string
	var attempts int
	if err := f.schema.DB.QueryRow(`SELECT state, reason, attempts FROM invitations`).Scan(&state, &reason, &attempts); err != nil {
		t.Fatal(err)
	}
	if state != "failed" || !strings.HasPrefix(reason, scheduler.ReasonTemporary) || attempts != 4 {
		t.Errorf("after 6 hours: %s (%s) after %d attempts, want failed (temporary...) after 4", state, reason, attempts)
	}
}

// TestRefusedCredentialsWaitForAFix: a wrong SMTP password refuses the
// connection (535) before any message; the invitation is neither sent nor
// failed but waits for its retry, and goes out once the password is right.
func TestRefusedCredentialsWaitForAFix(t *testing.T) {
	t.Parallel()
	cert, err := capture.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	var good mail.Config
	f := newSendFixtureWith(t, capture.Options{TLS: cert.TLS, Users: map[string]string{"surveys": "s3cret"}}, func(c *mail.Config) {
		c.TLS, c.RootCAs, c.Username = mail.TLSMandatory, cert.Pool, "surveys"
		good = *c
		good.Password = "s3cret"
		c.Password = "typo"
	})
	f.customer(t, "a@x.test")
	f.sendDue(t)
	var sentAt *time.Time
	var attempts int
	if err := f.schema.DB.QueryRow(`SELECT sent_at, attempts FROM invitations`).Scan(&sentAt, &attempts); err != nil {
		t.Fatal(err)
	}
	if got := f.states(t)["a@x.test"]; got != "scheduled:temporary delivery failure" || sentAt != nil || attempts != 1 {
		t.Fatalf("after a refused password: %q, sent_at %v, attempts %d; want scheduled for a retry, not sent", got, sentAt, attempts)
	}
	if n := len(f.capture.Messages()); n != 0 {
		t.Fatalf("%d messages went out without authentication", n)
	}
	// The operator fixes the password; the retry delivers.
	fixed, err := mail.NewSender(good)
	if err != nil {
		t.Fatal(err)
	}
	defer fixed.Close()
	f.handler.Mail = fixed
	f.clock.Advance(2 * time.Hour)
	f.sendDue(t)
	if got := f.states(t)["a@x.test"]; got != "sent" {
		t.Fatalf("after the fix: %q, want sent", got)
	}
	if m := f.capture.Messages(); len(m) != 1 || m[0].User != "surveys" || !m[0].TLS {
		t.Errorf("delivered %d messages, first %+v; want 1, authenticated over TLS", len(m), m)
	}
}

func TestBackoffGrowsAndIsBounded(t *testing.T) {
	base := 30 * time.Second
	for n := 1; n <= 12; n++ {
		for i := 0; i < 20; i++ {
			if d := worker.Backoff(n); d < base || d > base*12/10 {
				t.Fatalf("attempt %d: %s, want between %s and %s", n, d, base, base*12/10)
			}
		}
		base = min(2*base, time.Hour)
	}
}

// TestReminderHasItsOwnAttempts: the temporary failures of the first email
// do not eat into its reminder's attempts.
func TestReminderHasItsOwnAttempts(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	if _, err := f.schema.DB.Exec(`UPDATE campaigns SET reminder_days = '{1}'`); err != nil {
		t.Fatal(err)
	}
	f.customer(t, "a@x.test")
	busy := func(string) error {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	}
	f.capture.OnRcpt(busy)
	for i := 0; i < 7; i++ { // 14 hours of failures, short of giving up
		f.sendDue(t)
		f.clock.Advance(2 * time.Hour)
	}
	f.capture.OnRcpt(nil)
	f.sendDue(t)
	if got := f.states(t)["a@x.test"]; got != "sent" || f.capture.Count() != 1 {
		t.Fatalf("first email: %q, %d accepted; want sent, 1", got, f.capture.Count())
	}

	// The reminder is due a day later and meets one temporary failure: it
	// waits for its retry, it is not given up.
	f.clock.Advance(25 * time.Hour)
	f.capture.OnRcpt(busy)
	f.sendDue(t)
	var reminders, attempts int
	var next *time.Time
	if err := f.schema.DB.QueryRow(`SELECT reminders_sent, attempts, next_reminder_at FROM invitations`).Scan(&reminders, &attempts, &next); err != nil {
		t.Fatal(err)
	}
	if reminders != 0 || attempts != 1 || next == nil {
		t.Fatalf("after one failure of the reminder: %d reminders sent, %d attempts, next %v; want 0, 1 and a retry", reminders, attempts, next)
	}
	f.capture.OnRcpt(nil)
	f.clock.Advance(2 * time.Hour)
	f.sendDue(t)
	if err := f.schema.DB.QueryRow(`SELECT reminders_sent, attempts FROM invitations`).Scan(&reminders, &attempts); err != nil {
		t.Fatal(err)
	}
	if reminders != 1 || attempts != 0 || f.capture.Count() != 2 {
		t.Errorf("reminder: %d sent, %d attempts, %d emails; want 1, 0, 2", reminders, attempts, f.capture.Count())
	}
}

// TestPauseStopsALargeBatchMidway: the send-time rules are checked again
// before the next email of a batch that has been sending for a second or
// more, so a pause or an opt-out while a large batch is going out stops
// what has not gone yet: only the email on the wire goes.
func TestPauseStopsALargeBatchMidway(t *testing.T) {
	t.Parallel()
	// One connection: the batch goes out one email after the other.
	f := newSendFixtureWith(t, capture.Options{}, func(c *mail.Config) { c.PoolSize = 1 })
	const n = 60
	for i := range n {
		f.customer(t, fmt.Sprintf("c%03d@x.test", i))
	}
	var once sync.Once
	f.capture.OnRcpt(func(string) error {
		once.Do(func() { // marketing pauses, a customer further on opts out
			f.schema.DB.MustExec(`UPDATE campaigns SET state = 'paused'`)
			f.schema.DB.MustExec(`UPDATE customers SET opted_out_at = now() WHERE email = 'c040@x.test'`)
			f.clock.Advance(2 * time.Second) // the first email goes out slowly, under a rate limit
		})
		return nil
	})
	ctx := context.Background()
	batch, k, err := f.store.ClaimDue(ctx, f.clock.Now(), 500)
	if err != nil || k != n {
		t.Fatalf("claimed %d: %v", k, err)
	}
	task, _ := worker.NewSurveySendTask(worker.Queues{}, batch)
	if err := f.handler.ProcessTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, st := range f.states(t) {
		counts[st]++
	}
	want := map[string]int{"sent": 1, "scheduled:campaign_paused": n - 2, "suppressed:opted_out": 1}
	if !maps.Equal(counts, want) || f.capture.Count() != 1 {
		t.Errorf("after a pause during the batch: %v and %d emails; want %v and 1 (the email on the wire)", counts, f.capture.Count(), want)
	}
}

// TestABatchUsesEveryConnection: one batch is sent over as many connections
// as the sender may open, so a blast keeps every connection busy however
// few batches are in flight; each email still goes once.
func TestABatchUsesEveryConnection(t *testing.T) {
	t.Parallel()
	f := newSendFixtureWith(t, capture.Options{}, func(c *mail.Config) { c.PoolSize = 4 })
	const n = 80
	for i := range n {
		f.customer(t, fmt.Sprintf("c%03d@x.test", i))
	}
	// Each connection's first email waits until four are open at once.
	var arrived atomic.Int32
	all := make(chan struct{})
	f.capture.OnRcpt(func(string) error {
		if arrived.Add(1) == 4 {
			close(all)
		}
		select {
		case <-all:
		case <-time.After(5 * time.Second):
		}
		return nil
	})
	f.sendDue(t)
	if got := f.capture.Connections(); got != 4 {
		t.Errorf("one batch of %d went over %d connections, want the sender's 4", n, got)
	}
	if got := len(f.mailsTo()); got != n || len(f.duplicates()) != 0 {
		t.Errorf("%d customers emailed, duplicates %v; want %d, none", got, f.duplicates(), n)
	}
	select {
	case <-all:
	default:
		t.Error("four connections were never open at once")
	}
}
