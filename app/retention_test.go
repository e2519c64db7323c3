package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/followup/followup/app"
	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/reportfix"
)

// TestRetentionIsAPeriodicJob: with FOLLOWUP_RETENTION_MONTHS=12, the
// leading scheduler's periodic jobs replace the comment of a reply once it
// is older than a year on the fake clock (not before), and count it in
// followup_retention_purged_total; without the setting no such job runs.
func TestRetentionIsAPeriodicJob(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	clk := clock.NewFake(start)
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true, Worker: true}, Clock: clk,
		Env: map[string]string{"FOLLOWUP_RETENTION_MONTHS": "12"}})
	ctx := context.Background()
	fx := reportfix.New(t, h.Schema.DB)
	id := fx.Reply(reportfix.Reply{At: start.Add(-time.Hour), Overall: reportfix.Score(30), Negative: true})
	if _, err := h.Schema.DB.Exec(`UPDATE responses SET comment = 'Call me on 06 12 34 56 78' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	comment := func() string {
		var c string
		if err := h.Schema.DB.Get(&c, `SELECT comment FROM responses WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return c
	}
	first := h.App.Runner()
	first.Tick(ctx) // a leader's periodic jobs, today: the reply is recent
	if c := comment(); c != "Call me on 06 12 34 56 78" {
		t.Fatalf("a recent comment was purged: %q", c)
	}
	// The leader stops (Run returns at once on a cancelled context and
	// releases leadership); a year and a day later a new one leads.
	stopped, cancel := context.WithCancel(ctx)
	cancel()
	if err := first.Run(stopped); err != nil {
		t.Fatal(err)
	}
	clk.Set(start.AddDate(1, 0, 1))
	h.App.Runner().Tick(ctx)
	if c := comment(); c != "[erased]" {
		t.Errorf("a comment a year and a day old: %q", c)
	}
	if n := testutil.ToFloat64(h.App.Metrics.RetentionPurged.WithLabelValues("responses")); n != 1 {
		t.Errorf("followup_retention_purged_total{kind=responses} = %v, want 1", n)
	}

	off := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}, Clock: clock.NewFake(start.AddDate(5, 0, 0))})
	fx = reportfix.New(t, off.Schema.DB)
	id = fx.Reply(reportfix.Reply{At: start, Overall: reportfix.Score(30)})
	if _, err := off.Schema.DB.Exec(`UPDATE responses SET comment = 'kept forever' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	off.App.Runner().Tick(ctx)
	var c string
	if err := off.Schema.DB.Get(&c, `SELECT comment FROM responses WHERE id = $1`, id); err != nil || c != "kept forever" {
		t.Errorf("without a retention setting, a five-year-old comment: %q %v", c, err)
	}
}
