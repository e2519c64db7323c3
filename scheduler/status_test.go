package scheduler

import (
	"testing"
	"time"
)

func TestStatus(t *testing.T) {
	ran := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		c       Campaign
		want    string
		actions map[string]bool // what the status allows
	}{
		{"draft one-off", Campaign{State: StateDraft, Trigger: TriggerOnce}, StateDraft,
			map[string]bool{"activate": true, "archive": true}},
		{"one-off waiting for its date", Campaign{State: StateActive, Trigger: TriggerOnce}, StateActive,
			map[string]bool{"pause": true, "archive": true}},
		{"one-off that ran", Campaign{State: StateActive, Trigger: TriggerOnce, LastRunAt: &ran}, StatusCompleted,
			map[string]bool{"archive": true}},
		{"one-off paused before it ran", Campaign{State: StatePaused, Trigger: TriggerOnce}, StatePaused,
			map[string]bool{"resume": true, "archive": true}},
		{"archived one-off that ran", Campaign{State: StateArchived, Trigger: TriggerOnce, LastRunAt: &ran}, StateArchived, map[string]bool{}},
		{"recurring that ran", Campaign{State: StateActive, Trigger: TriggerRecurring, LastRunAt: &ran}, StateActive,
			map[string]bool{"pause": true, "archive": true}},
		{"event campaign", Campaign{State: StateActive, Trigger: TriggerEvent}, StateActive,
			map[string]bool{"pause": true, "archive": true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.c.Status(); got != tc.want {
				t.Fatalf("status %q, want %q", got, tc.want)
			}
			for action, tr := range transitions {
				allowed := false
				for _, f := range tr.from {
					allowed = allowed || f == tc.c.Status()
				}
				if allowed != tc.actions[action] {
					t.Errorf("%s allowed: %v, want %v", action, allowed, tc.actions[action])
				}
			}
		})
	}
}

// TestNextRunAcrossDST: a recurring campaign runs at its wall-clock time
// in its own zone, whatever the offset: the day the clocks change
// included. A time that does not exist that day (02:30 in Paris on the
// spring change) runs at the first instant after the gap; a time that
// exists twice (01:30 in New York on the autumn change) runs once.
func TestNextRunAcrossDST(t *testing.T) {
	for _, tc := range []struct {
		name, cron, zone string
		after            time.Time
		want             string // in the campaign's zone
	}{
		{"weekly, winter", "0 10 * * MON", "Europe/Paris", time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC), "Mon 2026-11-23 10:00 CET"},
		{"weekly, across spring change", "0 10 * * MON", "Europe/Paris", time.Date(2026, 3, 25, 0, 0, 0, 0, time.UTC), "Mon 2026-03-30 10:00 CEST"},
		{"daily, the day of the spring change", "0 9 * * *", "Europe/Paris", time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC), "Sun 2026-03-29 09:00 CEST"},
		{"daily, the day of the autumn change", "0 9 * * *", "Europe/Paris", time.Date(2026, 10, 24, 9, 0, 0, 0, time.UTC), "Sun 2026-10-25 09:00 CET"},
		{"a time skipped by the spring change", "30 2 * * *", "Europe/Paris", time.Date(2026, 3, 28, 12, 0, 0, 0, time.UTC), "Sun 2026-03-29 03:00 CEST"},
		{"a time repeated by the autumn change, first", "30 1 * * *", "America/New_York", time.Date(2026, 10, 31, 12, 0, 0, 0, time.UTC), "Sun 2026-11-01 01:30 EDT"},
		{"a time repeated by the autumn change, not twice", "30 1 * * *", "America/New_York", time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC), "Mon 2026-11-02 01:30 EST"},
		{"descriptor", "@monthly", "Asia/Tokyo", time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC), "Tue 2026-12-01 00:00 JST"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Campaign{Trigger: TriggerRecurring, Cron: tc.cron, ScheduleTimeZone: tc.zone}
			n := c.NextRun(tc.after)
			if n == nil {
				t.Fatal("no next run")
			}
			if got := n.In(Location(tc.zone)).Format("Mon 2006-01-02 15:04 MST"); got != tc.want {
				t.Errorf("next run %s, want %s", got, tc.want)
			}
		})
	}
}

func TestUpcomingRun(t *testing.T) {
	now := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	planned := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	weekly := Campaign{Trigger: TriggerRecurring, Cron: "0 10 * * MON", ScheduleTimeZone: "Europe/Paris"}
	for _, tc := range []struct {
		name string
		edit func(*Campaign)
		want *time.Time
	}{
		{"active: the run planned", func(c *Campaign) { c.State, c.NextRunAt = StateActive, &planned }, &planned},
		{"paused: the run it would plan", func(c *Campaign) { c.State = StatePaused }, &planned},
		{"draft: the run it would plan", func(c *Campaign) { c.State = StateDraft }, &planned},
		{"archived: none", func(c *Campaign) { c.State = StateArchived }, nil},
		{"event campaign: none", func(c *Campaign) { c.State, c.Trigger = StateActive, TriggerEvent }, nil},
		{"completed one-off: none", func(c *Campaign) { c.State, c.Trigger, c.LastRunAt = StateActive, TriggerOnce, &now }, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := weekly
			tc.edit(&c)
			got := c.UpcomingRun(now)
			if (got == nil) != (tc.want == nil) || (got != nil && !got.Equal(*tc.want)) {
				t.Errorf("upcoming run %v, want %v", got, tc.want)
			}
		})
	}
}
