package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
)

// scrape reads url with c and parses the Prometheus text format.
func scrape(t *testing.T, c *http.Client, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", url, resp.StatusCode)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("%s is not the Prometheus text format: %v", url, err)
	}
	return families
}

func statusOf(t *testing.T, c *http.Client, url string) int {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// gauge is the value of a gauge family's series with label=value.
func gauge(f *dto.MetricFamily, label, value string) (float64, bool) {
	for _, m := range f.GetMetric() {
		for _, l := range m.Label {
			if l.GetName() == label && l.GetValue() == value {
				return m.GetGauge().GetValue(), true
			}
		}
	}
	return 0, false
}

// TestWorkerWithoutHTTPServesItsMetrics runs a worker alone, as a large
// deployment does, with FOLLOWUP_METRICS_ADDR set: the email it sends shows
// on its own /metrics, behind the same tokens as the main server's.
func TestWorkerWithoutHTTPServesItsMetrics(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{Worker: true},
		Env: map[string]string{"FOLLOWUP_METRICS_ADDR": "127.0.0.1:0"}})
	if h.MetricsURL == "" {
		t.Fatal("no metrics listener")
	}
	ctx := context.Background()
	metrics := h.MetricsURL + "/metrics"
	manager := h.API(t, users.Manager)

	if got := statusOf(t, http.DefaultClient, metrics); got != http.StatusUnauthorized {
		t.Fatalf("/metrics without a token: %d, want 401", got)
	}
	if got := statusOf(t, h.API(t, users.Marketing), metrics); got != http.StatusForbidden {
		t.Fatalf("/metrics as marketing: %d, want 403", got)
	}
	before := total(scrape(t, manager, metrics)["followup_emails_sent_total"], "kind", "invitation")
	if before != 0 {
		t.Fatalf("emails sent before anything was sent: %v", before)
	}

	sv, _ := h.App.Surveys.EnsureDefault(ctx)
	if _, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{Name: "w", SurveyID: sv.ID, State: scheduler.StateActive,
		EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen()}); err != nil {
		t.Fatal(err)
	}
	record(t, h, "w1", "w1", "w1@x.test", "delivery", "en", time.Now().Add(-time.Minute))
	// No scheduler runs in this process (nor anywhere): do what its sweep does.
	batch, n, err := h.App.Scheduler.ClaimDue(ctx, time.Now(), 10)
	if err != nil || n != 1 {
		t.Fatalf("claim due: %d %v", n, err)
	}
	if err := h.App.Queue.EnqueueSendBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	mailTo(t, waitMail(t, h, 1), "w1@x.test")

	// The counter moves after the invitation is marked sent, just after the
	// SMTP transaction; the task's duration is recorded when its handler
	// returns, a little later: wait for both.
	var families map[string]*dto.MetricFamily
	timed := func() bool {
		for _, m := range families["followup_task_duration_seconds"].GetMetric() {
			for _, l := range m.Label {
				if l.GetName() == "type" && l.GetValue() == "survey:send" && m.GetHistogram().GetSampleCount() == 1 {
					return true
				}
			}
		}
		return false
	}
	eventually(t, "the sent email counted and the survey:send task timed on the worker's /metrics", func() bool {
		families = scrape(t, manager, metrics)
		return total(families["followup_emails_sent_total"], "kind", "invitation") == 1 && timed()
	})
	if up, ok := gauge(families["followup_queue_up"], "queue", h.App.Queue.Queues().Default()); !ok || up != 1 {
		t.Errorf("asynq queue metrics of %s: up=%v present=%v", h.App.Queue.Queues().Default(), up, ok)
	}

	resp, err := http.Get(h.MetricsURL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var ready map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&ready); err != nil || resp.StatusCode != http.StatusOK ||
		ready["postgres"] != "ok" || ready["redis"] != "ok" {
		t.Errorf("/readyz on the metrics listener: %d %v %v", resp.StatusCode, ready, err)
	}
	// The listener's own requests are counted by route, as serve's are:
	// the probe above, under its pattern.
	families = scrape(t, manager, metrics)
	probed := false
	for _, m := range families["followup_http_requests_total"].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		if labels["route"] == "/readyz" && labels["method"] == "GET" && labels["status"] == "200" && m.GetCounter().GetValue() == 1 {
			probed = true
		}
	}
	if !probed {
		t.Errorf("the metrics listener's /readyz request is not counted under route /readyz: %v", families["followup_http_requests_total"])
	}
}
