package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/followup/followup/feedback"
	"github.com/followup/followup/scheduler"
)

// reconcilers put back on the queue the internal loop's work PostgreSQL
// says is pending (the scheduler itself looks after send batches and
// scores), reviving archived tasks.
func (a *App) reconcilers() map[string]scheduler.Reconciler {
	return map[string]scheduler.Reconciler{
		scheduler.WorkAlerts: func(ctx context.Context, cutoff time.Time) (scheduler.Tally, error) {
			ids, err := a.Alerts.Undelivered(ctx, cutoff, a.Cfg.Alerts.WebhookURL != "", true, 1000)
			if err != nil {
				return scheduler.Tally{}, err
			}
			return requeueEach(ids, func(id string) (scheduler.Outcome, error) { return a.Queue.RequeueAlert(ctx, id) })
		},
		scheduler.WorkComplaintEmails: func(ctx context.Context, cutoff time.Time) (scheduler.Tally, error) {
			due, err := a.Complaints.PendingMessages(ctx, cutoff, 1000)
			if err != nil {
				return scheduler.Tally{}, err
			}
			ids := make([]int64, len(due))
			for i, m := range due {
				ids[i] = m.ID
			}
			return requeueEach(ids, func(id int64) (scheduler.Outcome, error) { return a.Queue.RequeueComplaintMessage(ctx, id, 0) })
		},
		scheduler.WorkInboundMessages: func(ctx context.Context, cutoff time.Time) (scheduler.Tally, error) {
			ids, err := a.Inbound.Unparsed(ctx, cutoff, 1000)
			if err != nil {
				return scheduler.Tally{}, err
			}
			return requeueEach(ids, func(id int64) (scheduler.Outcome, error) { return a.Queue.RequeueInboundParse(ctx, id) })
		},
	}
}

// requeueEach requeues every id, tallying the outcomes; one that fails does
// not stop the others.
func requeueEach[ID any](ids []ID, requeue func(ID) (scheduler.Outcome, error)) (scheduler.Tally, error) {
	var t scheduler.Tally
	var errs []error
	for _, id := range ids {
		o, err := requeue(id)
		if err != nil {
			errs = append(errs, fmt.Errorf("requeue %v: %w", id, err))
			continue
		}
		t.Add(o)
	}
	return t, errors.Join(errs...)
}

// watches measure how long each kind of work has waited, from the tables
// of the package that owns it, against FOLLOWUP_STALL_AFTER.
func (a *App) watches() map[string]scheduler.Watch {
	webhook := a.Cfg.Alerts.WebhookURL != ""
	return map[string]scheduler.Watch{
		scheduler.WorkSendBatches: {After: a.Cfg.StallAfter[scheduler.WorkSendBatches],
			Oldest: func(ctx context.Context, _ time.Time) (time.Time, error) { return a.Scheduler.OldestOpenBatch(ctx) }},
		scheduler.WorkResponses: {After: a.Cfg.StallAfter[scheduler.WorkResponses],
			Oldest: func(ctx context.Context, _ time.Time) (time.Time, error) { return a.Surveys.OldestUnscored(ctx) }},
		scheduler.WorkAlerts: {After: a.Cfg.StallAfter[scheduler.WorkAlerts],
			Oldest: func(ctx context.Context, now time.Time) (time.Time, error) {
				return a.Alerts.OldestUndelivered(ctx, now, webhook, true)
			}},
		scheduler.WorkComplaintEmails: {After: a.Cfg.StallAfter[scheduler.WorkComplaintEmails],
			Oldest: a.Complaints.OldestPendingMessage},
		scheduler.WorkInboundMessages: {After: a.Cfg.StallAfter[scheduler.WorkInboundMessages],
			Oldest: a.Inbound.OldestUnparsed},
	}
}

// raiseStall alerts the admins that work has waited past its expected
// time. The alert's id names the stall, so a new scheduler leader seeing
// the same stall raises nothing more; it is enqueued after it is stored
// (the alert reconciler retries an enqueue that fails).
func (a *App) raiseStall(ctx context.Context, s scheduler.Stall) error {
	al, err := feedback.StalledAlert(s, a.Cfg.BaseURL.String()+"/admin/queues/", a.Clock.Now())
	if err != nil {
		return err
	}
	created, err := a.Alerts.Raise(ctx, a.DB, al)
	if err != nil || !created {
		return err
	}
	return a.Queue.EnqueueAlert(ctx, al.ID)
}

// observeReconciliation records a reconciliation pass in the metrics, then
// tells whoever asked (tests).
func (a *App) observeReconciliation(p scheduler.Reconciliation) {
	for kind, t := range p.Work {
		if t.Queued > 0 {
			a.Metrics.Reconciled.WithLabelValues(kind, scheduler.Queued.String()).Add(float64(t.Queued))
		}
		if t.Revived > 0 {
			a.Metrics.Reconciled.WithLabelValues(kind, scheduler.Revived.String()).Add(float64(t.Revived))
		}
	}
	for kind, w := range p.Waiting {
		a.Metrics.WorkWaiting.WithLabelValues(kind).Set(w.Age.Seconds())
		stalled := 0.0
		if w.Stalled {
			stalled = 1
		}
		a.Metrics.WorkStalled.WithLabelValues(kind).Set(stalled)
	}
	if a.reconciled != nil {
		a.reconciled(p)
	}
}
