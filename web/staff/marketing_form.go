package staff

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/scheduler"
)

// campaignFormValues is the campaign form as typed, kept verbatim so a form
// sent back with errors loses nothing.
type campaignFormValues struct {
	Name, SurveyID, Trigger, EventKinds, Delay, DelayUnit, RunAt, Cron, TimeZone string
	Touchpoints, Channels, Segments, AudienceKinds, SinceDays                    string
	Locales                                                                      map[string]bool
	StartHour, EndHour                                                           string
	Weekdays                                                                     map[int]bool
	CapDays, TTLDays                                                             string
	Reminders                                                                    []string
}

var delayUnits = []string{"minutes", "hours", "days", "weeks"}

var unitDurations = map[string]time.Duration{"minutes": time.Minute, "hours": time.Hour, "days": 24 * time.Hour, "weeks": 7 * 24 * time.Hour}

type weekdayChoice struct {
	Number int
	Name   string
}

var weekdayChoices = []weekdayChoice{{1, "Monday"}, {2, "Tuesday"}, {3, "Wednesday"}, {4, "Thursday"}, {5, "Friday"}, {6, "Saturday"}, {7, "Sunday"}}

// valuesOf fills the form from a stored campaign (or the defaults of a new one).
func valuesOf(c scheduler.Campaign) campaignFormValues {
	v := campaignFormValues{
		Name: c.Name, Trigger: string(c.Trigger), EventKinds: strings.Join(c.EventKinds, ", "),
		Cron: c.Cron, TimeZone: c.ScheduleTimeZone,
		Touchpoints: strings.Join(c.Audience.Touchpoints, ", "), Channels: strings.Join(c.Audience.Channels, ", "),
		Segments: strings.Join(c.Audience.Segments, ", "), AudienceKinds: strings.Join(c.Audience.EventKinds, ", "),
		Locales: map[string]bool{}, Weekdays: map[int]bool{},
		StartHour: strconv.Itoa(c.Window.StartHour), EndHour: strconv.Itoa(c.Window.EndHour),
		CapDays: strconv.Itoa(c.FrequencyCapDays), TTLDays: strconv.Itoa(int(c.InvitationTTL / (24 * time.Hour))),
	}
	if c.SurveyID > 0 {
		v.SurveyID = strconv.FormatInt(c.SurveyID, 10)
	}
	if c.Audience.SinceDays > 0 {
		v.SinceDays = strconv.Itoa(c.Audience.SinceDays)
	}
	for _, l := range c.Audience.Locales {
		v.Locales[l] = true
	}
	for _, d := range c.Window.WeekdayNumbers() {
		v.Weekdays[d] = true
	}
	v.Delay, v.DelayUnit = "1", "days"
	if c.Trigger == scheduler.TriggerEvent || c.Trigger == "" {
		v.Delay, v.DelayUnit = splitDelay(c.Delay)
	}
	if c.RunAt != nil {
		v.RunAt = c.RunAt.In(scheduler.Location(c.ScheduleTimeZone)).Format("2006-01-02T15:04")
	}
	for _, d := range c.ReminderDays {
		v.Reminders = append(v.Reminders, strconv.Itoa(d))
	}
	for len(v.Reminders) < scheduler.MaxReminders {
		v.Reminders = append(v.Reminders, "")
	}
	return v
}

func splitDelay(d time.Duration) (string, string) {
	for i := len(delayUnits) - 1; i >= 0; i-- {
		u := unitDurations[delayUnits[i]]
		if d >= u && d%u == 0 {
			return strconv.FormatInt(int64(d/u), 10), delayUnits[i]
		}
	}
	return strconv.FormatInt(int64(d/time.Minute), 10), "minutes"
}

// valuesFrom reads the submitted form.
func valuesFrom(f url.Values) campaignFormValues {
	v := campaignFormValues{
		Name: f.Get("name"), SurveyID: f.Get("survey_id"), Trigger: f.Get("trigger"), EventKinds: f.Get("event_kinds"),
		Delay: f.Get("delay"), DelayUnit: f.Get("delay_unit"), RunAt: f.Get("run_at"), Cron: f.Get("cron"),
		TimeZone: f.Get("time_zone"), Touchpoints: f.Get("touchpoints"), Channels: f.Get("channels"),
		Segments: f.Get("segments"), AudienceKinds: f.Get("audience_kinds"), SinceDays: f.Get("since_days"),
		Locales: map[string]bool{}, Weekdays: map[int]bool{}, StartHour: f.Get("start_hour"), EndHour: f.Get("end_hour"),
		CapDays: f.Get("cap_days"), TTLDays: f.Get("ttl_days"), Reminders: f["reminders"],
	}
	for _, l := range f["locales"] {
		v.Locales[l] = true
	}
	for _, d := range f["weekdays"] {
		if n, err := strconv.Atoi(d); err == nil {
			v.Weekdays[n] = true
		}
	}
	for len(v.Reminders) < scheduler.MaxReminders {
		v.Reminders = append(v.Reminders, "")
	}
	return v
}

// formField maps a campaign setting to the form field that shows its error.
func formField(setting string) string {
	switch {
	case setting == "trigger.event_kinds":
		return "event_kinds"
	case setting == "trigger.delay_minutes":
		return "delay"
	case setting == "trigger.run_at":
		return "run_at"
	case setting == "trigger.cron":
		return "cron"
	case setting == "trigger.time_zone":
		return "time_zone"
	case strings.HasPrefix(setting, "trigger"):
		return "trigger"
	case strings.HasPrefix(setting, "audience"):
		return "audience"
	case strings.HasPrefix(setting, "send_window"):
		return "window"
	case setting == "frequency_cap_days":
		return "cap_days"
	case setting == "reminder_days":
		return "reminders"
	case setting == "invitation_ttl_days":
		return "ttl_days"
	}
	return setting
}

// campaign turns the form into a campaign, or names the field at fault.
func (v campaignFormValues) campaign() (scheduler.Campaign, *invalid.FieldError) {
	c := scheduler.Campaign{Name: v.Name, Trigger: scheduler.Trigger(v.Trigger), ScheduleTimeZone: strings.TrimSpace(v.TimeZone)}
	num := func(field, raw string, dst *int, what string) *invalid.FieldError {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return nil
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			return &invalid.FieldError{Field: field, Message: what + " must be a whole number"}
		}
		*dst = n
		return nil
	}
	var survey int
	if fe := num("survey_id", v.SurveyID, &survey, "the survey"); fe != nil {
		return c, fe
	}
	c.SurveyID = int64(survey)
	if c.Trigger == "" {
		return c, &invalid.FieldError{Field: "trigger.type", Message: "choose when to send"}
	}
	c.EventKinds = splitList(v.EventKinds)
	if c.Trigger == scheduler.TriggerEvent {
		var n int
		if fe := num("trigger.delay_minutes", v.Delay, &n, "the delay"); fe != nil {
			return c, fe
		}
		unit, ok := unitDurations[v.DelayUnit]
		if !ok {
			return c, &invalid.FieldError{Field: "trigger.delay_minutes", Message: "choose a delay unit"}
		}
		c.Delay = time.Duration(n) * unit
	}
	if c.Trigger == scheduler.TriggerOnce && strings.TrimSpace(v.RunAt) != "" {
		loc := time.UTC
		if c.ScheduleTimeZone != "" {
			l, err := time.LoadLocation(c.ScheduleTimeZone)
			if err != nil {
				return c, &invalid.FieldError{Field: "trigger.time_zone", Message: "is not an IANA time zone such as Europe/Paris"}
			}
			loc = l
		}
		t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v.RunAt), loc)
		if err != nil {
			return c, &invalid.FieldError{Field: "trigger.run_at", Message: "pick a date and a time"}
		}
		c.RunAt = &t
	}
	if c.Trigger == scheduler.TriggerRecurring {
		c.Cron = strings.TrimSpace(v.Cron)
	}
	c.Audience = scheduler.Audience{Touchpoints: splitList(v.Touchpoints), Channels: splitList(v.Channels),
		Segments: splitList(v.Segments), EventKinds: splitList(v.AudienceKinds)}
	for _, l := range []string{"en", "fr"} {
		if v.Locales[l] {
			c.Audience.Locales = append(c.Audience.Locales, l)
		}
	}
	if fe := num("audience.since_days", v.SinceDays, &c.Audience.SinceDays, "the look-back period"); fe != nil {
		return c, fe
	}
	c.Window = scheduler.SendWindow{}
	if fe := num("send_window", v.StartHour, &c.Window.StartHour, "the opening hour"); fe != nil {
		return c, fe
	}
	if fe := num("send_window", v.EndHour, &c.Window.EndHour, "the closing hour"); fe != nil {
		return c, fe
	}
	var days []int
	for d := range v.Weekdays {
		days = append(days, d)
	}
	wd, err := scheduler.WeekdaysFromNumbers(days)
	if err != nil {
		return c, &invalid.FieldError{Field: "send_window", Message: err.Error()}
	}
	if len(wd) == 0 {
		return c, &invalid.FieldError{Field: "send_window", Message: "no allowed day: tick at least one weekday"}
	}
	c.Window.Weekdays = wd
	c.FrequencyCapDays = scheduler.DefaultCapDays
	if fe := num("frequency_cap_days", v.CapDays, &c.FrequencyCapDays, "the frequency cap"); fe != nil {
		return c, fe
	}
	for _, r := range v.Reminders {
		var d int
		if strings.TrimSpace(r) == "" {
			continue
		}
		if fe := num("reminder_days", r, &d, "each reminder delay"); fe != nil {
			return c, fe
		}
		c.ReminderDays = append(c.ReminderDays, d)
	}
	ttl := 30
	if fe := num("invitation_ttl_days", v.TTLDays, &ttl, "the link lifetime"); fe != nil {
		return c, fe
	}
	c.InvitationTTL = time.Duration(ttl) * 24 * time.Hour
	return c, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
