package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/scheduler"
)

func (f *fixture) customer(t *testing.T, ref, segment, locale, kind, touchpoint string, occurred time.Time) {
	t.Helper()
	if _, err := f.intake.Record(context.Background(), customers.EventInput{ExternalID: "ev-" + ref, Kind: kind, Touchpoint: touchpoint,
		OccurredAt: occurred, Customer: customers.CustomerInput{ExternalRef: ref, Email: ref + "@x.test", Segment: segment, Locale: locale}}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) invited(t *testing.T, campaignID int64) map[string]int {
	t.Helper()
	rows, err := f.schema.DB.Query(`SELECT c.external_ref, count(*) FROM invitations i JOIN customers c ON c.id = i.customer_id
		WHERE i.campaign_id = $1 GROUP BY 1`, campaignID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var ref string
		var n int
		if err := rows.Scan(&ref, &n); err != nil {
			t.Fatal(err)
		}
		out[ref] = n
	}
	return out
}

func TestAudienceCampaigns(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 18, 8, 0, 0, 0, time.UTC)
	clk := clock.NewFake(now)
	f.customer(t, "vip-fr-store", "vip", "fr", "visit", "store", now.AddDate(0, 0, -10))
	f.customer(t, "vip-fr-web", "vip", "fr", "visit", "web", now.AddDate(0, 0, -10))
	f.customer(t, "vip-en-store", "vip", "en", "visit", "store", now.AddDate(0, 0, -10))
	f.customer(t, "std-fr-store", "standard", "fr", "visit", "store", now.AddDate(0, 0, -10))
	f.customer(t, "vip-fr-old", "vip", "fr", "visit", "store", now.AddDate(0, 0, -200))
	f.customer(t, "vip-fr-optout", "vip", "fr", "visit", "store", now.AddDate(0, 0, -1))
	if _, err := f.schema.DB.Exec(`UPDATE customers SET opted_out_at = now() WHERE external_ref = 'vip-fr-optout'`); err != nil {
		t.Fatal(err)
	}

	runAt := now.Add(2 * time.Hour)
	once, err := f.store.Create(ctx, scheduler.Campaign{Name: "VIP relationship", SurveyID: f.survey.ID, State: scheduler.StateActive,
		Trigger: scheduler.TriggerOnce, RunAt: &runAt, ScheduleTimeZone: "Europe/Paris", Window: scheduler.AlwaysOpen(),
		Audience: scheduler.Audience{Segments: []string{"vip"}, Locales: []string{"fr"}, Touchpoints: []string{"store"}, SinceDays: 90}}, now)
	if err != nil {
		t.Fatal(err)
	}
	weekly, err := f.store.Create(ctx, scheduler.Campaign{Name: "Weekly pulse", SurveyID: f.survey.ID, State: scheduler.StateActive,
		Trigger: scheduler.TriggerRecurring, Cron: "0 10 * * MON", ScheduleTimeZone: "Europe/Paris", Window: scheduler.AlwaysOpen(),
		Audience: scheduler.Audience{Segments: []string{"standard"}}, FrequencyCapDays: 0}, now)
	if err != nil {
		t.Fatal(err)
	}

	if runs, _ := f.store.RunAudiences(ctx, clk.Now()); len(runs) != 0 {
		t.Fatalf("nothing is due yet, ran %v", runs)
	}
	clk.Set(runAt.Add(time.Minute))
	runs, err := f.store.RunAudiences(ctx, clk.Now())
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %v %v", runs, err)
	}
	got := f.invited(t, once.ID)
	if len(got) != 1 || got["vip-fr-store"] != 1 {
		t.Errorf("one-off audience %v: only the French VIP with a store visit in 90 days, never the opted-out", got)
	}
	// Running again invites no one twice; the one-off has no next run.
	if _, err := f.store.RunAudiences(ctx, clk.Now()); err != nil {
		t.Fatal(err)
	}
	c, _ := f.store.Get(ctx, once.ID)
	if len(f.invited(t, once.ID)) != 1 || c.NextRunAt != nil || c.LastRunAt == nil {
		t.Errorf("after its run: next %v last %v", c.NextRunAt, c.LastRunAt)
	}

	// The weekly pulse: Monday 10:00 Paris, twice; missed weeks collapse.
	clk.Set(time.Date(2026, 11, 23, 9, 1, 0, 0, time.UTC)) // Monday 10:01 CET
	if _, err := f.store.RunAudiences(ctx, clk.Now()); err != nil {
		t.Fatal(err)
	}
	clk.Set(time.Date(2026, 12, 14, 9, 30, 0, 0, time.UTC)) // three weeks later
	runs, _ = f.store.RunAudiences(ctx, clk.Now())
	if len(runs) != 1 {
		t.Errorf("missed occurrences should collapse into one run, got %d", len(runs))
	}
	if got := f.invited(t, weekly.ID); got["std-fr-store"] != 2 || len(got) != 1 {
		t.Errorf("weekly audience %v: the standard customer, once per run", got)
	}
	c, _ = f.store.Get(ctx, weekly.ID)
	if c.NextRunAt == nil || c.NextRunAt.UTC().Format(time.RFC3339) != "2026-12-21T09:00:00Z" {
		t.Errorf("next weekly run %v, want Monday 2026-12-21 10:00 Paris", c.NextRunAt)
	}
}
