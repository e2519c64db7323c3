package scheduler

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/followup/followup/invalid"
)

// Campaign states.
const (
	StateDraft    = "draft"
	StateActive   = "active"
	StatePaused   = "paused"
	StateArchived = "archived"
)

// StatusCompleted is what a one-off campaign is once it ran: it is still
// stored active (the invitations of its run go out in their send window,
// reminders included, exactly as an active campaign's), but it never runs
// again and cannot be paused or resumed; it can be archived. Deriving it
// from the run, rather than storing a fifth state, leaves every send-time
// check as it was.
const StatusCompleted = "completed"

// Status returns what the campaign is now: its state, or StatusCompleted
// for an active one-off that ran.
func (c Campaign) Status() string {
	if c.State == StateActive && c.Trigger == TriggerOnce && c.LastRunAt != nil {
		return StatusCompleted
	}
	return c.State
}

// UpcomingRun is when an audience campaign runs next, for people to read:
// the run the scheduler has planned for an active campaign, the one it
// would plan from now for a draft or paused one; nil for an event or
// recovery campaign, a completed one-off and an archived campaign.
func (c Campaign) UpcomingRun(now time.Time) *time.Time {
	switch {
	case c.Trigger != TriggerOnce && c.Trigger != TriggerRecurring, c.State == StateArchived:
		return nil
	case c.State == StateActive:
		return c.NextRunAt
	}
	return c.NextRun(now)
}

// Trigger says what starts a campaign's invitations.
type Trigger string

// Triggers.
const (
	// TriggerEvent sends the survey a delay after each matching service event.
	TriggerEvent Trigger = "event"
	// TriggerOnce sends the survey to an audience at a fixed date and time
	// (a relationship survey).
	TriggerOnce Trigger = "once"
	// TriggerRecurring sends the survey to an audience on a cron schedule.
	TriggerRecurring Trigger = "recurring"
	// TriggerRecovery is followup's own campaign of recovery surveys, sent
	// some days after a complaint is resolved. It cannot be created or
	// edited, only paused and resumed.
	TriggerRecovery Trigger = "recovery"
)

// Limits of campaign settings.
const (
	MaxDelay         = 12 * 7 * 24 * time.Hour
	MaxReminders     = 3
	MaxReminderDays  = 60
	MaxFrequencyCap  = 365
	MaxInvitationTTL = 365 * 24 * time.Hour
	DefaultCapDays   = 30
	DefaultTTL       = 30 * 24 * time.Hour
	DefaultSinceDays = 365
)

// Audience narrows who a campaign surveys. Empty lists match everyone;
// customers who opted out are never included.
type Audience struct {
	// Touchpoints and Channels filter the triggering event (event trigger)
	// or the customer's events in the last SinceDays (audience triggers).
	Touchpoints []string `json:"touchpoints,omitempty"`
	Channels    []string `json:"channels,omitempty"`
	// EventKinds, for audience triggers, keeps customers with an event of
	// these kinds in the last SinceDays. (Event triggers use Campaign.EventKinds.)
	EventKinds []string `json:"event_kinds,omitempty"`
	// Segments and Locales filter the customer.
	Segments []string `json:"segments,omitempty"`
	Locales  []string `json:"locales,omitempty"`
	// SinceDays bounds how far back audience triggers look for events.
	SinceDays int `json:"since_days,omitempty"`
}

// filtersEvents reports whether an audience trigger must look at events.
func (a Audience) filtersEvents() bool {
	return len(a.Touchpoints) > 0 || len(a.Channels) > 0 || len(a.EventKinds) > 0
}

// Campaign decides which customers get which survey, and when.
type Campaign struct {
	ID       int64
	Name     string
	SurveyID int64
	State    string
	Trigger  Trigger
	// EventKinds are the service event kinds that trigger the survey (event trigger).
	EventKinds []string
	// Delay is how long after the event the survey is due (event trigger).
	Delay time.Duration
	// RunAt is when a one-off campaign surveys its audience (once trigger).
	RunAt *time.Time
	// Cron is a five-field cron schedule or a descriptor such as @weekly,
	// read in ScheduleTimeZone (recurring trigger).
	Cron             string
	ScheduleTimeZone string
	Audience         Audience
	// Window is when the survey may reach the customer, in their time zone.
	Window SendWindow
	// FrequencyCapDays: at most one survey per customer per this many days,
	// across all campaigns. 0 turns the cap off for this campaign.
	FrequencyCapDays int
	// ReminderDays: a reminder after each of these many days without an
	// answer (each counted from the previous email), at most three.
	ReminderDays []int
	// InvitationTTL is how long the survey link stays valid after sending.
	InvitationTTL time.Duration

	NextRunAt *time.Time
	LastRunAt *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

var (
	kindRE  = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,49}$`)
	labelRE = regexp.MustCompile(`^[\p{L}\p{N} _.:/-]{1,80}$`)
	// cronParser reads standard five-field specs and descriptors (@daily...).
	cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
)

// applyDefaults fills what was left unset: trigger event, 9:00–19:00
// Monday–Saturday, a 30-day cap, a 30-day link lifetime, UTC schedules.
func (c *Campaign) applyDefaults() {
	if c.Trigger == "" {
		c.Trigger = TriggerEvent
	}
	if c.State == "" {
		c.State = StateDraft
	}
	if c.Window.EndHour == 0 && c.Window.StartHour == 0 && len(c.Window.Weekdays) == 0 {
		c.Window = DefaultWindow()
	}
	if c.InvitationTTL == 0 {
		c.InvitationTTL = DefaultTTL
	}
	if c.ScheduleTimeZone == "" {
		c.ScheduleTimeZone = "UTC"
	}
	if c.Audience.SinceDays == 0 && c.Trigger != TriggerEvent && c.Audience.filtersEvents() {
		c.Audience.SinceDays = DefaultSinceDays
	}
}

// Validate checks a campaign's settings (not that its survey exists: the
// store does). now bounds the date of a one-off campaign. It returns nil
// or an invalid.Fields naming every setting at fault, so a form shows all
// of them at once.
func (c *Campaign) Validate(now time.Time) error {
	var fs invalid.Fields
	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || len(c.Name) > 200 || strings.ContainsAny(c.Name, "\r\n") {
		fs.Add("name", "is required: one line of at most 200 characters")
	}
	if c.SurveyID <= 0 {
		fs.Add("survey_id", "is required")
	}
	if !slices.Contains([]string{StateDraft, StateActive, StatePaused, StateArchived}, c.State) {
		fs.Add("state", fmt.Sprintf("%q is not a state (draft, active, paused, archived)", c.State))
	}
	c.validateTrigger(now, &fs)
	if c.Trigger != TriggerEvent {
		if _, err := time.LoadLocation(c.ScheduleTimeZone); err != nil || strings.EqualFold(c.ScheduleTimeZone, "local") {
			fs.Add("trigger.time_zone", fmt.Sprintf("%q is not an IANA time zone such as Europe/Paris", c.ScheduleTimeZone))
		}
	}
	c.Audience.normalize()
	c.Audience.validate(&fs)
	if c.Trigger == TriggerEvent {
		// Said rather than ignored: the event that triggers the campaign is
		// its audience's only event.
		if len(c.Audience.EventKinds) > 0 && !fs.Has("audience.event_kinds") {
			fs.Add("audience.event_kinds", "apply to once and recurring campaigns; an event campaign is sent after the event kinds of its trigger")
		}
		if c.Audience.SinceDays > 0 && !fs.Has("audience.since_days") {
			fs.Add("audience.since_days", "applies to once and recurring campaigns; an event campaign is sent a delay after each event")
		}
	}
	c.validateSending(&fs)
	return fs.Err()
}

// validateSending checks when and how often the campaign writes: the send
// window, the frequency cap, the reminders and the invitations' life.
func (c *Campaign) validateSending(fs *invalid.Fields) {
	for _, err := range c.Window.Problems() {
		fs.Add("send_window", err)
	}
	if c.FrequencyCapDays < 0 || c.FrequencyCapDays > MaxFrequencyCap {
		fs.Add("frequency_cap_days", fmt.Sprintf("must be between 0 (no cap) and %d days, not %d", MaxFrequencyCap, c.FrequencyCapDays))
	}
	if len(c.ReminderDays) > MaxReminders {
		fs.Add("reminder_days", fmt.Sprintf("at most %d reminders", MaxReminders))
	}
	for _, d := range c.ReminderDays {
		if d < 1 || d > MaxReminderDays {
			fs.Add("reminder_days", fmt.Sprintf("each reminder comes 1 to %d days after the previous email", MaxReminderDays))
			break
		}
	}
	if c.InvitationTTL < 24*time.Hour || c.InvitationTTL > MaxInvitationTTL {
		fs.Add("invitation_ttl_days", "must be between 1 and 365 days")
	}
}

// validateTrigger checks the campaign's trigger: the event kinds and delay
// of an event campaign, the time of a one-off, the cron of a recurring one.
func (c *Campaign) validateTrigger(now time.Time, fs *invalid.Fields) {
	switch c.Trigger {
	case TriggerEvent:
		if len(c.EventKinds) == 0 {
			fs.Add("trigger.event_kinds", "at least one event kind is required, such as delivery")
		}
		for _, k := range c.EventKinds {
			if !kindRE.MatchString(k) {
				fs.Add("trigger.event_kinds", fmt.Sprintf("%q is not an event kind (a lower-case word such as ticket_closed)", k))
				break
			}
		}
		if c.Delay < 0 || c.Delay > MaxDelay {
			fs.Add("trigger.delay_minutes", fmt.Sprintf("must be between 0 and %d minutes (12 weeks)", int(MaxDelay/time.Minute)))
		}
	case TriggerOnce:
		switch {
		case c.RunAt == nil || c.RunAt.IsZero():
			fs.Add("trigger.run_at", "is required for a one-off campaign, as an RFC 3339 time")
		case c.LastRunAt == nil && c.RunAt.Before(now.Add(-time.Minute)):
			fs.Add("trigger.run_at", "is in the past")
		}
	case TriggerRecurring:
		if _, err := cronParser.Parse(c.Cron); err != nil || strings.TrimSpace(c.Cron) == "" {
			fs.Add("trigger.cron", fmt.Sprintf("%q is not a cron schedule such as \"0 10 * * MON\" or @weekly", c.Cron))
		}
	case TriggerRecovery:
		if c.ID == 0 {
			fs.Add("trigger.type", "recovery surveys go out through followup's own recovery campaign; choose event, once or recurring")
		}
	default:
		fs.Add("trigger.type", fmt.Sprintf("%q is not a trigger (event, once, recurring)", c.Trigger))
	}
}

// normalize writes the labels as they are compared: trimmed and in lower
// case, so "Store" in a campaign matches an event's "store" (and the
// reverse), as anyone typing a label would expect.
func (a *Audience) normalize() {
	for _, l := range []*[]string{&a.Touchpoints, &a.Channels, &a.Segments} {
		for i, v := range *l {
			(*l)[i] = strings.ToLower(strings.TrimSpace(v))
		}
	}
}

// validate adds a problem per audience setting at fault (the first wrong
// value of each list).
func (a *Audience) validate(fs *invalid.Fields) {
	lists := []struct {
		field string
		vals  []string
	}{{"audience.touchpoints", a.Touchpoints}, {"audience.channels", a.Channels}, {"audience.segments", a.Segments}}
	for _, l := range lists {
		for _, v := range l.vals {
			if !labelRE.MatchString(v) {
				fs.Add(l.field, fmt.Sprintf("%q is not a label (letters, digits, spaces, _ . : / -)", v))
				break
			}
		}
	}
	for _, k := range a.EventKinds {
		if !kindRE.MatchString(k) {
			fs.Add("audience.event_kinds", fmt.Sprintf("%q is not an event kind", k))
			break
		}
	}
	for _, l := range a.Locales {
		if l != "en" && l != "fr" {
			fs.Add("audience.locales", fmt.Sprintf("%q is not a locale (en, fr)", l))
			break
		}
	}
	if a.SinceDays < 0 || a.SinceDays > 3650 {
		fs.Add("audience.since_days", "must be between 1 and 3650")
	}
}

// NextRun returns the next audience run strictly after t: RunAt for a
// one-off campaign not yet run, the next cron time for a recurring one, nil
// otherwise.
func (c *Campaign) NextRun(t time.Time) *time.Time {
	switch c.Trigger {
	case TriggerOnce:
		if c.LastRunAt == nil && c.RunAt != nil {
			r := *c.RunAt
			return &r
		}
	case TriggerRecurring:
		sched, err := cronParser.Parse(c.Cron)
		if err != nil {
			return nil
		}
		loc, err := time.LoadLocation(c.ScheduleTimeZone)
		if err != nil {
			return nil
		}
		n := nextInZone(sched, t.In(loc))
		if n.IsZero() {
			return nil
		}
		return &n
	}
	return nil
}

// nextInZone is the schedule's next time after t in t's zone, as cron
// reads wall clocks across daylight-saving changes: a time the clocks skip
// (02:30 the night they go forward) runs at the first instant after the
// gap rather than not at all that day, and a time they repeat (01:30 the
// night they go back) runs once, at its first occurrence.
func nextInZone(sched cron.Schedule, t time.Time) time.Time {
	n := sched.Next(t)
	if n.IsZero() {
		return n
	}
	// A gap between t and n that swallowed a time of the schedule.
	for z := t; ; {
		_, end := z.ZoneBounds()
		if end.IsZero() || !end.Before(n) {
			break
		}
		_, before := end.Add(-time.Second).Zone()
		_, after := end.Zone()
		if gap := time.Duration(after-before) * time.Second; gap > 0 && end.After(t) {
			old := time.FixedZone("", before) // the wall clock as it would have read
			if m := sched.Next(end.Add(-time.Second).In(old)); !m.IsZero() && m.Before(end.In(old).Add(gap)) {
				return end
			}
		}
		z = end
	}
	// A repeated wall-clock time: its first occurrence was at or before t.
	wall := func(x time.Time) string { return x.Format("2006-01-02 15:04:05") }
	for _, back := range []time.Duration{30 * time.Minute, time.Hour, 2 * time.Hour} {
		if p := n.Add(-back); wall(p) == wall(n) && !p.After(t) {
			return nextInZone(sched, n)
		}
	}
	return n
}

// Check says what Create would refuse in c, without the store: the
// defaults applied, every setting at fault (invalid.Fields) or nil. A form
// or an API that found problems of its own while reading c adds these, so
// one answer names them all.
func (c Campaign) Check(now time.Time) error {
	c.applyDefaults()
	return c.Validate(now)
}
