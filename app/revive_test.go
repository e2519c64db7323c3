package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/config"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
	"github.com/followup/followup/worker"
)

// pauseQueue stops the deployment's workers taking tasks from queue, so a
// test can archive them by hand, until the returned func resumes it.
func pauseQueue(t *testing.T, h *apptest.Harness, queue string) func() {
	t.Helper()
	insp := asynq.NewInspectorFromRedisClient(h.App.Redis)
	if err := insp.PauseQueue(queue); err != nil {
		t.Fatal(err)
	}
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			if err := insp.UnpauseQueue(queue); err != nil {
				t.Error(err)
			}
		}
	}
	t.Cleanup(resume)
	return resume
}

// archive waits for the task id to be queued, then archives it by hand, as
// asynq does after its last retry.
func archive(t *testing.T, h *apptest.Harness, queue, id string) {
	t.Helper()
	insp := asynq.NewInspectorFromRedisClient(h.App.Redis)
	wait.Until(t, 30*time.Second, "task "+id+" to be queued", func() bool {
		_, err := insp.GetTaskInfo(queue, id)
		return err == nil
	})
	if err := insp.ArchiveTask(queue, id); err != nil {
		t.Fatalf("archive %s: %v", id, err)
	}
}

// waitRevived waits for reconciliation passes that revived n tasks of work
// in all.
func waitRevived(t *testing.T, h *apptest.Harness, work string, n int) {
	t.Helper()
	revived := 0
	h.WaitReconciled(t, fmt.Sprintf("%d %s revived", n, work), func(p scheduler.Reconciliation) bool {
		revived += p.Work[work].Revived
		return revived >= n
	})
}

// settled waits until cond holds in PostgreSQL, then for a reconciliation
// pass begun after that (the last that could have queued the work again)
// and for the workers to finish what was queued: after it, what was sent
// twice would have been.
func settled(t *testing.T, h *apptest.Harness, what string, cond func() bool) {
	t.Helper()
	eventually(t, what, cond)
	now := h.App.Clock.Now()
	h.WaitReconciled(t, "a pass after "+what, func(p scheduler.Reconciliation) bool { return !p.At.Before(now) })
	h.WaitIdle(t)
}

// TestArchivedSurveySendIsRevived: a survey:send task archived by hand (as
// asynq does when its retries are spent) used to block its batch for good,
// the reconciler's enqueue conflicting with the archived task's id. Now
// the pass revives it, the batch's emails arrive once each, and passes
// that find the task still queued count and log nothing.
func TestArchivedSurveySendIsRevived(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{})
	ctx := context.Background()
	q := h.App.Queue.Queues()
	resume := pauseQueue(t, h, q.Default())
	seedCampaign(t, h)
	const n = 3
	for i := 0; i < n; i++ {
		record(t, h, fmt.Sprintf("evt-%d", i), fmt.Sprintf("ref-%d", i), fmt.Sprintf("c%d@example.com", i), "delivery", "en", time.Now().Add(-3*time.Hour))
	}
	var batches []int64
	eventually(t, "every invitation claimed into a batch", func() bool {
		return countOf(t, h, `SELECT count(*) FROM invitations WHERE state = 'queued'`) == n
	})
	if err := h.Schema.DB.Select(&batches, `SELECT id FROM send_batches ORDER BY id`); err != nil {
		t.Fatal(err)
	}

	// While the tasks wait in the paused queue, passes find them queued:
	// nothing changed, nothing counted.
	h.WaitReconciled(t, "a pass finding every batch queued", func(p scheduler.Reconciliation) bool {
		return p.Work[scheduler.WorkSendBatches].AlreadyQueued == len(batches)
	})
	for _, outcome := range []string{"queued", "revived"} {
		if v := testutil.ToFloat64(h.App.Metrics.Reconciled.WithLabelValues(scheduler.WorkSendBatches, outcome)); v != 0 {
			t.Errorf("followup_reconciled_total{outcome=%q} = %v after passes that changed nothing", outcome, v)
		}
	}

	for _, b := range batches {
		archive(t, h, q.Default(), fmt.Sprintf("%s:%d", worker.TypeSurveySend, b))
	}
	resume()
	waitRevived(t, h, scheduler.WorkSendBatches, len(batches))
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := h.Capture.WaitFor(wctx, n); err != nil {
		t.Fatalf("the revived batches' emails: %v", err)
	}
	settled(t, h, "every invitation sent", func() bool { return sentCount(t, h) == n })
	got := map[string]int{}
	for _, m := range h.Capture.Messages() {
		got[strings.Trim(m.To[0], "<>")]++
	}
	for i := 0; i < n; i++ {
		if k := got[fmt.Sprintf("c%d@example.com", i)]; k != 1 {
			t.Errorf("c%d@example.com received %d emails, want 1", i, k)
		}
	}
	if len(got) != n {
		t.Errorf("emails to %v, want the %d customers", got, n)
	}
	if v := testutil.ToFloat64(h.App.Metrics.Reconciled.WithLabelValues(scheduler.WorkSendBatches, "revived")); int(v) != len(batches) {
		t.Errorf("followup_reconciled_total{kind=send_batches,outcome=revived} = %v, want %d", v, len(batches))
	}
	if v := testutil.ToFloat64(h.App.Metrics.TasksRevived.WithLabelValues(worker.TypeSurveySend)); int(v) != len(batches) {
		t.Errorf("followup_tasks_revived_total{type=survey:send} = %v, want %d", v, len(batches))
	}
}

// TestArchivedAlertAndAcknowledgementAreRevived: a complaint's alert to the
// team and acknowledgement to the customer, both archived by hand, are
// revived by the reconciler and delivered once each.
func TestArchivedAlertAndAcknowledgementAreRevived(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s"}})
	cx, _ := h.User(t, users.CX)
	q := h.App.Queue.Queues()
	seedCampaign(t, h)
	resume := pauseQueue(t, h, q.Critical())
	complaint, email := unhappy(t, h, "angry", "Nothing worked and nobody called back.", 2, 2)
	var message int64
	if err := h.Schema.DB.Get(&message, `SELECT id FROM complaint_messages WHERE complaint_id = $1 AND kind = 'acknowledgement'`, complaint); err != nil {
		t.Fatalf("acknowledgement: %v", err)
	}
	archive(t, h, q.Critical(), fmt.Sprintf("%s:complaint-opened:%d", worker.TypeFeedbackAlert, complaint))
	archive(t, h, q.Critical(), fmt.Sprintf("%s:%d", worker.TypeComplaintMessage, message))
	resume()
	waitRevived(t, h, scheduler.WorkAlerts, 1)
	waitRevived(t, h, scheduler.WorkComplaintEmails, 1)
	alertSubject := fmt.Sprintf("complaint #%d", complaint)
	h.WaitMail(t, cx.Email, alertSubject)
	h.WaitMail(t, email, "We have received your request")
	settled(t, h, "the alert and the acknowledgement delivered", func() bool {
		return countOf(t, h, `SELECT count(*) FROM alerts WHERE email_delivered_at IS NOT NULL`) == 1 &&
			countOf(t, h, `SELECT count(*) FROM complaint_messages WHERE id = $1 AND state = 'sent'`, message) == 1
	})
	if k := mailsTo(h, cx.Email, alertSubject); k != 1 {
		t.Errorf("the team received the alert %d times, want once", k)
	}
	if k := mailsTo(h, email, "We have received your request"); k != 1 {
		t.Errorf("the customer received the acknowledgement %d times, want once", k)
	}
}

// TestAlertOlderThanAWeekIsDelivered: an alert raised more than a week ago
// and never delivered (the workers were down, its task lost) is delivered
// by the reconciler, once; the reconciler used to ignore it.
func TestAlertOlderThanAWeekIsDelivered(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{})
	cx, _ := h.User(t, users.CX)
	ctx := context.Background()
	old := feedback.Alert{ID: "test-old:1", Kind: string(feedback.AlertBarometerBreach), Audience: feedback.AudienceCX,
		Text: "Raised eight days ago, while the workers were down", CreatedAt: time.Now().Add(-8 * 24 * time.Hour)}
	if _, err := h.App.Alerts.Raise(ctx, h.App.DB, old); err != nil {
		t.Fatal(err)
	}
	h.WaitMail(t, cx.Email, "Raised eight days ago")
	settled(t, h, "the old alert delivered", func() bool {
		a, err := h.App.Alerts.Get(ctx, old.ID)
		return err == nil && a.EmailDeliveredAt != nil
	})
	if k := mailsTo(h, cx.Email, "Raised eight days ago"); k != 1 {
		t.Errorf("the old alert was emailed %d times, want once", k)
	}
	if v := testutil.ToFloat64(h.App.Metrics.Reconciled.WithLabelValues(scheduler.WorkAlerts, "queued")); v != 1 {
		t.Errorf("followup_reconciled_total{kind=alerts,outcome=queued} = %v, want 1", v)
	}
}

// TestStalledWorkAlertsTheAdminsOnce: send batches waiting past their
// threshold (FOLLOWUP_STALL_AFTER, 1h for send batches) raise one alert
// to the admins, however many passes see the stall, and set the stall
// gauges; once the batches are sent, the gauges fall back.
func TestStalledWorkAlertsTheAdminsOnce(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Now())
	h := apptest.Start(t, apptest.Options{Clock: clk})
	admin, _ := h.User(t, users.Admin)
	resume := pauseQueue(t, h, h.App.Queue.Queues().Default())
	seedCampaign(t, h)
	record(t, h, "evt-stuck", "ref-stuck", "stuck@example.com", "delivery", "en", clk.Now().Add(-3*time.Hour))
	eventually(t, "the invitation claimed into a batch", func() bool {
		return countOf(t, h, `SELECT count(*) FROM send_batches`) == 1
	})
	clk.Advance(2 * time.Hour) // the batch's task never ran
	p := h.WaitReconciled(t, "a pass seeing the stall", func(p scheduler.Reconciliation) bool {
		return p.Waiting[scheduler.WorkSendBatches].Stalled
	})
	// (PostgreSQL keeps microseconds: the batch's age is 2 hours less a few
	// hundred nanoseconds.)
	if w := p.Waiting[scheduler.WorkSendBatches]; w.Age < 2*time.Hour-time.Millisecond || w.After != time.Hour {
		t.Errorf("waiting %+v, want 2h past a 1h threshold", w)
	}
	for _, kind := range config.StallKinds { // FOLLOWUP_STALL_AFTER names what is watched
		if _, ok := p.Waiting[kind]; !ok || len(p.Waiting) != len(config.StallKinds) {
			t.Errorf("watched %v, want every kind of FOLLOWUP_STALL_AFTER %v", p.Waiting, config.StallKinds)
		}
	}
	alert := h.WaitMail(t, admin.Email, "Work stalled")
	if txt := alert.Text(); !strings.Contains(txt, "survey emails") || !strings.Contains(txt, "expected within 1h") ||
		!strings.Contains(txt, "/admin/queues/") {
		t.Errorf("stall alert:\n%s", txt)
	}
	eventually(t, "the stall gauges", func() bool {
		return testutil.ToFloat64(h.App.Metrics.WorkStalled.WithLabelValues(scheduler.WorkSendBatches)) == 1 &&
			testutil.ToFloat64(h.App.Metrics.WorkWaiting.WithLabelValues(scheduler.WorkSendBatches)) > 7199
	})
	// Later passes see the same stall: no new alert.
	for i := 0; i < 2; i++ {
		clk.Advance(time.Minute)
		at := clk.Now()
		h.WaitReconciled(t, "a later pass", func(p scheduler.Reconciliation) bool { return !p.At.Before(at) })
	}
	resume()
	h.WaitMail(t, "stuck@example.com", "")
	eventually(t, "the batch done", func() bool { return countOf(t, h, `SELECT count(*) FROM send_batches WHERE state = 'done'`) == 1 })
	clk.Advance(time.Minute)
	sent := clk.Now()
	p = h.WaitReconciled(t, "a pass after the batch was sent", func(p scheduler.Reconciliation) bool { return !p.At.Before(sent) })
	if w := p.Waiting[scheduler.WorkSendBatches]; w.Stalled || w.Age != 0 {
		t.Errorf("after the batch was sent: %+v, want nothing waiting", w)
	}
	h.WaitIdle(t)
	if k := mailsTo(h, admin.Email, "Work stalled"); k != 1 {
		t.Errorf("the admin was alerted %d times, want once", k)
	}
	if n := countOf(t, h, `SELECT count(*) FROM alerts WHERE kind = 'work_stalled'`); n != 1 {
		t.Errorf("%d stall alerts stored, want 1", n)
	}
	if v := testutil.ToFloat64(h.App.Metrics.WorkStalled.WithLabelValues(scheduler.WorkSendBatches)); v != 0 {
		t.Errorf("followup_work_stalled{kind=send_batches} = %v after the batch was sent", v)
	}
}
