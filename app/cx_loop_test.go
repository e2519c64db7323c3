package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/users"
	"github.com/followup/followup/worker"
)

// unhappy records a service event for a new customer, waits for the survey
// email and answers it with overall, agree and comment; it returns the
// complaint the reply opened and the customer's address.
func unhappy(t *testing.T, h *apptest.Harness, ref, comment string, overall, agree int) (int64, string) {
	t.Helper()
	email := ref + "@example.com"
	if status, body := postJSON(t, h.API(t, users.Marketing), h.URL+"/api/v1/events",
		event(ref, "en", email, h.App.Clock.Now().Add(-3*time.Hour))); status != http.StatusAccepted {
		t.Fatalf("event: %d %v", status, body)
	}
	link := surveyLinkIn(t, h.WaitMail(t, email, "how did we do"))
	if resp, page := postForm(t, link, answers(overall, agree, comment)); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d %.300s", resp.StatusCode, page)
	}
	var id int64
	if err := h.Schema.DB.Get(&id, `SELECT k.id FROM complaints k JOIN customers c ON c.id = k.customer_id WHERE c.external_ref = $1`, ref); err != nil {
		t.Fatalf("no complaint for %s: %v", ref, err)
	}
	return id, email
}

// complaintRow is a complaint as the tests check it.
type complaintRow struct {
	State           string     `db:"state"`
	Priority        int        `db:"priority"`
	DueAt           time.Time  `db:"due_at"`
	AcknowledgedAt  *time.Time `db:"acknowledged_at"`
	PromisedDueAt   *time.Time `db:"promised_due_at"`
	DoubleDeviation bool       `db:"double_deviation"`
	Reason          string     `db:"double_deviation_reason"`
	Recovery        string     `db:"recovery_outcome"`
	Reopened        int        `db:"reopened_count"`
	Breached        *time.Time `db:"deadline_breached_at"`
	Warned          *time.Time `db:"deadline_warned_at"`
}

func complaintOf(t *testing.T, h *apptest.Harness, id int64) complaintRow {
	t.Helper()
	var c complaintRow
	if err := h.Schema.DB.Get(&c, `SELECT state, priority, due_at, acknowledged_at, promised_due_at, double_deviation,
		double_deviation_reason, recovery_outcome, reopened_count, deadline_breached_at, deadline_warned_at FROM complaints WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	return c
}

// eventually waits up to 30 s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	wait.Until(t, 30*time.Second, what, cond)
}

// TestComplaintAlertReachesTheWebhookOnce: a complaint opening alerts the
// team through a real HTTP receiver that checks the signature and fails the
// first two deliveries; asynq retries with backoff, the receiver accepts
// the alert exactly once per id, and the team and the customer get their
// emails.
func TestComplaintAlertReachesTheWebhookOnce(t *testing.T) {
	t.Parallel()
	const secret = "webhook-secret-shared-with-the-receiver"
	var mu sync.Mutex
	attempts, accepted := map[string]int{}, map[string]int{}
	var texts []string
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		id, ts := r.Header.Get("X-Followup-Alert-Id"), r.Header.Get("X-Followup-Timestamp")
		if r.Header.Get("X-Followup-Signature") != worker.Sign([]byte(secret), ts, body) {
			t.Errorf("alert %s: bad signature", id)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var b struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(body, &b); err != nil || b.ID != id || b.Text == "" {
			t.Errorf("alert body %s: %v", body, err)
		}
		mu.Lock()
		defer mu.Unlock()
		attempts[id]++
		if attempts[id] <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		accepted[id]++
		texts = append(texts, b.Text)
	}))
	defer receiver.Close()
	h := apptest.Start(t, apptest.Options{Env: map[string]string{
		"FOLLOWUP_ALERT_WEBHOOK_URL": receiver.URL, "FOLLOWUP_ALERT_WEBHOOK_SECRET": secret, "FOLLOWUP_ACK_DELAY": "0s"}})
	cx, _ := h.User(t, users.CX)
	seedCampaign(t, h)
	id, email := unhappy(t, h, "alerted", "The parcel arrived broken and nobody answers. I will post it on Facebook.", 1, 1)
	alertID := fmt.Sprintf("complaint-opened:%d", id)

	eventually(t, "the webhook to accept the alert", func() bool { mu.Lock(); defer mu.Unlock(); return accepted[alertID] == 1 })
	const deliveredBoth = `SELECT count(*) FROM alerts WHERE id = $1 AND webhook_delivered_at IS NOT NULL AND email_delivered_at IS NOT NULL`
	eventually(t, "the alert recorded as delivered on both channels", func() bool { return countOf(t, h, deliveredBoth, alertID) == 1 })
	// The reconciler would (wrongly) send it again from a pass whose cutoff
	// is past the delivery: wait for such a pass, then for the worker to
	// process whatever it queued.
	delivered := time.Now()
	h.WaitReconciled(t, "with its cutoff after the alert was delivered", func(p scheduler.Reconciliation) bool { return p.Cutoff.After(delivered) })
	h.WaitIdle(t)
	mu.Lock()
	if accepted[alertID] != 1 || attempts[alertID] != 3 || len(accepted) != 1 {
		t.Errorf("accepted %v after attempts %v; want the alert once, after 2 failures", accepted, attempts)
	}
	if !strings.Contains(texts[0], fmt.Sprintf("complaint #%d", id)) || !strings.Contains(texts[0], "public") ||
		!strings.Contains(texts[0], fmt.Sprintf("/cx/complaints/%d", id)) {
		t.Errorf("alert text %q", texts[0])
	}
	mu.Unlock()

	mail := h.WaitMail(t, cx.Email, fmt.Sprintf("complaint #%d", id))
	if got := mail.Header.Get("X-Followup-Alert-Id"); got != alertID {
		t.Errorf("alert email id %q, want %q", got, alertID)
	}
	ack := h.WaitMail(t, email, "We have received your request")
	if !strings.Contains(ack.Text(), fmt.Sprintf("#%d", id)) || !strings.Contains(ack.Text(), "will contact you by") {
		t.Errorf("acknowledgement: %s", ack.Text())
	}
	if countOf(t, h, deliveredBoth, alertID) != 1 {
		t.Errorf("the alert is not recorded as delivered on both channels")
	}
}

// TestDeadlinesWarnThenEscalate moves the clock: a near deadline warns the
// owner; a breached one raises the priority and alerts a manager; a breach
// after the customer was promised the deadline is a double deviation (P1,
// flagged, a new deadline the customer is told with an apology; missing
// that one too escalates again). A mild
// case whose survey spares it gets no acknowledgement, so
// no promise. A second check changes nothing.
func TestDeadlinesWarnThenEscalate(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	h := apptest.Start(t, apptest.Options{Clock: clk, Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s"}})
	cx, _ := h.User(t, users.CX)
	manager, _ := h.User(t, users.Manager)
	seedCampaign(t, h)
	promised, email := unhappy(t, h, "promised", "Nothing worked and nobody called back.", 2, 2)
	h.WaitMail(t, email, "We have received your request")
	eventually(t, "the acknowledgement to be recorded", func() bool { return complaintOf(t, h, promised).PromisedDueAt != nil })

	if err := h.App.Surveys.SetSettings(context.Background(), surveys.DefaultSlug, surveys.Settings{AcknowledgeMild: false}); err != nil {
		t.Fatal(err)
	}
	mild, _ := unhappy(t, h, "mild", "", 6, 4)
	if c := complaintOf(t, h, mild); c.Priority != 4 {
		t.Fatalf("the mild case is P%d, want P4", c.Priority)
	}
	skipped := countOf(t, h, `SELECT count(*) FROM complaint_events WHERE complaint_id = $1 AND kind = 'acknowledgement_skipped'`, mild)
	ackRows := countOf(t, h, `SELECT count(*) FROM complaint_messages WHERE complaint_id = $1`, mild)
	if skipped != 1 || ackRows != 0 {
		t.Errorf("mild case: %d skip entries, %d messages; want 1 and none", skipped, ackRows)
	}

	if status, body := postJSON(t, h.API(t, users.CX), fmt.Sprintf("%s/api/v1/complaints/%d/take", h.URL, promised), `{}`); status != http.StatusOK {
		t.Fatalf("take: %d %v", status, body)
	}
	check := func() {
		t.Helper()
		if err := h.App.Queue.EnqueueDeadlineCheck(context.Background(), clk.Now()); err != nil {
			t.Fatal(err)
		}
	}

	// Deadlines count the default calendar's business hours (Paris).
	cal := h.App.Complaints.Policy().Calendar
	p := complaintOf(t, h, promised)
	allowed := cal.Between(clk.Now(), p.DueAt)
	clk.Set(cal.Add(clk.Now(), allowed*4/5)) // a fifth of the business time left: under the 25 % warning share
	check()
	warn := h.WaitMail(t, cx.Email, "Deadline near")
	if !strings.Contains(warn.Text(), fmt.Sprintf("#%d", promised)) {
		t.Errorf("warning: %s", warn.Text())
	}
	if c := complaintOf(t, h, promised); c.Warned == nil || c.Breached != nil || c.Priority != p.Priority {
		t.Errorf("after the warning: %+v", c)
	}

	m := complaintOf(t, h, mild)
	clk.Set(m.DueAt.Add(time.Minute)) // past both deadlines
	check()
	dd := h.WaitMail(t, manager.Email, "Double deviation")
	if !strings.Contains(dd.Text(), "promised") {
		t.Errorf("double deviation alert: %s", dd.Text())
	}
	h.WaitMail(t, cx.Email, "Double deviation") // the owner hears too
	eventually(t, "both breaches", func() bool { return complaintOf(t, h, mild).Breached != nil })
	if c := complaintOf(t, h, promised); c.Priority != 1 || !c.DoubleDeviation || c.Reason != "promise_missed" || c.Breached == nil ||
		!c.DueAt.After(clk.Now()) {
		t.Errorf("promised complaint after its deadline: %+v; want P1, flagged, with a new deadline", c)
	}
	// The customer is told at once, with an apology, who will call by when.
	sorry := h.WaitMail(t, email, "Our apologies")
	if txt := sorry.Text(); !strings.Contains(txt, "keep that promise. We sincerely apologise") || !strings.Contains(txt, "Test cx") {
		t.Errorf("new acknowledgement after the missed promise:\n%s", txt)
	}
	eventually(t, "the new deadline to be the new promise", func() bool {
		c := complaintOf(t, h, promised)
		return c.PromisedDueAt != nil && c.PromisedDueAt.Equal(c.DueAt)
	})
	if c := complaintOf(t, h, mild); c.Priority != 3 || c.DoubleDeviation {
		t.Errorf("mild complaint after its deadline: %+v; want P3, no double deviation", c)
	}
	eventually(t, "two deadline breaches counted in /metrics", func() bool { return testutil.ToFloat64(h.App.Metrics.DeadlineBreaches) == 2 })
	breach := h.WaitMail(t, manager.Email, "Deadline breached")
	if !strings.Contains(breach.Text(), "P4 → P3") {
		t.Errorf("breach alert: %s", breach.Text())
	}

	alerts := count(t, h, "alerts")
	clk.Advance(time.Hour)
	check()
	h.WaitIdle(t) // the second check has run, and whatever it queued
	if again := count(t, h, "alerts"); again != alerts {
		t.Errorf("a second check raised %d more alerts", again-alerts)
	}

	// The new promise is missed too: a double deviation again, a manager
	// alerted again and another deadline, but no second apology: the
	// customer already had theirs, the team escalates inside.
	renewed := complaintOf(t, h, promised)
	if renewed.Warned != nil {
		t.Errorf("the renewed deadline starts unwarned: %+v", renewed)
	}
	clk.Set(renewed.DueAt.Add(-time.Minute)) // the owner hears the new deadline is near
	check()
	eventually(t, "a warning on the renewed deadline", func() bool { return mailsTo(h, cx.Email, "Deadline near") == 2 })
	clk.Set(renewed.DueAt.Add(time.Minute))
	check()
	eventually(t, "a second double deviation alert to the managers", func() bool { return mailsTo(h, manager.Email, "Double deviation") == 2 })
	h.WaitIdle(t)
	if n := mailsTo(h, email, "Our apologies"); n != 1 {
		t.Errorf("%d apologies to the customer, want 1: a further miss escalates inside the team", n)
	}
	var last string
	if err := h.Schema.DB.Get(&last, `SELECT text FROM alerts WHERE complaint_id = $1 AND id LIKE 'double-deviation:%' ORDER BY created_at DESC, id DESC LIMIT 1`, promised); err != nil ||
		!strings.Contains(last, "not emailed again") {
		t.Errorf("second double deviation alert %q (%v); want it to say the customer is not emailed again", last, err)
	}
	if c := complaintOf(t, h, promised); !c.DueAt.After(clk.Now()) || c.Breached == nil || !c.Breached.Equal(*renewed.Breached) {
		t.Errorf("after the second missed promise: %+v; want a new deadline and the first breach kept", c)
	}
}

// mailsTo counts the captured emails to addr whose subject has subject.
func mailsTo(h *apptest.Harness, addr, subject string) int {
	n := 0
	for _, m := range h.Capture.Messages() {
		p, err := m.Parsed()
		if err != nil || !strings.Contains(p.Subject, subject) {
			continue
		}
		for _, to := range m.To {
			if strings.EqualFold(strings.Trim(to, "<>"), addr) {
				n++
			}
		}
	}
	return n
}

// TestRecoverySurveyAfterResolution resolves two complaints: each customer
// is told what was done, then gets the recovery survey after the delay. A
// negative recovery reply is a double deviation (reopened at P1, flagged, a
// manager alerted, a new acknowledgement); a positive one closes the loop.
// Neither opens a complaint of its own.
func TestRecoverySurveyAfterResolution(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)) // a Monday: inside the send window
	h := apptest.Start(t, apptest.Options{Clock: clk, Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s", "FOLLOWUP_RECOVERY_DELAY": "24h"}})
	manager, _ := h.User(t, users.Manager)
	cxAPI := h.API(t, users.CX)
	seedCampaign(t, h)
	bad, badEmail := unhappy(t, h, "still-bad", "The repair failed again.", 2, 1)
	good, goodEmail := unhappy(t, h, "now-good", "The repair failed.", 2, 1)
	const summary = "We refunded the 40.00 repair fee to your card today and a technician replaced the part."
	for _, id := range []int64{bad, good} {
		status, body := postJSON(t, cxAPI, fmt.Sprintf("%s/api/v1/complaints/%d/resolve", h.URL, id), map[string]string{"summary": summary})
		if status != http.StatusOK {
			t.Fatalf("resolve %d: %d %v", id, status, body)
		}
	}
	if res := h.WaitMail(t, badEmail, "here is what we did"); !strings.Contains(res.Text(), summary) {
		t.Errorf("resolution email: %s", res.Text())
	}

	clk.Advance(25 * time.Hour)
	answer := func(email string, overall, agree int) {
		t.Helper()
		link := surveyLinkIn(t, h.WaitMail(t, email, "did we really put things right"))
		f := url.Values{"recovery_overall": {fmt.Sprint(overall)}, "comment": {"as it is"}}
		for _, k := range []string{"resolved", "fair_outcome", "handled_well", "treated_well"} {
			f.Set(k, fmt.Sprint(agree))
		}
		if resp, page := postForm(t, link, f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("recovery answer: %d %.300s", resp.StatusCode, page)
		}
	}
	answer(badEmail, 2, 1)
	answer(goodEmail, 9, 5)

	if c := complaintOf(t, h, bad); c.State == "resolved" || c.Priority != 1 || !c.DoubleDeviation || c.Reason != "recovery_negative" ||
		c.Recovery != "negative" || c.Reopened != 1 {
		t.Errorf("after a negative recovery: %+v", c)
	}
	if c := complaintOf(t, h, good); c.State != "resolved" || c.DoubleDeviation || c.Recovery != "positive" || c.Reopened != 0 {
		t.Errorf("after a positive recovery: %+v", c)
	}
	if n := count(t, h, "complaints"); n != 2 {
		t.Errorf("%d complaints; the recovery replies must open none", n)
	}
	if dd := h.WaitMail(t, manager.Email, "Double deviation"); !strings.Contains(dd.Text(), "recovery survey came back negative") {
		t.Errorf("manager alert: %s", dd.Text())
	}
	eventually(t, "a second acknowledgement to the unhappy customer", func() bool {
		return countOf(t, h, `SELECT count(*) FROM complaint_messages WHERE complaint_id = $1 AND kind = 'acknowledgement' AND state = 'sent'`, bad) == 2
	})
	if again := h.WaitMail(t, badEmail, "We are taking up your request"); !strings.Contains(again.Text(), "has not settled things") {
		t.Errorf("second acknowledgement:\n%s", again.Text())
	}
}
