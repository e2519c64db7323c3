package worker

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	netmail "net/mail"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/compose"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/trunc"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/metrics"
	"github.com/followup/followup/scheduler"
)

// MaxSendAttempts is how many times an invitation is tried before it is
// marked failed.
const MaxSendAttempts = 8

// Sender delivers a batch of messages: *mail.Sender in production.
type Sender interface {
	Send(ctx context.Context, msgs []mail.Message) []error
	From() *netmail.Address
}

// SendHandler sends batches of survey invitations: claim the batch, render,
// send over one SMTP connection, mark sent. Opt-outs, campaign states and
// the frequency cap are checked here, at send time. A crash between sending
// and marking leaves only the batch in flight to be sent again, by the
// reconciler, once its lease has passed.
type SendHandler struct {
	Invitations *scheduler.Store
	Customers   *customers.Store
	Compose     *compose.Composer
	Mail        Sender
	Clock       clock.Clock
	Log         *slog.Logger
	// Lease is how long a batch may stay claimed by a worker that does not
	// finish it; default scheduler.DefaultSendingLease.
	Lease time.Duration
	// Metrics counts emails sent and failed; nil counts nothing.
	Metrics *metrics.Metrics
}

// ProcessTask implements asynq.Handler for TypeSurveySend.
func (h *SendHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p SurveySendPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	now := h.Clock.Now()
	lease := h.Lease
	if lease <= 0 {
		lease = scheduler.DefaultSendingLease
	}
	claimed, ok, err := h.Invitations.ClaimBatch(ctx, p.BatchID, now, now.Add(-lease))
	if err != nil {
		return err
	}
	if !ok {
		return nil // done by an earlier delivery of this task, or held by a live worker
	}
	if err := h.send(ctx, p.BatchID, claimed, now); err != nil {
		// What was sent is recorded; hand the rest back for the retry.
		if rerr := h.Invitations.ReleaseBatch(context.WithoutCancel(ctx), p.BatchID); rerr != nil {
			h.Log.Error("release batch", "batch", p.BatchID, "err", rerr)
		}
		return err
	}
	return h.Invitations.FinishBatch(ctx, p.BatchID, h.Clock.Now())
}

// send sends what may go of a claimed batch and settles every invitation.
func (h *SendHandler) send(ctx context.Context, batchID int64, claimed []scheduler.Outgoing, now time.Time) error {
	// Send-time rules (opt-out, campaign state...) live in the scheduler.
	ready, err := h.Invitations.Vet(ctx, claimed, now)
	if err != nil {
		return err
	}
	vetted := now

	// Render and send in small chunks over the pooled connection, recording
	// each chunk as sent before the next: memory holds one chunk of emails,
	// and a failure midway can only resend the chunk in flight.
	var sentCount, reminders int
	var temp []scheduler.Outgoing
	var broken []int64
	var firstTemp error
	for from := 0; from < len(ready); from += sendChunk {
		chunk := ready[from:min(from+sendChunk, len(ready))]
		if at := h.Clock.Now(); at.Sub(vetted) >= recheckAfter {
			// A large batch under a rate limit takes a while: a pause, an
			// opt-out or a bounce meanwhile stops what has not gone yet.
			if chunk, err = h.Invitations.Recheck(ctx, chunk, at); err != nil {
				return err
			}
			vetted = at
		}
		msgs := make([]mail.Message, 0, len(chunk))
		sendable := make([]scheduler.Outgoing, 0, len(chunk))
		for _, inv := range chunk {
			m, err := h.render(ctx, inv)
			if err != nil {
				h.Log.Error("render invitation", "invitation", inv.ID, "err", err)
				broken = append(broken, inv.ID)
				continue
			}
			msgs = append(msgs, m)
			sendable = append(sendable, inv)
		}
		var sent []scheduler.Sent
		for i, err := range h.Mail.Send(ctx, msgs) {
			inv := sendable[i]
			if err == nil {
				sent = append(sent, scheduler.Sent{ID: inv.ID, MessageID: msgs[i].MessageID, ExpiresAt: inv.ExpiresAt})
				if inv.Reminder() {
					reminders++
				}
				continue
			}
			var de *mail.DeliveryError
			if errors.As(err, &de) && !de.Temporary {
				if err := h.permanentFailure(ctx, inv, de, now); err != nil {
					return err
				}
				continue
			}
			if firstTemp == nil {
				firstTemp = err
			}
			temp = append(temp, inv)
		}
		if err := h.Invitations.MarkSent(ctx, sent, h.Clock.Now()); err != nil {
			return err
		}
		sentCount += len(sent)
	}
	if h.Metrics != nil {
		h.Metrics.EmailsSent.WithLabelValues("invitation").Add(float64(sentCount - reminders))
		h.Metrics.EmailsSent.WithLabelValues("reminder").Add(float64(reminders))
		h.Metrics.EmailsFailed.WithLabelValues("temporary").Add(float64(len(temp)))
	}
	if err := h.retryLater(ctx, invitationsByID(ready, broken), now, "render failed"); err != nil {
		return err
	}
	if len(temp) > 0 {
		h.Log.Warn("temporary delivery failures", "batch", batchID, "count", len(temp), "err", firstTemp)
	}
	return h.retryLater(ctx, temp, now, "temporary delivery failure")
}

// sendChunk is how many emails are rendered ahead of sending and recorded
// together.
const sendChunk = 100

// recheckAfter is how long a batch sends on its send-time checks before
// they are made again for its next chunk: a pause takes effect within it.
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

// retryLater reschedules invitations with exponential backoff and jitter,
// or marks them failed once they used all their attempts.
func (h *SendHandler) retryLater(ctx context.Context, invs []scheduler.Outgoing, now time.Time, reason string) error {
	var failed []int64
	groups := map[time.Time][]int64{}
	for _, inv := range invs {
		attempt := inv.Attempts + 1 // this one
		if attempt >= MaxSendAttempts {
			failed = append(failed, inv.ID)
			continue
		}
		at := now.Add(Backoff(attempt)).Truncate(time.Second)
		groups[at] = append(groups[at], inv.ID)
	}
	if err := h.Invitations.MarkFailed(ctx, failed, reason+" after "+strconv.Itoa(MaxSendAttempts)+" attempts", now); err != nil {
		return err
	}
	for at, ids := range groups {
		if err := h.Invitations.Reschedule(ctx, ids, at, reason, true, now); err != nil {
			return err
		}
	}
	return nil
}

// Backoff is the wait before attempt n+1: 30 s doubling up to 1 h, with up
// to 20 % jitter so a recovering server is not hit by everyone at once.
func Backoff(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < time.Hour; i++ {
		d *= 2
	}
	d = min(d, time.Hour)
	return d + time.Duration(rand.Int64N(int64(d/5)+1))
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
