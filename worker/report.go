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
	"github.com/followup/followup/mail"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
)

// TypeFeedbackReport emails the weekly report on one ISO week to managers.
const TypeFeedbackReport = "feedback:report"

// FeedbackReportPayload names the week (2026-W45).
type FeedbackReportPayload struct {
	Week string `json:"week"`
}

// NewFeedbackReportTask builds the task sending week's report. Its id
// names the week, and it is kept a week after it completes, so a
// scheduler fail-over enqueues it once (PostgreSQL remembers it beyond).
func NewFeedbackReportTask(q Queues, week string) (*asynq.Task, error) {
	b, err := json.Marshal(FeedbackReportPayload{Week: week})
	if err != nil {
		return nil, fmt.Errorf("encode %s payload: %w", TypeFeedbackReport, err)
	}
	return asynq.NewTask(TypeFeedbackReport, b,
		asynq.TaskID(taskID(TypeFeedbackReport, week)),
		asynq.Queue(q.Low()),
		asynq.MaxRetry(20),
		asynq.Timeout(5*time.Minute),
		asynq.Retention(7*24*time.Hour),
	), nil
}

// EnqueueReport queues the weekly report on week.
func (c *Client) EnqueueReport(ctx context.Context, week string) error {
	t, err := NewFeedbackReportTask(c.queues, week)
	if err != nil {
		return err
	}
	_, err = c.put(ctx, t, c.queues.Low(), taskID(TypeFeedbackReport, week))
	return err
}

// ReportHandler emails the weekly report to every manager, once each:
// deliveries are recorded per address, so a retry mails only those it
// missed, and a finished week is never mailed again.
type ReportHandler struct {
	Reports   *reports.Store
	Users     *users.Store
	Templates *templates.Set
	Mail      Sender
	// Base is the public URL, for links to the managers' pages.
	Base string
	// Locale is the report's language; Location where its weeks begin.
	Locale   string
	Location *time.Location
	Clock    clock.Clock
	Log      *slog.Logger
}

// ProcessTask implements asynq.Handler for TypeFeedbackReport.
func (h *ReportHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p FeedbackReportPayload
	if err := decode(t, &p); err != nil {
		return err
	}
	week, err := reports.ParseWeek(p.Week)
	if err != nil {
		return fmt.Errorf("%s: %w: %w", t.Type(), err, asynq.SkipRetry)
	}
	now := h.Clock.Now()
	pending, err := h.Reports.OpenWeeklyReport(ctx, week, now)
	if err != nil || !pending {
		return err
	}
	done, _, err := h.Reports.WeeklyReportDeliveries(ctx, week)
	if err != nil {
		return err
	}
	managers, err := h.Users.ByRole(ctx, users.Manager)
	if err != nil {
		return fmt.Errorf("weekly report %s recipients: %w", week, err)
	}
	var to []users.User
	for _, u := range managers {
		if !done[u.Email] {
			to = append(to, u)
		}
	}
	if len(to) > 0 {
		if err := h.send(ctx, week, now, to); err != nil {
			return err
		}
	}
	h.Log.Info("weekly report sent", "week", week.String(), "recipients", len(to))
	return h.Reports.FinishWeeklyReport(ctx, week, h.Clock.Now())
}

func (h *ReportHandler) send(ctx context.Context, week reports.ISOWeek, now time.Time, to []users.User) error {
	r, err := h.Reports.Weekly(ctx, week, now, h.Location)
	if err != nil {
		return fmt.Errorf("weekly report %s: %w", week, err)
	}
	images, err := templates.WeeklyCharts(r, h.Locale)
	if err != nil {
		return err
	}
	inline := make([]mail.Inline, len(images))
	for i, img := range images {
		inline[i] = mail.Inline{Name: img.Name, ContentType: img.ContentType, Data: img.Data}
	}
	view := h.Templates.WeeklyReport(r, h.Locale, h.Base, true)
	if len(images) < 2 {
		view.RisksImage = ""
	}
	e, err := h.Templates.RenderEmail("report", h.Locale, view)
	if err != nil {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	msgs := make([]mail.Message, len(to))
	for i, u := range to {
		msgs[i] = mail.Message{To: &netmail.Address{Name: u.Name, Address: u.Email}, Subject: e.Subject, Text: e.Text, HTML: e.HTML,
			MessageID: fmt.Sprintf("report-%s-%d@%s", week, u.ID, domainOf(h.Mail.From().Address)), Inline: inline,
			Headers: map[string]string{"X-Followup-Report": week.String()}}
	}
	var errs []error
	for i, err := range h.Mail.Send(ctx, msgs) {
		if err != nil {
			errs = append(errs, fmt.Errorf("weekly report %s to %s: %w", week, msgs[i].To.Address, err))
			continue
		}
		if err := h.Reports.MarkWeeklyReportDelivered(ctx, week, msgs[i].To.Address, h.Clock.Now()); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
