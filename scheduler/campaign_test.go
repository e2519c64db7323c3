package scheduler

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/invalid"
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
			fs := problems(t, c.Validate(now))
			switch {
			case tc.field == "" && len(fs) > 0:
				t.Fatalf("valid campaign refused: %v", fs)
			case tc.field != "" && len(fs) != 1:
				t.Fatalf("got %d problems (%v), want one with %s", len(fs), fs, tc.field)
			case len(fs) == 1 && (fs[0].Field != tc.field || !strings.Contains(fs[0].Message, tc.says)):
				t.Errorf("got %v, want %s: …%s…", fs[0], tc.field, tc.says)
			}
		})
	}
}

// problems is the list of problems of err, which must be nil or an
// invalid.Fields.
func problems(t *testing.T, err error) invalid.Fields {
	t.Helper()
	if err == nil {
		return nil
	}
	var fs invalid.Fields
	if !errors.As(err, &fs) {
		t.Fatalf("Validate returned %T (%v), want invalid.Fields", err, err)
	}
	return fs
}

// TestCampaignValidationSaysEverything: the story of issue 14, a campaign
// form with five wrong settings, learns all five from one save.
func TestCampaignValidationSaysEverything(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		c      Campaign
		fields []string
	}{
		{"five wrong settings", Campaign{Name: " ", SurveyID: 1, Trigger: TriggerRecurring, Cron: "every monday",
			ScheduleTimeZone: "Europe/Pariss", Window: SendWindow{StartHour: 20, EndHour: 8, Weekdays: DefaultWindow().Weekdays},
			FrequencyCapDays: -3, InvitationTTL: DefaultTTL},
			[]string{"name", "trigger.cron", "trigger.time_zone", "send_window", "frequency_cap_days"}},
		{"an event campaign with everything wrong", Campaign{SurveyID: 0, Trigger: TriggerEvent, Delay: -time.Hour,
			Window: SendWindow{StartHour: 9, EndHour: 9}, ReminderDays: []int{0, 1, 2, 3}, InvitationTTL: time.Hour,
			Audience: Audience{Locales: []string{"de"}, SinceDays: 30}},
			[]string{"name", "survey_id", "trigger.event_kinds", "trigger.delay_minutes", "audience.locales", "audience.since_days",
				"send_window", "send_window", "reminder_days", "reminder_days", "invitation_ttl_days"}},
		{"a window out of range says both hours", Campaign{Name: "x", SurveyID: 1, Trigger: TriggerEvent, EventKinds: []string{"delivery"},
			Window: SendWindow{StartHour: 25, EndHour: 0, Weekdays: DefaultWindow().Weekdays}, InvitationTTL: DefaultTTL},
			[]string{"send_window", "send_window"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.c
			c.State = StateDraft
			fs := problems(t, c.Validate(now))
			var got []string
			for _, f := range fs {
				got = append(got, f.Field)
			}
			if !slices.Equal(got, tc.fields) {
				t.Errorf("fields at fault %v, want %v (%v)", got, tc.fields, fs)
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
