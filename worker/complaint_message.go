package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"time"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/compose"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/metrics"
	"github.com/followup/followup/scheduler"
)

// TypeComplaintMessage sends one email to a customer about their complaint.
const TypeComplaintMessage = "complaint:message"

// ComplaintMessagePayload names the message to send.
type ComplaintMessagePayload struct {
	MessageID int64 `json:"message_id"`
}

// NewComplaintMessageTask builds the task sending message id after delay.
// Its task id is the message's: queued twice, it is sent once.
func NewComplaintMessageTask(q Queues, id int64, delay time.Duration) (*asynq.Task, []asynq.Option, error) {
	b, err := json.Marshal(ComplaintMessagePayload{MessageID: id})
	if err != nil {
		return nil, nil, fmt.Errorf("encode %s payload: %w", TypeComplaintMessage, err)
	}
	return asynq.NewTask(TypeComplaintMessage, b,
		asynq.TaskID(taskID(TypeComplaintMessage, id)),
		asynq.Queue(q.Critical()),
		asynq.MaxRetry(16),
		asynq.Timeout(time.Minute),
	), []asynq.Option{asynq.ProcessIn(max(delay, 0))}, nil
}

// EnqueueComplaintMessage queues the sending of a complaint email after
// delay (a duration, not a time: the caller's clock may not be the wall's).
func (c *Client) EnqueueComplaintMessage(ctx context.Context, id int64, delay time.Duration) error {
	_, err := c.RequeueComplaintMessage(ctx, id, delay)
	return err
}

// RequeueComplaintMessage queues the sending of a complaint email after
// delay, reviving its task if asynq archived it, and says what it did.
func (c *Client) RequeueComplaintMessage(ctx context.Context, id int64, delay time.Duration) (scheduler.Outcome, error) {
	t, opts, err := NewComplaintMessageTask(c.queues, id, delay)
	if err != nil {
		return 0, err
	}
	return c.put(ctx, t, c.queues.Critical(), taskID(TypeComplaintMessage, id), opts...)
}

// ComplaintMessageHandler sends the emails a customer gets about their
// complaint (acknowledgement, replies, resolution). A message is sent once:
// its row moves from pending when the server accepted it. A temporary
// failure is retried with backoff; a refused address is a bounce, recorded
// so no email goes there again.
type ComplaintMessageHandler struct {
	Complaints *complaints.Store
	Customers  *customers.Store
	Compose    *compose.Composer
	Mail       Sender
	// ReplyTo receives the customers' answers, when set.
	ReplyTo *netmail.Address
	Clock   clock.Clock
	Log     *slog.Logger
	Metrics *metrics.Metrics
}

// ProcessTask implements asynq.Handler for TypeComplaintMessage.
func (h *ComplaintMessageHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p ComplaintMessagePayload
	if err := decode(t, &p); err != nil {
		return err
	}
	m, err := h.Complaints.Outbound(ctx, p.MessageID)
	if errors.Is(err, complaints.ErrNotFound) {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	if err != nil {
		return err
	}
	now := h.Clock.Now()
	switch {
	case m.State != complaints.MessagePending:
		return nil // sent or settled by an earlier run
	case m.AddressSuppressed != "":
		return h.Complaints.SettleMessage(ctx, m.ID, complaints.MessageSkipped, "the address "+m.AddressSuppressed, now)
	case m.Kind == complaints.MessageAcknowledgement && m.ResolvedAt != nil:
		// Resolved before the acknowledgement left: the resolution email says more.
		return h.Complaints.SettleMessage(ctx, m.ID, complaints.MessageSkipped, "resolved before it was sent", now)
	}
	msg, err := h.Compose.ComplaintMessage(m, h.ReplyTo)
	if err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	err = h.Mail.Send(ctx, []mail.Message{msg})[0]
	var de *mail.DeliveryError
	switch {
	case err == nil:
		if h.Metrics != nil {
			h.Metrics.EmailsSent.WithLabelValues(m.Kind).Inc()
		}
		return h.Complaints.MarkMessageSent(ctx, m.ID, msg.MessageID, h.Clock.Now())
	case errors.As(err, &de) && !de.Temporary:
		if de.Recipient {
			if err := h.Customers.SuppressAddress(ctx, m.Email, customers.SuppressedBounced, de.Error(), now); err != nil {
				return err
			}
		}
		if h.Metrics != nil {
			h.Metrics.EmailsFailed.WithLabelValues("rejected").Inc()
		}
		h.Log.Warn("complaint email refused", "message", m.ID, "complaint", m.ComplaintID, "err", de)
		return h.Complaints.SettleMessage(ctx, m.ID, complaints.MessageFailed, de.Error(), now)
	default:
		_ = h.Complaints.RecordMessageAttempt(ctx, m.ID, err)
		if h.Metrics != nil {
			h.Metrics.EmailsFailed.WithLabelValues("temporary").Inc()
		}
		return fmt.Errorf("complaint email %d: %w", m.ID, err)
	}
}
