package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"slices"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/metrics"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
)

// TypeFeedbackAlert delivers one alert by webhook and email.
const TypeFeedbackAlert = "feedback:alert"

// FeedbackAlertPayload names the alert to deliver.
type FeedbackAlertPayload struct {
	AlertID string `json:"alert_id"`
}

// NewFeedbackAlertTask builds the task delivering alert id. Its task id is
// the alert's: raised twice, it is queued once.
func NewFeedbackAlertTask(q Queues, id string) (*asynq.Task, error) {
	b, err := json.Marshal(FeedbackAlertPayload{AlertID: id})
	if err != nil {
		return nil, fmt.Errorf("encode %s payload: %w", TypeFeedbackAlert, err)
	}
	return asynq.NewTask(TypeFeedbackAlert, b,
		asynq.TaskID(taskID(TypeFeedbackAlert, id)),
		asynq.Queue(q.Critical()),
		asynq.MaxRetry(20),
		asynq.Timeout(time.Minute),
	), nil
}

// EnqueueAlert queues the delivery of an alert.
func (c *Client) EnqueueAlert(ctx context.Context, id string) error {
	_, err := c.RequeueAlert(ctx, id)
	return err
}

// RequeueAlert queues the delivery of an alert, reviving its task if
// asynq archived it, and says what it did.
func (c *Client) RequeueAlert(ctx context.Context, id string) (scheduler.Outcome, error) {
	t, err := NewFeedbackAlertTask(c.queues, id)
	if err != nil {
		return 0, err
	}
	return c.put(ctx, t, c.queues.Critical(), taskID(TypeFeedbackAlert, id))
}

// AlertHandler delivers alerts: a signed webhook and an email, each once
// (delivery is recorded per channel, so a retry only redoes what failed).
// A failure returns an error and asynq retries with backoff.
type AlertHandler struct {
	Alerts  *feedback.Store
	Webhook feedback.Poster // nil: no webhook
	Mail    Sender
	Users   *users.Store
	// Complaints finds a complaint's owner, for alerts to them.
	Complaints *complaints.Store
	// Emails, when set, replace the users of the audience as recipients.
	Emails []string
	// Base is the public URL, for links to the complaint.
	Base  string
	Clock clock.Clock
	Log   *slog.Logger
	// Metrics counts alerts delivered; nil counts nothing.
	Metrics *metrics.Metrics
}

// ProcessTask implements asynq.Handler for TypeFeedbackAlert.
func (h *AlertHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p FeedbackAlertPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	a, err := h.Alerts.Get(ctx, p.AlertID)
	if errors.Is(err, feedback.ErrNotFound) {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	if err != nil {
		return err
	}
	var errs []error
	if h.Webhook != nil && a.WebhookDeliveredAt == nil {
		if err := h.Webhook.Post(ctx, a, h.Clock.Now()); err != nil {
			errs = append(errs, err)
		} else if err := h.Alerts.MarkWebhookDelivered(ctx, a.ID, h.Clock.Now()); err != nil {
			return err
		} else if h.Metrics != nil {
			h.Metrics.Alerts.WithLabelValues(a.Kind, "webhook").Inc()
		}
	}
	if a.EmailDeliveredAt == nil {
		if err := h.email(ctx, a); err != nil {
			errs = append(errs, err)
		} else if err := h.Alerts.MarkEmailDelivered(ctx, a.ID, h.Clock.Now()); err != nil {
			return err
		} else if h.Metrics != nil {
			h.Metrics.Alerts.WithLabelValues(a.Kind, "email").Inc()
		}
	}
	if err := errors.Join(errs...); err != nil {
		_ = h.Alerts.RecordFailure(ctx, a.ID, err)
		h.Log.Warn("alert not delivered yet", "alert", a.ID, "err", err)
		return err
	}
	return nil
}

func (h *AlertHandler) recipients(ctx context.Context, a feedback.Alert) ([]*netmail.Address, error) {
	if a.Audience == feedback.AudienceRequester {
		return h.requester(ctx, a)
	}
	if len(h.Emails) > 0 {
		out := make([]*netmail.Address, len(h.Emails))
		for i, e := range h.Emails {
			out[i] = &netmail.Address{Address: e}
		}
		return out, nil
	}
	var list []users.User
	owner, err := h.owner(ctx, a)
	if err != nil {
		return nil, err
	}
	switch a.Audience {
	case feedback.AudienceOwner:
		if owner != nil {
			list = []users.User{*owner}
			break
		}
		if list, err = h.Users.ByRole(ctx, users.CX, users.Manager); err != nil {
			return nil, err
		}
	case feedback.AudienceManagers:
		if list, err = h.Users.ByRole(ctx, users.Manager); err != nil {
			return nil, err
		}
		if owner != nil && !slices.ContainsFunc(list, func(u users.User) bool { return u.ID == owner.ID }) {
			list = append(list, *owner)
		}
	case feedback.AudienceAdmins:
		if list, err = h.Users.ByRole(ctx, users.Admin); err != nil {
			return nil, err
		}
	default:
		if list, err = h.Users.ByRole(ctx, users.CX, users.Manager); err != nil {
			return nil, err
		}
	}
	out := make([]*netmail.Address, len(list))
	for i, u := range list {
		out[i] = &netmail.Address{Name: u.Name, Address: u.Email}
	}
	return out, nil
}

// requester is the one person an alert is for (its payload's Recipient),
// when they can still sign in; nobody otherwise.
func (h *AlertHandler) requester(ctx context.Context, a feedback.Alert) ([]*netmail.Address, error) {
	p, err := a.Payload()
	if err != nil {
		return nil, err
	}
	r, ok := p.(interface{ Recipient() *int64 })
	if !ok || r.Recipient() == nil {
		return nil, nil
	}
	u, err := h.Users.Get(ctx, *r.Recipient())
	if errors.Is(err, users.ErrNotFound) || (err == nil && u.DisabledAt != nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return []*netmail.Address{{Name: u.Name, Address: u.Email}}, nil
}

// owner is the active owner of the alert's complaint, if any.
func (h *AlertHandler) owner(ctx context.Context, a feedback.Alert) (*users.User, error) {
	if a.ComplaintID == nil || h.Complaints == nil || a.Audience == feedback.AudienceCX {
		return nil, nil
	}
	id, err := h.Complaints.OwnerOf(ctx, *a.ComplaintID)
	if err != nil || id == 0 {
		return nil, err
	}
	u, err := h.Users.Get(ctx, id)
	if errors.Is(err, users.ErrNotFound) {
		return nil, nil
	}
	if err != nil || u.DisabledAt != nil {
		return nil, err
	}
	return &u, nil
}

func (h *AlertHandler) email(ctx context.Context, a feedback.Alert) error {
	to, err := h.recipients(ctx, a)
	if err != nil {
		return err
	}
	if len(to) == 0 {
		return nil // nobody to tell by email: the webhook and the queue page remain
	}
	subject := a.Subject()
	body := a.Text + "\n"
	if a.ComplaintID != nil && !strings.Contains(body, "/cx/complaints/") {
		body += fmt.Sprintf("\nOpen the complaint: %s/cx/complaints/%d\n", h.Base, *a.ComplaintID)
	}
	body += "\n-- \nfollowup alert " + a.ID + "\n"
	msgs := make([]mail.Message, len(to))
	for i, r := range to {
		msgs[i] = mail.Message{To: r, Subject: "[followup] " + subject, Text: body,
			MessageID: fmt.Sprintf("alert-%s-%d@%s", strings.NewReplacer(":", "-", "/", "-").Replace(a.ID), i, domainOf(h.Mail.From().Address)),
			Headers:   map[string]string{"X-Followup-Alert-Id": a.ID}}
	}
	var errs []error
	for i, err := range h.Mail.Send(ctx, msgs) {
		if err != nil {
			errs = append(errs, fmt.Errorf("alert email to %s: %w", msgs[i].To.Address, err))
		}
	}
	return errors.Join(errs...)
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "followup.localhost"
}
