package app_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
)

func TestMetricsAreServedInPrometheusFormat(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{})
	ctx := context.Background()
	sv, _ := h.App.Surveys.EnsureDefault(ctx)
	if _, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{Name: "m", SurveyID: sv.ID, State: scheduler.StateActive,
		EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen()}); err != nil {
		t.Fatal(err)
	}
	record(t, h, "m1", "m1", "m1@x.test", "delivery", "en", time.Now().Add(-time.Minute))
	waitMail(t, h, 1)
	time.Sleep(200 * time.Millisecond) // the counters are bumped after marking sent

	if resp, _ := http.Get(h.URL + "/metrics"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/metrics without a token: %d, want 401", resp.StatusCode)
	}
	resp, err := h.API(t, users.Manager).Get(h.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("not the Prometheus text format: %v", err)
	}
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
	for _, name := range []string{"followup_task_duration_seconds", "followup_queue_tasks", "followup_queue_up", "go_goroutines"} {
		if families[name] == nil {
			t.Errorf("%s missing", name)
		}
	}
	dur := families["followup_task_duration_seconds"]
	found := false
	for _, m := range dur.GetMetric() {
		for _, l := range m.Label {
			found = found || (l.GetName() == "type" && l.GetValue() == "survey:send" && m.Histogram.GetSampleCount() >= 1)
		}
	}
	if !found {
		t.Error("no duration recorded for survey:send tasks")
	}
}
