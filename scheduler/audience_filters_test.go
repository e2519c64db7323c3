package scheduler_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/scheduler"
)

// who is a customer and their service event, as the API receives them.
type who struct {
	kind, touchpoint, channel, segment, locale string
	// optedOut: the customer opted out before the event came in.
	optedOut bool
	// daysAgo dates the event before the audience run (audience triggers).
	daysAgo int
}

// record stores the event of w for a new customer ref, validated as the API
// does (locale fr-CA becomes fr), and returns the customer and how many
// invitations the event scheduled.
func (f *fixture) record(t *testing.T, ref string, w who, at time.Time) (int64, int) {
	t.Helper()
	ctx := context.Background()
	kind := w.kind
	if kind == "" {
		kind = "delivery"
	}
	cust := customers.CustomerInput{ExternalRef: ref, Email: ref + "@example.test", Segment: w.segment, Locale: w.locale}
	if w.optedOut {
		acc, err := f.intake.Record(ctx, customers.EventInput{ExternalID: ref + "-signup", Kind: "signup", OccurredAt: at.Add(-time.Hour), Customer: cust})
		if err != nil {
			t.Fatal(err)
		}
		if err := customers.NewStore(f.schema.DB).OptOut(ctx, acc.CustomerID, at.Add(-time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	ev := customers.EventInput{ExternalID: ref, Kind: kind, OccurredAt: at.AddDate(0, 0, -w.daysAgo), Touchpoint: w.touchpoint,
		Channel: w.channel, Customer: cust}
	if fe := ev.Validate(at); fe != nil {
		t.Fatalf("event %s: %v", ref, fe)
	}
	acc, err := f.intake.Record(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	return acc.CustomerID, acc.Invitations
}

// invitationsOf returns the states of the campaign's invitations to a customer.
func (f *fixture) invitationsOf(t *testing.T, campaignID, customerID int64) []string {
	t.Helper()
	var states []string
	if err := f.schema.DB.Select(&states, `SELECT state FROM invitations WHERE campaign_id = $1 AND customer_id = $2`, campaignID, customerID); err != nil {
		t.Fatal(err)
	}
	return states
}

// TestEventCampaignAudience: an event campaign invites the customer of an
// event that passes every filter of its audience, and nobody else; opted-out
// customers never.
func TestEventCampaignAudience(t *testing.T) {
	t.Parallel()
	all := scheduler.Audience{Touchpoints: []string{"store"}, Channels: []string{"phone"}, Segments: []string{"vip"}, Locales: []string{"fr"}}
	everything := who{touchpoint: "store", channel: "phone", segment: "vip", locale: "fr"}
	cases := []struct {
		name     string
		kinds    []string
		audience scheduler.Audience
		match    who
		miss     who
	}{
		{"event kind", []string{"delivery", "pickup"}, scheduler.Audience{}, who{kind: "pickup"}, who{kind: "return"}},
		{"touchpoint", nil, scheduler.Audience{Touchpoints: []string{"store", "kiosk"}}, who{touchpoint: "kiosk"}, who{touchpoint: "web"}},
		{"touchpoint missing from the event", nil, scheduler.Audience{Touchpoints: []string{"store"}}, who{touchpoint: "store"}, who{}},
		{"channel", nil, scheduler.Audience{Channels: []string{"phone", "chat"}}, who{channel: "phone"}, who{channel: "email"}},
		{"channel missing from the event", nil, scheduler.Audience{Channels: []string{"phone"}}, who{channel: "phone"}, who{touchpoint: "phone"}},
		{"customer segment", nil, scheduler.Audience{Segments: []string{"vip"}}, who{segment: "vip"}, who{segment: "standard"}},
		{"customer locale", nil, scheduler.Audience{Locales: []string{"fr"}}, who{locale: "fr-CA"}, who{locale: "en"}},
		{"labels in any case", nil, scheduler.Audience{Touchpoints: []string{"Store Montréal"}, Channels: []string{"phone"}, Segments: []string{" VIP "}},
			who{touchpoint: "store montréal", channel: "Phone", segment: "vip"}, who{touchpoint: "Store Québec", channel: "Phone", segment: "VIP"}},
		{"every filter must pass", nil, all, everything, who{touchpoint: "store", channel: "email", segment: "vip", locale: "fr"}},
		{"opted out, no filter", nil, scheduler.Audience{}, who{}, who{optedOut: true}},
		{"opted out, every filter passing", nil, all, everything, who{touchpoint: "store", channel: "phone", segment: "vip", locale: "fr", optedOut: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			now := time.Now()
			kinds := tc.kinds
			if kinds == nil {
				kinds = []string{"delivery"}
			}
			c, err := f.store.CreateEventCampaign(context.Background(), scheduler.Campaign{Name: "after " + tc.name, SurveyID: f.survey.ID,
				State: scheduler.StateActive, EventKinds: kinds, Delay: time.Hour, Audience: tc.audience, Window: scheduler.AlwaysOpen()})
			if err != nil {
				t.Fatal(err)
			}
			in, n := f.record(t, "match", tc.match, now)
			if states := f.invitationsOf(t, c.ID, in); n != 1 || fmt.Sprint(states) != "[scheduled]" {
				t.Errorf("event %+v: %d scheduled, invitations %v; want one, scheduled", tc.match, n, states)
			}
			out, n := f.record(t, "miss", tc.miss, now)
			if states := f.invitationsOf(t, c.ID, out); n != 0 || len(states) != 0 {
				t.Errorf("event %+v: %d scheduled, invitations %v; want none", tc.miss, n, states)
			}
		})
	}
}

// TestAudienceCampaignEventFilters: a one-off or recurring campaign that
// filters on events invites the customers with such an event in its
// look-back period — kind, touchpoint and channel on the same event — and
// never those who opted out.
func TestAudienceCampaignEventFilters(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		trigger  scheduler.Trigger
		audience scheduler.Audience
		match    []who
		miss     []who
	}{
		{"event kind", scheduler.TriggerOnce, scheduler.Audience{EventKinds: []string{"repair_done", "install"}},
			[]who{{kind: "install", daysAgo: 3}}, []who{{kind: "delivery", daysAgo: 3}}},
		{"event kind, recurring", scheduler.TriggerRecurring, scheduler.Audience{EventKinds: []string{"repair_done"}},
			[]who{{kind: "repair_done", daysAgo: 3}}, []who{{kind: "delivery", daysAgo: 3}}},
		{"event kind within the look-back period", scheduler.TriggerOnce, scheduler.Audience{EventKinds: []string{"repair_done"}, SinceDays: 30},
			[]who{{kind: "repair_done", daysAgo: 29}}, []who{{kind: "repair_done", daysAgo: 31}}},
		{"channel", scheduler.TriggerOnce, scheduler.Audience{Channels: []string{"phone"}},
			[]who{{channel: "phone", daysAgo: 3}}, []who{{channel: "email", daysAgo: 3}, {touchpoint: "phone", daysAgo: 3}}},
		{"labels in any case", scheduler.TriggerOnce, scheduler.Audience{Channels: []string{"Phone"}, Segments: []string{"vip"}},
			[]who{{channel: "PHONE", segment: "VIP", daysAgo: 3}}, []who{{channel: "email", segment: "VIP", daysAgo: 3}}},
		{"channel, recurring", scheduler.TriggerRecurring, scheduler.Audience{Channels: []string{"chat"}},
			[]who{{channel: "chat", daysAgo: 3}}, []who{{channel: "phone", daysAgo: 3}}},
		{"kind and channel on the same event", scheduler.TriggerOnce, scheduler.Audience{EventKinds: []string{"repair_done"}, Channels: []string{"phone"}},
			[]who{{kind: "repair_done", channel: "phone", daysAgo: 3}},
			[]who{{kind: "repair_done", channel: "email", daysAgo: 3}, {kind: "delivery", channel: "phone", daysAgo: 3}}},
		{"opted out", scheduler.TriggerRecurring, scheduler.Audience{EventKinds: []string{"repair_done"}, Channels: []string{"phone"}},
			[]who{{kind: "repair_done", channel: "phone", daysAgo: 3}}, []who{{kind: "repair_done", channel: "phone", daysAgo: 3, optedOut: true}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t)
			ctx := context.Background()
			now := time.Date(2026, 11, 18, 8, 0, 0, 0, time.UTC)
			runAt := now.Add(2 * time.Hour)
			c, err := f.store.Create(ctx, scheduler.Campaign{Name: tc.name, SurveyID: f.survey.ID, State: scheduler.StateActive,
				Trigger: tc.trigger, RunAt: &runAt, Cron: "0 10 * * *", ScheduleTimeZone: "UTC", Window: scheduler.AlwaysOpen(),
				Audience: tc.audience}, now)
			if err != nil {
				t.Fatal(err)
			}
			if c.NextRunAt == nil || !c.NextRunAt.Equal(runAt) {
				t.Fatalf("next run %v, want %v", c.NextRunAt, runAt)
			}
			invited := map[int64]bool{}
			for i, w := range tc.match {
				id, _ := f.record(t, fmt.Sprintf("match%d", i), w, runAt)
				invited[id] = true
			}
			for i, w := range tc.miss {
				id, _ := f.record(t, fmt.Sprintf("miss%d", i), w, runAt)
				invited[id] = false
			}
			runs, err := f.store.RunAudiences(ctx, runAt.Add(time.Minute))
			if err != nil || len(runs) != 1 || runs[0].Scheduled != len(tc.match) {
				t.Fatalf("runs %+v %v, want one inviting %d", runs, err, len(tc.match))
			}
			for id, want := range invited {
				states := f.invitationsOf(t, c.ID, id)
				if want && fmt.Sprint(states) != "[scheduled]" || !want && len(states) != 0 {
					t.Errorf("customer %d: invitations %v, want invited %v", id, states, want)
				}
			}
		})
	}
}
