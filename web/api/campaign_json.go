package api

import (
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

// toCampaign reads the request body into a campaign, or names the field at fault.
func (j campaignJSON) toCampaign() (scheduler.Campaign, *invalid.FieldError) {
	c := scheduler.Campaign{
		Name: j.Name, SurveyID: j.SurveyID, State: j.State, Trigger: scheduler.Trigger(j.Trigger.Type),
		EventKinds: j.Trigger.EventKinds, Cron: j.Trigger.Cron, ScheduleTimeZone: j.Trigger.TimeZone,
		Audience: j.Audience, ReminderDays: j.ReminderDays, FrequencyCapDays: scheduler.DefaultCapDays,
	}
	if j.Trigger.Type == "" {
		return c, &invalid.FieldError{Field: "trigger.type", Message: "is required: event, once or recurring"}
	}
	if j.Trigger.DelayMinutes != nil {
		c.Delay = time.Duration(*j.Trigger.DelayMinutes) * time.Minute
	}
	if j.Trigger.RunAt != "" {
		t, err := time.Parse(time.RFC3339, j.Trigger.RunAt)
		if err != nil {
			return c, &invalid.FieldError{Field: "trigger.run_at", Message: "must be an RFC 3339 time such as 2026-12-01T10:00:00+01:00"}
		}
		c.RunAt = &t
	}
	if j.SendWindow != nil {
		days, err := scheduler.WeekdaysFromNumbers(j.SendWindow.Weekdays)
		if err != nil {
			return c, &invalid.FieldError{Field: "send_window.weekdays", Message: err.Error()}
		}
		c.Window = scheduler.SendWindow{StartHour: j.SendWindow.StartHour, EndHour: j.SendWindow.EndHour, Weekdays: days}
		if len(days) == 0 {
			return c, &invalid.FieldError{Field: "send_window.weekdays", Message: "no allowed day: pick at least one weekday"}
		}
	}
	if j.FrequencyCapDays != nil {
		c.FrequencyCapDays = *j.FrequencyCapDays
	}
	if j.InvitationTTLDays != nil {
		c.InvitationTTL = time.Duration(*j.InvitationTTLDays) * 24 * time.Hour
	}
	return c, nil
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
