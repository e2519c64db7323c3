package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"sync"
	"time"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/clock"
	"golang.org/x/sync/errgroup"

	"github.com/followup/followup/compose"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/trunc"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/metrics"
	"github.com/followup/followup/scheduler"
)

// Sender delivers a batch of messages: *mail.Sender in production.
type Sender interface {
	Send(ctx context.Context, msgs []mail.Message) []error
	// SendFrom sends n messages composed by next as their turn comes, and
	// calls accepted after each message the server accepted, before the
	// next goes on the connection; it stops when accepted returns an error
	// (see mail.Sender.SendFrom).
	SendFrom(ctx context.Context, n int, next mail.Source, accepted func(i int) error) []error
	From() *netmail.Address
	// Connections is how many connections the sender may have open at
	// once: a batch is sent over as many.
	Connections() int
}

// SendHandler sends batches of survey invitations: claim the batch, render,
// send over one SMTP connection, record each email sent as soon as the
// server accepted it. Opt-outs, campaign states and the frequency cap are
// checked here, at send time.
//
// A crash can leave at most the email on the wire unrecorded: it is sent
// again by whoever takes the batch over, once the lease its worker renews
// while it sends has run out (a minute). When an email cannot be recorded
// (the database is down), the batch stops at once and the rest waits for
// the task's retry. Temporary failures (the server down, throttling) are
// tried again with backoff until GiveUpAfter has passed since the first.
type SendHandler struct {
	Invitations *scheduler.Store
	Customers   *customers.Store
	Compose     *compose.Composer
	Mail        Sender
	Clock       clock.Clock
	Log         *slog.Logger
	// Lease is how long a batch stays held after its worker last renewed
	// it; default scheduler.DefaultSendingLease. The scheduler's
	// SendingLease must be the same.
	Lease time.Duration
	// Heartbeat is how often the lease is renewed while a batch is sent;
	// default a quarter of the lease.
	Heartbeat time.Duration
	// GiveUpAfter is how long an email keeps being retried after its first
	// temporary failure; default DefaultGiveUp.
	GiveUpAfter time.Duration
	// Metrics counts emails sent and failed; nil counts nothing.
	Metrics *metrics.Metrics

	recOnce sync.Once
	rec     *recorder
}

// ProcessTask implements asynq.Handler for TypeSurveySend.
func (h *SendHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p SurveySendPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	// In microseconds, as PostgreSQL keeps it: a time read back compares
	// equal to the one written (a give-up period ends when it should).
	now := h.Clock.Now().Truncate(time.Microsecond)
	claim, ok, err := h.Invitations.ClaimSend(ctx, p.BatchID, now, now.Add(-h.lease()))
	var held *scheduler.BatchHeldError
	if errors.As(err, &held) {
		// Another worker sends it, or sent it and died: try again when its
		// lease runs out.
		return &retryAfter{d: held.RenewedAt.Add(h.lease()).Sub(now) + time.Second, err: err}
	}
	if err != nil {
		return err
	}
	if !ok {
		return nil // done by an earlier delivery of this task
	}
	sendCtx, stop := context.WithCancelCause(ctx)
	if err := h.recorder().watch(sendCtx, stop); err != nil {
		stop(nil)
		h.release(ctx, claim, p.BatchID)
		return err
	}
	l := h.hold(sendCtx, stop, claim)
	err = h.send(sendCtx, l, claim.Invitations, now)
	stop(nil)
	l.wait()
	if err != nil {
		h.release(ctx, claim, p.BatchID)
		return err
	}
	return h.Invitations.FinishClaim(ctx, claim, h.Clock.Now())
}

// release hands what was not sent of a claimed batch back for the retry;
// what was sent is recorded. Should this fail too (the database is down),
// the lease runs out.
func (h *SendHandler) release(ctx context.Context, claim scheduler.Claim, batchID int64) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := h.Invitations.ReleaseClaim(rctx, claim); err != nil {
		h.Log.Error("release batch", "batch", batchID, "err", err)
	}
}

func (h *SendHandler) recorder() *recorder {
	h.recOnce.Do(func() { h.rec = &recorder{store: h.Invitations, clock: h.Clock} })
	return h.rec
}

// send sends what may go of a claimed batch and settles every invitation.
// It returns an error, leaving the rest queued for the retry, when an email
// cannot be recorded, the lease is lost or ctx ends.
//
// The batch is split into parts sent at once, one per SMTP connection the
// sender may open (see parts): a blast keeps every connection busy however
// few batches are in flight, and a batch to a distant relay is not one
// connection's round trips in a row.
func (h *SendHandler) send(ctx context.Context, l *lease, claimed []scheduler.Outgoing, now time.Time) error {
	// Send-time rules (opt-out, campaign state...) live in the scheduler.
	ready, err := h.Invitations.Vet(ctx, claimed, now)
	if err != nil {
		return err
	}
	var out sendOutcome
	g, gctx := errgroup.WithContext(ctx)
	for _, part := range parts(ready, h.Mail.Connections()) {
		g.Go(func() error { return h.sendPart(gctx, l, part, now, &out) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if h.Metrics != nil {
		h.Metrics.EmailsFailed.WithLabelValues("temporary").Add(float64(len(out.temp)))
	}
	if err := h.retryLater(ctx, invitationsByID(ready, out.broken), now, "render failed", nil); err != nil {
		return err
	}
	if len(out.temp) > 0 {
		h.Log.Warn("temporary delivery failures", "count", len(out.temp), "err", out.firstTemp)
	}
	return h.retryLater(ctx, out.temp, now, scheduler.ReasonTemporary, out.unreachable)
}

// sendOutcome gathers, from the parts of a batch sent at once, what is to
// be tried again.
type sendOutcome struct {
	mu          sync.Mutex
	temp        []scheduler.Outgoing
	broken      []int64 // could not be rendered
	firstTemp   error
	unreachable map[int64]bool // the server did not answer about them
}

func (o *sendOutcome) renderFailed(id int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.broken = append(o.broken, id)
}

func (o *sendOutcome) temporary(inv scheduler.Outgoing, err error, unreachable bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.firstTemp == nil {
		o.firstTemp = err
	}
	if o.unreachable == nil {
		o.unreachable = map[int64]bool{}
	}
	o.temp = append(o.temp, inv)
	o.unreachable[inv.ID] = unreachable
}

// minPart is the fewest emails worth a connection of their own.
const minPart = 10

// parts splits a batch into at most connections runs of consecutive
// invitations, none under minPart (but for a batch smaller than that).
func parts(ready []scheduler.Outgoing, connections int) [][]scheduler.Outgoing {
	n := min(max(connections, 1), max(len(ready)/minPart, 1))
	out := make([][]scheduler.Outgoing, 0, n)
	for i := range n {
		lo, hi := i*len(ready)/n, (i+1)*len(ready)/n
		if hi > lo {
			out = append(out, ready[lo:hi])
		}
	}
	return out
}

// sendPart sends one part of a batch over one pooled connection. Each email
// is composed when its turn on the connection comes and recorded as sent
// before the next goes: memory holds one email per connection, whatever
// the size of the batches in flight, and a failure midway can only resend
// the email on the wire.
func (h *SendHandler) sendPart(ctx context.Context, l *lease, part []scheduler.Outgoing, now time.Time, out *sendOutcome) error {
	vetted := now
	dropped := map[int64]bool{} // settled by a recheck: not to go
	msgIDs := make([]string, len(part))
	var recheckErr, recordErr error
	next := func(i int) (mail.Message, error) {
		if at := h.Clock.Now(); at.Sub(vetted) >= recheckAfter {
			// A part that waited for a connection, or a long one under a
			// rate limit: a pause, an archive, an opt-out or a bounce
			// meanwhile stops what has not gone yet. All of it is checked
			// again: a check is good for every email until recheckAfter.
			if recheckErr = h.recheck(ctx, part[i:], dropped, at); recheckErr != nil {
				return mail.Message{}, fmt.Errorf("%w: %w", mail.ErrStopped, recheckErr)
			}
			vetted = at
		}
		inv := part[i]
		if dropped[inv.ID] {
			return mail.Message{}, errSettled
		}
		m, err := h.render(ctx, inv)
		if err != nil {
			h.Log.Error("render invitation", "invitation", inv.ID, "err", err)
			out.renderFailed(inv.ID)
			return mail.Message{}, errSettled
		}
		msgIDs[i] = m.MessageID
		return m, nil
	}
	results := h.Mail.SendFrom(ctx, len(part), next, func(i int) error {
		recordErr = h.sent(ctx, l, part[i], msgIDs[i])
		return recordErr
	})
	if err := errors.Join(recheckErr, recordErr); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	for i, err := range results {
		if err == nil || errors.Is(err, errSettled) {
			continue // recorded as it went, or settled when its turn came
		}
		inv := part[i]
		var de *mail.DeliveryError
		if errors.As(err, &de) && !de.Temporary {
			if err := h.permanentFailure(ctx, inv, de, now); err != nil {
				return err
			}
			continue
		}
		out.temporary(inv, err, de == nil || de.Code == 0 || de.Code == 421)
	}
	return nil
}

// errSettled is the result of an email settled when its turn came, without
// going: the send-time rules no longer let it go, or it could not be
// rendered.
var errSettled = errors.New("settled without sending")

// recheck applies the send-time rules again to the invitations of rest not
// dropped yet, and adds to dropped those that may no longer go (Recheck
// settles them).
func (h *SendHandler) recheck(ctx context.Context, rest []scheduler.Outgoing, dropped map[int64]bool, at time.Time) error {
	pending := make([]scheduler.Outgoing, 0, len(rest))
	for _, inv := range rest {
		if !dropped[inv.ID] {
			pending = append(pending, inv)
		}
	}
	still, err := h.Invitations.Recheck(ctx, pending, at)
	if err != nil {
		return err
	}
	keep := make(map[int64]bool, len(still))
	for _, inv := range still {
		keep[inv.ID] = true
	}
	for _, inv := range pending {
		if !keep[inv.ID] {
			dropped[inv.ID] = true
		}
	}
	return nil
}

// sent records an email the server accepted, before the next goes on its
// connection, and says whether sending may go on: not when the record
// failed or the lease is no longer safely held.
func (h *SendHandler) sent(ctx context.Context, l *lease, inv scheduler.Outgoing, messageID string) error {
	if err := h.recorder().record(ctx, scheduler.Sent{ID: inv.ID, MessageID: messageID, ExpiresAt: inv.ExpiresAt}); err != nil {
		return fmt.Errorf("record invitation %d sent: %w", inv.ID, err)
	}
	if h.Metrics != nil {
		kind := "invitation"
		if inv.Reminder() {
			kind = "reminder"
		}
		h.Metrics.EmailsSent.WithLabelValues(kind).Inc()
	}
	return l.check()
}

// recheckAfter is how long a batch sends on its send-time checks before
// they are made again for the emails still to go: a pause takes effect
// within it.
const recheckAfter = time.Second

// permanentFailure settles an email the server refused for good. A refused
// recipient is a bounce: the address is suppressed for every campaign.
func (h *SendHandler) permanentFailure(ctx context.Context, inv scheduler.Outgoing, de *mail.DeliveryError, now time.Time) error {
	reason := "rejected: " + de.Error()
	cause := "rejected"
	if de.Recipient {
		cause = "bounced"
		reason = "bounced: " + de.Error()
		if err := h.Customers.SuppressAddress(ctx, inv.Email, customers.SuppressedBounced, de.Error(), now); err != nil {
			return err
		}
	}
	if h.Metrics != nil {
		h.Metrics.EmailsFailed.WithLabelValues(cause).Inc()
	}
	h.Log.Warn("invitation not delivered", "invitation", inv.ID, "err", de)
	return h.Invitations.MarkFailed(ctx, []int64{inv.ID}, trunc.Runes(reason, 500), now)
}

// retryLater reschedules invitations after a temporary failure, with
// capped backoff (see NextTry; unreachable names those the server did not
// answer about), or marks them failed once GiveUpAfter has passed since
// their first failure.
func (h *SendHandler) retryLater(ctx context.Context, invs []scheduler.Outgoing, now time.Time, reason string, unreachable map[int64]bool) error {
	giveUp := h.GiveUpAfter
	if giveUp <= 0 {
		giveUp = DefaultGiveUp
	}
	var failed []int64
	groups := map[time.Time][]int64{}
	for _, inv := range invs {
		next, gaveUp := NextTry(inv.FirstFailedAt, now, inv.Attempts+1, giveUp, unreachable[inv.ID])
		if gaveUp {
			failed = append(failed, inv.ID)
			continue
		}
		groups[next] = append(groups[next], inv.ID)
	}
	if err := h.Invitations.MarkFailed(ctx, failed, fmt.Sprintf("%s: given up after %s", reason, giveUp), now); err != nil {
		return err
	}
	for at, ids := range groups {
		if err := h.Invitations.Reschedule(ctx, ids, at, reason, true, now); err != nil {
			return err
		}
	}
	return nil
}

func (h *SendHandler) render(ctx context.Context, inv scheduler.Outgoing) (mail.Message, error) {
	r := compose.Recipient{InvitationID: inv.ID, SurveyVersionID: inv.SurveyVersionID, Name: inv.Name,
		Email: inv.Email, Locale: inv.Locale, ExpiresAt: inv.ExpiresAt, Recovery: inv.Recovery}
	if inv.Reminder() {
		r.Reminder = inv.RemindersSent + 1
	}
	return h.Compose.Invitation(ctx, r)
}

func invitationsByID(all []scheduler.Outgoing, ids []int64) []scheduler.Outgoing {
	var out []scheduler.Outgoing
	for _, inv := range all {
		for _, id := range ids {
			if inv.ID == id {
				out = append(out, inv)
			}
		}
	}
	return out
}
