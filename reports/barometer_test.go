package reports_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/config"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/reports"
)

// TestBarometerAlertsOncePerBreachAndClears walks one indicator out of its
// range, back in, and out again: two breaches, two alerts, one clearing.
func TestBarometerAlertsOncePerBreachAndClears(t *testing.T) {
	t.Parallel()
	db := testenv.NewSchema(t).DB
	fx := reportfix.New(t, db)
	alerts := feedback.NewStore(db)
	b := &reports.Barometer{Store: reports.NewStore(db), Alerts: alerts, Window: 7 * 24 * time.Hour, MinSample: 2, Locale: "en",
		Thresholds: []reports.Threshold{{Indicator: "satisfaction", Op: ">=", Value: 70}, {Indicator: "negative_rate", Op: "<=", Value: 50}}}
	ctx := context.Background()
	now := at("2026-05-10T12:00:00Z")
	check := func() reports.CheckResult {
		t.Helper()
		res, err := b.Check(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	reply := func(overall float64, negative bool) {
		fx.Reply(reportfix.Reply{At: now.Add(-time.Hour), Overall: s(overall), Negative: negative})
	}

	// One reply: under the minimum sample, nothing can breach.
	reply(20, true)
	if res := check(); len(res.Opened) != 0 || res.Readings[0].Status != "unknown" {
		t.Fatalf("one reply: %+v", res)
	}
	// A second: satisfaction 25 < 70 and negative rate 100 % > 50 %.
	reply(30, true)
	res := check()
	if len(res.Opened) != 2 || len(res.AlertIDs) != 2 || res.Readings[0].Status != "breach" || *res.Readings[0].Value != 25 {
		t.Fatalf("breach: %+v", res)
	}
	a, err := alerts.Get(ctx, res.Opened[0].AlertID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Audience != feedback.AudienceManagers || a.Kind != "barometer_breach" ||
		!strings.HasPrefix(a.Text, "Barometer: Satisfaction index (overall) at 25/100, under its threshold of 70/100") {
		t.Errorf("alert: %+v", a)
	}
	// Still out of range: no second alert.
	if res := check(); len(res.Opened)+len(res.Cleared)+len(res.AlertIDs) != 0 {
		t.Fatalf("second check: %+v", res)
	}
	// Back in range: (20 + 30 + 3 × 100) / 5 = 70; 2 negative of 5 = 40 %.
	reply(100, false)
	reply(100, false)
	reply(100, false)
	res = check()
	if len(res.Cleared) != 2 || len(res.AlertIDs) != 0 || res.Cleared[0].ClearedReason != "in_range" {
		t.Fatalf("cleared: %+v", res)
	}
	// Out again: a new breach, a new alert.
	for range 5 {
		reply(0, true)
	}
	res = check()
	if len(res.Opened) != 2 || res.Opened[0].AlertID == a.ID {
		t.Fatalf("second breach: %+v", res)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM alerts WHERE kind = 'barometer_breach'`); err != nil || n != 4 {
		t.Errorf("%d alerts (%v), want 4: two breaches of two indicators", n, err)
	}
	// An indicator no longer watched has its breach closed.
	b.Thresholds = b.Thresholds[:1]
	res = check()
	if len(res.Cleared) != 1 || res.Cleared[0].Indicator != "negative_rate" || res.Cleared[0].ClearedReason != "unwatched" {
		t.Fatalf("unwatched: %+v", res)
	}
	hist, err := b.Store.Breaches(ctx, now.Add(-time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	open := 0
	for _, h := range hist {
		if h.ClearedAt == nil {
			open++
		}
	}
	if len(hist) != 4 || open != 1 {
		t.Errorf("history: %d breaches, %d open; want 4, 1 (satisfaction's second)", len(hist), open)
	}
}

func TestIndicatorMeasures(t *testing.T) {
	t.Parallel()
	db := testenv.NewSchema(t).DB
	fx := reportfix.New(t, db)
	store := reports.NewStore(db)
	now := at("2026-05-10T12:00:00Z")
	day := 24 * time.Hour
	fx.User("agent1@x.test", "Agent 1", "cx")
	fx.User("agent2@x.test", "Agent 2", "cx")
	fx.Sent(reportfix.Send{At: now.Add(-2 * day)})
	fx.Sent(reportfix.Send{At: now.Add(-8 * day)}) // out of the window
	r1 := fx.Reply(reportfix.Reply{At: now.Add(-day), Distributive: s(40), Procedural: s(50), Interactional: s(60), Overall: s(30), Negative: true})
	r2 := fx.Reply(reportfix.Reply{At: now.Add(-day), Distributive: s(80), Procedural: s(70), Interactional: s(100), Overall: s(90)})
	r3 := fx.Reply(reportfix.Reply{At: now.Add(-10 * day), Overall: s(10), Negative: true})
	// Acknowledged on time; late; not yet and not due; resolved 3 in 7 days.
	k1 := fx.Complaint(reportfix.Complaint{Response: r1, OpenedAt: now.Add(-day), DueAt: now.Add(-day + 4*time.Hour),
		AcknowledgedAt: ptr(now.Add(-day + time.Hour)), ResolvedAt: ptr(now.Add(-2 * time.Hour))})
	fx.Complaint(reportfix.Complaint{Response: r2, OpenedAt: now.Add(-day), DueAt: now.Add(-day + 4*time.Hour),
		AcknowledgedAt: ptr(now.Add(-day + 5*time.Hour)), ResolvedAt: ptr(now.Add(-time.Hour))})
	fx.Complaint(reportfix.Complaint{Response: r3, OpenedAt: now.Add(-10 * day), DueAt: now.Add(-9 * day), ResolvedAt: ptr(now.Add(-3 * time.Hour)),
		DoubleDev: "promise_missed", BreachedAt: ptr(now.Add(-9 * day))})
	r4 := fx.Reply(reportfix.Reply{At: now.Add(-day), Overall: s(50)})
	fx.Complaint(reportfix.Complaint{Response: r4, OpenedAt: now.Add(-time.Hour), DueAt: now.Add(time.Hour)})
	// A mild case its survey spares the acknowledgement owes none.
	r5 := fx.Reply(reportfix.Reply{At: now.Add(-day), Overall: s(55)})
	fx.Complaint(reportfix.Complaint{Response: r5, Priority: 4, OpenedAt: now.Add(-day), DueAt: now.Add(-time.Hour), ResolvedAt: ptr(now.Add(-2 * time.Hour)), Spared: true})
	// Recovery follow-ups: k1 came back positive in the window.
	fx.Reply(reportfix.Reply{At: now.Add(-time.Hour), RecoveryOf: k1, Overall: s(90)})
	if _, err := db.Exec(`UPDATE complaints SET recovery_outcome = 'positive' WHERE id = $1`, k1); err != nil {
		t.Fatal(err)
	}
	m, err := store.Measures(context.Background(), now, 7*day, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]*float64{
		"acknowledged_on_time":       ptr(50.0),  // 1 of the 2 settled (the third is neither acknowledged nor due, the fourth spared)
		"handled_per_agent_day":      ptr(0.29),  // 4 resolved / 2 agents / 7 days
		"satisfaction":               ptr(56.25), // (30 + 90 + 50 + 55) / 4
		"satisfaction_distributive":  ptr(60.0),  //
		"satisfaction_procedural":    ptr(60.0),  //
		"satisfaction_interactional": ptr(80.0),  //
		"recovery_rate":              ptr(100.0), //
		"response_rate":              ptr(80.0),  // 4 of the 5 sent in the window answered
		"negative_rate":              ptr(25.0),  // 1 of 4
		"overdue_complaints":         ptr(0.0),   //
		"double_deviations":          ptr(0.0),   // the missed deadline was 9 days ago
	}
	for name, w := range want {
		got := m[name]
		if (got.Value == nil) != (w == nil) || (w != nil && *got.Value != *w) {
			t.Errorf("%s: %v (sample %d), want %v", name, deref(got.Value), got.Sample, deref(w))
		}
	}
	if len(m) != len(reports.Indicators) {
		t.Errorf("%d measures for %d indicators", len(m), len(reports.Indicators))
	}
	// The minimum sample hides rates resting on too little.
	m, err = store.Measures(context.Background(), now, 7*day, 5)
	if err != nil {
		t.Fatal(err)
	}
	if m["satisfaction"].Value != nil || m["response_rate"].Value == nil || m["overdue_complaints"].Value == nil {
		t.Errorf("with a minimum of 5: satisfaction %v, response rate %v", deref(m["satisfaction"].Value), deref(m["response_rate"].Value))
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestConfigNamesEveryIndicator keeps FOLLOWUP_BAROMETER's vocabulary and
// the indicators computed here the same.
func TestConfigNamesEveryIndicator(t *testing.T) {
	var names []string
	for _, in := range reports.Indicators {
		names = append(names, in.Name)
	}
	if strings.Join(names, ",") != strings.Join(config.BarometerIndicators, ",") {
		t.Errorf("reports computes %v, the configuration accepts %v", names, config.BarometerIndicators)
	}
	for _, in := range reports.Indicators {
		if in.Label["en"] == "" || in.Label["fr"] == "" || in.Unit == "" {
			t.Errorf("%s: label or unit missing", in.Name)
		}
	}
	if err := reports.ValidateThresholds([]reports.Threshold{{Indicator: "satisfaction", Op: ">", Value: 1}}); err == nil {
		t.Error("the comparison > must be refused")
	}
}

// TestBarometerNeverBreachesOnEmptySample checks a barometer over a window
// with nothing in it (no reply, no complaint, agents on duty): whatever the
// minimum sample, no indicator breaches and no alert is raised.
func TestBarometerNeverBreachesOnEmptySample(t *testing.T) {
	t.Parallel()
	for _, minSample := range []int{0, 1, 10} {
		t.Run(fmt.Sprintf("min sample %d", minSample), func(t *testing.T) {
			t.Parallel()
			db := testenv.NewSchema(t).DB
			fx := reportfix.New(t, db)
			fx.User("agent1@x.test", "Agent 1", "cx")
			fx.User("agent2@x.test", "Agent 2", "cx")
			ctx := context.Background()
			now := at("2026-05-10T12:00:00Z")
			var all []reports.Threshold
			for _, in := range reports.Indicators {
				// At least 1 on every one: a count of 0 would be out of range.
				all = append(all, reports.Threshold{Indicator: in.Name, Op: ">=", Value: 1})
			}
			for len(all) > 0 {
				n := min(reports.MaxIndicators, len(all))
				b := &reports.Barometer{Store: reports.NewStore(db), Alerts: feedback.NewStore(db), Window: 7 * 24 * time.Hour,
					MinSample: minSample, Locale: "en", Thresholds: all[:n]}
				all = all[n:]
				res, err := b.Check(ctx, now)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Opened) != 0 || len(res.AlertIDs) != 0 {
					t.Errorf("breaches on an empty sample: %+v", res.Opened)
				}
				for _, r := range res.Readings {
					if r.Status != "unknown" || r.Sample != 0 {
						t.Errorf("%s: %s (value %v, sample %d), want unknown on an empty sample", r.Indicator.Name, r.Status, deref(r.Value), r.Sample)
					}
				}
			}
			// Once there is something to handle and nothing is handled, the
			// same barometer breaches.
			r := fx.Reply(reportfix.Reply{At: now.Add(-time.Hour), Overall: s(20), Negative: true})
			fx.Complaint(reportfix.Complaint{Response: r, OpenedAt: now.Add(-time.Hour), DueAt: now.Add(time.Hour)})
			b := &reports.Barometer{Store: reports.NewStore(db), Alerts: feedback.NewStore(db), Window: 7 * 24 * time.Hour,
				MinSample: min(minSample, 1), Locale: "en", Thresholds: []reports.Threshold{{Indicator: "handled_per_agent_day", Op: ">=", Value: 2}}}
			res, err := b.Check(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Opened) != 1 || res.Readings[0].Sample != 1 || *res.Readings[0].Value != 0 {
				t.Errorf("one complaint open, none handled: %+v", res.Readings)
			}
		})
	}
}
