package api

import (
	"errors"
	"time"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/scheduler"
)

// campaignJSON is a campaign as the API reads and writes it. Settings left
// out take their defaults: a 9:00–19:00 Monday–Saturday window, a 30-day
// frequency cap, a 30-day link lifetime, no reminders.
type campaignJSON struct {
	ID       int64  `json:"id,omitempty"`
	Name     string `json:"name"`
	SurveyID int64  `json:"survey_id"`
	State    string `json:"state,omitempty"`
	// Status is what the campaign is now: its state, or "completed" for a
	// one-off that ran (read only).
	Status            string             `json:"status,omitempty"`
	Trigger           triggerJSON        `json:"trigger"`
	Audience          scheduler.Audience `json:"audience"`
	SendWindow        *windowJSON        `json:"send_window,omitempty"`
	FrequencyCapDays  *int               `json:"frequency_cap_days,omitempty"`
	ReminderDays      []int              `json:"reminder_days"`
	InvitationTTLDays *int               `json:"invitation_ttl_days,omitempty"`
	NextRunAt         *time.Time         `json:"next_run_at,omitempty"`
	LastRunAt         *time.Time         `json:"last_run_at,omitempty"`
	CreatedAt         *time.Time         `json:"created_at,omitempty"`
	UpdatedAt         *time.Time         `json:"updated_at,omitempty"`
	// Withdrawn is, in the answer to archive, how many invitations not yet
	// sent archiving withdrew.
	Withdrawn *int `json:"withdrawn,omitempty"`
}

// zeroTTL is the answer to a link lifetime of 0 days.
const zeroTTL = "must be between 1 and 365 days, not 0 (leave it out for the default, 30 days)"

type triggerJSON struct {
	// Type is event, once or recurring.
	Type         string   `json:"type"`
	EventKinds   []string `json:"event_kinds,omitempty"`
	DelayMinutes *int     `json:"delay_minutes,omitempty"`
	RunAt        string   `json:"run_at,omitempty"`
	Cron         string   `json:"cron,omitempty"`
	TimeZone     string   `json:"time_zone,omitempty"`
}

type windowJSON struct {
	StartHour int `json:"start_hour"`
	EndHour   int `json:"end_hour"`
	// Weekdays are ISO numbers: Monday 1 … Sunday 7.
	Weekdays []int `json:"weekdays"`
}

// toCampaign reads the request body into a campaign, with every problem
// found: those of reading it and those the campaign's validation finds in
// the rest (one answer names every field at fault). id is the campaign
// updated, 0 for a new one.
func (j campaignJSON) toCampaign(id int64, now time.Time) (scheduler.Campaign, invalid.Fields) {
	c := scheduler.Campaign{
		Name: j.Name, SurveyID: j.SurveyID, State: j.State, Trigger: scheduler.Trigger(j.Trigger.Type),
		EventKinds: j.Trigger.EventKinds, Cron: j.Trigger.Cron, ScheduleTimeZone: j.Trigger.TimeZone,
		Audience: j.Audience, ReminderDays: j.ReminderDays, FrequencyCapDays: scheduler.DefaultCapDays,
	}
	var fs invalid.Fields
	if j.Trigger.Type == "" {
		fs.Add("trigger.type", "is required: event, once or recurring")
	}
	if j.Trigger.DelayMinutes != nil {
		c.Delay = time.Duration(*j.Trigger.DelayMinutes) * time.Minute
	}
	if j.Trigger.RunAt != "" {
		t, err := time.Parse(time.RFC3339, j.Trigger.RunAt)
		if err != nil {
			fs.Add("trigger.run_at", "must be an RFC 3339 time such as 2026-12-01T10:00:00+01:00")
		} else {
			c.RunAt = &t
		}
	}
	if j.SendWindow != nil {
		days, err := scheduler.WeekdaysFromNumbers(j.SendWindow.Weekdays)
		switch {
		case err != nil:
			fs.Add("send_window.weekdays", err.Error())
		case len(days) == 0:
			fs.Add("send_window.weekdays", "no allowed day: pick at least one weekday")
		}
		if len(days) == 0 {
			days = scheduler.DefaultWindow().Weekdays // said above; the hours are still checked
		}
		c.Window = scheduler.SendWindow{StartHour: j.SendWindow.StartHour, EndHour: j.SendWindow.EndHour, Weekdays: days}
	}
	if j.FrequencyCapDays != nil {
		c.FrequencyCapDays = *j.FrequencyCapDays
	}
	if j.InvitationTTLDays != nil {
		c.InvitationTTL = time.Duration(*j.InvitationTTLDays) * 24 * time.Hour
		if *j.InvitationTTLDays == 0 {
			// A link valid for no time is no setting: said rather than
			// silently given the default, which only leaving it out asks for.
			fs.Add("invitation_ttl_days", zeroTTL)
		}
	}
	if len(fs) > 0 {
		probe := c
		probe.ID = id
		if probe.Trigger == "" {
			probe.Trigger = scheduler.TriggerEvent // said above; check the rest as the default would
		}
		var more invalid.Fields
		if errors.As(probe.Check(now), &more) {
			for _, f := range more {
				if !fs.Has(f.Field) && (f.Field != "trigger.type" || j.Trigger.Type != "") {
					fs = append(fs, f)
				}
			}
		}
	}
	return c, fs
}

func campaignOut(c scheduler.Campaign) campaignJSON {
	delay := int(c.Delay / time.Minute)
	capDays := c.FrequencyCapDays
	ttl := int(c.InvitationTTL / (24 * time.Hour))
	j := campaignJSON{
		ID: c.ID, Name: c.Name, SurveyID: c.SurveyID, State: c.State, Status: c.Status(),
		Trigger:  triggerJSON{Type: string(c.Trigger), EventKinds: c.EventKinds, Cron: c.Cron},
		Audience: c.Audience, FrequencyCapDays: &capDays, ReminderDays: c.ReminderDays, InvitationTTLDays: &ttl,
		SendWindow: &windowJSON{StartHour: c.Window.StartHour, EndHour: c.Window.EndHour, Weekdays: c.Window.WeekdayNumbers()},
		NextRunAt:  c.NextRunAt, LastRunAt: c.LastRunAt, CreatedAt: &c.CreatedAt, UpdatedAt: &c.UpdatedAt,
	}
	if j.ReminderDays == nil {
		j.ReminderDays = []int{}
	}
	switch c.Trigger {
	case scheduler.TriggerEvent:
		j.Trigger.DelayMinutes = &delay
	case scheduler.TriggerOnce:
		if c.RunAt != nil {
			j.Trigger.RunAt = c.RunAt.Format(time.RFC3339)
		}
		j.Trigger.TimeZone = c.ScheduleTimeZone
	case scheduler.TriggerRecurring:
		j.Trigger.TimeZone = c.ScheduleTimeZone
	}
	return j
}
