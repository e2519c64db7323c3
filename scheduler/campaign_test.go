package scheduler

import (
	"strings"
	"testing"
	"time"
)

func TestCampaignValidation(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	future := now.Add(48 * time.Hour)
	past := now.Add(-48 * time.Hour)
	base := func() Campaign {
		return Campaign{Name: "After delivery", SurveyID: 1, Trigger: TriggerEvent, EventKinds: []string{"delivery"}, Delay: 24 * time.Hour}
	}
	cases := []struct {
		name  string
		edit  func(*Campaign)
		field string
		says  string
	}{
		{"valid event campaign", func(*Campaign) {}, "", ""},
		{"valid one-off", func(c *Campaign) { c.Trigger, c.RunAt, c.ScheduleTimeZone = TriggerOnce, &future, "Europe/Paris" }, "", ""},
		{"valid recurring", func(c *Campaign) { c.Trigger, c.Cron = TriggerRecurring, "0 10 * * MON" }, "", ""},
		{"valid recurring descriptor", func(c *Campaign) { c.Trigger, c.Cron = TriggerRecurring, "@weekly" }, "", ""},
		{"no name", func(c *Campaign) { c.Name = "  " }, "name", "required"},
		{"no survey", func(c *Campaign) { c.SurveyID = 0 }, "survey_id", "required"},
		{"unknown trigger", func(c *Campaign) { c.Trigger = "sometimes" }, "trigger.type", "not a trigger"},
		{"no event kind", func(c *Campaign) { c.EventKinds = nil }, "trigger.event_kinds", "at least one"},
		{"bad event kind", func(c *Campaign) { c.EventKinds = []string{"Ticket Closed"} }, "trigger.event_kinds", "not an event kind"},
		{"negative delay", func(c *Campaign) { c.Delay = -time.Minute }, "trigger.delay_minutes", "between 0 and"},
		{"delay over 12 weeks", func(c *Campaign) { c.Delay = MaxDelay + time.Minute }, "trigger.delay_minutes", "12 weeks"},
		{"one-off without date", func(c *Campaign) { c.Trigger = TriggerOnce }, "trigger.run_at", "required"},
		{"one-off in the past", func(c *Campaign) { c.Trigger, c.RunAt = TriggerOnce, &past }, "trigger.run_at", "in the past"},
		{"bad cron", func(c *Campaign) { c.Trigger, c.Cron = TriggerRecurring, "every monday" }, "trigger.cron", "not a cron schedule"},
		{"cron with seconds", func(c *Campaign) { c.Trigger, c.Cron = TriggerRecurring, "0 0 10 * * MON" }, "trigger.cron", "not a cron schedule"},
		{"bad time zone", func(c *Campaign) {
			c.Trigger, c.Cron, c.ScheduleTimeZone = TriggerRecurring, "@daily", "Europe/Atlantis"
		}, "trigger.time_zone", "IANA"},
		{"window with no allowed hour", func(c *Campaign) {
			c.Window = SendWindow{StartHour: 19, EndHour: 9, Weekdays: DefaultWindow().Weekdays}
		}, "send_window", "no allowed hour"},
		{"window with no day", func(c *Campaign) { c.Window = SendWindow{StartHour: 9, EndHour: 17, Weekdays: []time.Weekday{}} }, "send_window", "no allowed day"},
		{"cap too long", func(c *Campaign) { c.FrequencyCapDays = 400 }, "frequency_cap_days", "between 0"},
		{"four reminders", func(c *Campaign) { c.ReminderDays = []int{1, 2, 3, 4} }, "reminder_days", "at most 3"},
		{"reminder after 0 days", func(c *Campaign) { c.ReminderDays = []int{0} }, "reminder_days", "1 to 60"},
		{"link valid an hour", func(c *Campaign) { c.InvitationTTL = time.Hour }, "invitation_ttl_days", "between 1 and 365"},
		{"unknown locale", func(c *Campaign) { c.Audience.Locales = []string{"de"} }, "audience.locales", "not a locale"},
		{"audience kinds on an event campaign", func(c *Campaign) { c.Audience.EventKinds = []string{"install"} }, "audience.event_kinds", "apply to once and recurring"},
		{"look-back on an event campaign", func(c *Campaign) { c.Audience.SinceDays = 30 }, "audience.since_days", "applies to once and recurring"},
		{"odd segment", func(c *Campaign) { c.Audience.Segments = []string{"<vip>"} }, "audience.segments", "not a label"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := base()
			tc.edit(&c)
			c.applyDefaults()
			fe := c.Validate(now)
			switch {
			case tc.field == "" && fe != nil:
				t.Fatalf("valid campaign refused: %v", fe)
			case tc.field != "" && fe == nil:
				t.Fatalf("invalid campaign accepted, want a problem with %s", tc.field)
			case fe != nil && (fe.Field != tc.field || !strings.Contains(fe.Message, tc.says)):
				t.Errorf("got %v, want %s: …%s…", fe, tc.field, tc.says)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c := Campaign{Name: "x", SurveyID: 1, EventKinds: []string{"delivery"}}
	c.applyDefaults()
	if c.Trigger != TriggerEvent || c.State != StateDraft || c.Window.String() != "9:00–19:00 Mon,Tue,Wed,Thu,Fri,Sat" || c.InvitationTTL != DefaultTTL {
		t.Errorf("defaults: %+v (window %s)", c, c.Window)
	}
}

func TestNextRun(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC) // a Wednesday
	weekly := Campaign{Trigger: TriggerRecurring, Cron: "0 10 * * MON", ScheduleTimeZone: "Europe/Paris"}
	n := weekly.NextRun(at)
	if n == nil || n.In(paris).Format("Mon 2006-01-02 15:04 MST") != "Mon 2026-11-23 10:00 CET" {
		t.Errorf("next weekly run %v", n)
	}
	// Across the spring change, 10:00 stays 10:00 on the wall clock.
	n = weekly.NextRun(time.Date(2026, 3, 25, 0, 0, 0, 0, time.UTC))
	if n == nil || n.In(paris).Format("Mon 2006-01-02 15:04 MST") != "Mon 2026-03-30 10:00 CEST" {
		t.Errorf("next weekly run after DST %v", n)
	}
	once := Campaign{Trigger: TriggerOnce, RunAt: &at}
	if n := once.NextRun(at.Add(-time.Hour)); n == nil || !n.Equal(at) {
		t.Errorf("one-off next run %v", n)
	}
	once.LastRunAt = &at
	if n := once.NextRun(at); n != nil {
		t.Errorf("a one-off that ran has no next run, got %v", n)
	}
}
