package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
)

// total sums a counter family's series, those with label=value when label
// is set.
func total(f *dto.MetricFamily, label, value string) float64 {
	var sum float64
	for _, m := range f.GetMetric() {
		ok := label == ""
		for _, l := range m.Label {
			ok = ok || (l.GetName() == label && l.GetValue() == value)
		}
		if ok {
			sum += m.GetCounter().GetValue()
		}
	}
	return sum
}

func TestMetricsAreServedInPrometheusFormat(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{})
	ctx := context.Background()
	sv, _ := h.App.Surveys.EnsureDefault(ctx)
	if _, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{Name: "m", SurveyID: sv.ID, State: scheduler.StateActive,
		EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen()}); err != nil {
		t.Fatal(err)
	}
	cx, _ := h.User(t, users.CX)
	record(t, h, "m1", "m1", "m1@x.test", "delivery", "en", time.Now().Add(-time.Minute))
	link := surveyLinkIn(t, mailTo(t, waitMail(t, h, 1), "m1@x.test"))
	if resp, page := postForm(t, link, answers(1, 1, "Awful, and nobody answers.")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer: %d %.200s", resp.StatusCode, page)
	}
	h.WaitMail(t, cx.Email, "complaint #") // the alert was delivered

	if resp, _ := http.Get(h.URL + "/metrics"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/metrics without a token: %d, want 401", resp.StatusCode)
	}
	manager := h.API(t, users.Manager)
	scrape := func() map[string]*dto.MetricFamily {
		t.Helper()
		resp, err := manager.Get(h.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		parser := expfmt.NewTextParser(model.UTF8Validation)
		families, err := parser.TextToMetricFamilies(resp.Body)
		if err != nil {
			t.Fatalf("not the Prometheus text format: %v", err)
		}
		return families
	}
	// Each figure is recorded after the step it counts (the email after the
	// server accepted it, a task's duration after its handler returned):
	// scrape until the last of them, the alert email's, is there.
	var families map[string]*dto.MetricFamily
	eventually(t, "the alert email and the send task's duration in /metrics", func() bool {
		families = scrape()
		return total(families["followup_alerts_total"], "channel", "email") >= 1 &&
			sendDurations(families["followup_task_duration_seconds"]) >= 1 &&
			total(families["followup_emails_sent_total"], "kind", "invitation") >= 1
	})
	sent := families["followup_emails_sent_total"]
	if sent == nil {
		t.Fatal("no followup_emails_sent_total")
	}
	var invitations float64
	for _, m := range sent.Metric {
		for _, l := range m.Label {
			if l.GetName() == "kind" && l.GetValue() == "invitation" {
				invitations = m.Counter.GetValue()
			}
		}
	}
	if invitations != 1 {
		t.Errorf("emails sent: %v, want 1", invitations)
	}
	for name, want := range map[string]float64{
		"followup_replies_total": 1, "followup_negative_replies_total": 1, "followup_complaints_opened_total": 1,
	} {
		if got := total(families[name], "", ""); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}

	// A reply sent back to be scored again (as an operator forcing a
	// re-score through the reconciler does) is not a new reply: the
	// counters still match the rows.
	var responseID int64
	if err := h.Schema.DB.GetContext(ctx, &responseID, `UPDATE responses SET scored_at = NULL RETURNING id`); err != nil {
		t.Fatal(err)
	}
	if out, err := h.App.Replies.Score(ctx, responseID); err != nil || out.AlreadyScored || out.Result == nil {
		t.Fatalf("re-score: %+v, %v", out, err)
	}
	families = scrape()
	var rows float64
	if err := h.Schema.DB.GetContext(ctx, &rows, `SELECT count(*) FROM responses`); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"followup_replies_total", "followup_negative_replies_total"} {
		if got := total(families[name], "", ""); got != rows {
			t.Errorf("after a re-score, %s = %v, want %v (the replies stored)", name, got, rows)
		}
	}
	if got := total(families["followup_alerts_total"], "channel", "email"); got != 1 {
		t.Errorf("alerts delivered by email: %v, want 1", got)
	}
	for _, name := range []string{"followup_deadline_breaches_total", "followup_task_duration_seconds", "followup_queue_tasks", "followup_queue_up", "go_goroutines"} {
		if families[name] == nil {
			t.Errorf("%s missing", name)
		}
	}
	if sendDurations(families["followup_task_duration_seconds"]) < 1 {
		t.Error("no duration recorded for survey:send tasks")
	}
	if stray, err := h.App.Metrics.Undeclared(); err != nil || len(stray) > 0 {
		t.Errorf("label values recorded that the help texts do not name: %v, %v", stray, err)
	}
}

// sendDurations is how many survey:send tasks the duration histogram
// recorded.
func sendDurations(f *dto.MetricFamily) uint64 {
	var n uint64
	for _, m := range f.GetMetric() {
		for _, l := range m.Label {
			if l.GetName() == "type" && l.GetValue() == "survey:send" {
				n += m.GetHistogram().GetSampleCount()
			}
		}
	}
	return n
}
