package staff

import (
	"errors"
	"net/url"
	"slices"
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

// formFields are the form's fields in page order: the order of the error
// summary at the top of the form.
var formFields = []string{"name", "survey_id", "trigger", "event_kinds", "delay", "run_at", "cron", "time_zone",
	"audience", "window", "cap_days", "reminders", "ttl_days"}

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

// campaign turns the form into a campaign, with every problem found: those
// of reading the form (a number that is not one, a date that is not one)
// and, when there are any, those the campaign's own validation finds in
// the rest, so one save names every field at fault. id is the campaign
// edited, 0 for a new one.
func (v campaignFormValues) campaign(id int64, now time.Time) (scheduler.Campaign, invalid.Fields) {
	c := scheduler.Campaign{Name: v.Name, Trigger: scheduler.Trigger(v.Trigger), ScheduleTimeZone: strings.TrimSpace(v.TimeZone)}
	var fs invalid.Fields
	num := func(field, raw string, dst *int, what string) {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			return
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			if !fs.Has(field) {
				fs.Add(field, what+" must be a whole number")
			}
			return
		}
		*dst = n
	}
	var survey int
	num("survey_id", v.SurveyID, &survey, "the survey")
	c.SurveyID = int64(survey)
	if c.Trigger == "" {
		fs.Add("trigger.type", "choose when to send")
	}
	c.EventKinds = splitList(v.EventKinds)
	if c.Trigger == scheduler.TriggerEvent {
		var n int
		num("trigger.delay_minutes", v.Delay, &n, "the delay")
		unit, ok := unitDurations[v.DelayUnit]
		if !ok && !fs.Has("trigger.delay_minutes") {
			fs.Add("trigger.delay_minutes", "choose a delay unit")
		}
		c.Delay = time.Duration(n) * unit
	}
	if c.Trigger == scheduler.TriggerOnce && strings.TrimSpace(v.RunAt) != "" {
		loc := time.UTC
		if c.ScheduleTimeZone != "" {
			if l, err := time.LoadLocation(c.ScheduleTimeZone); err == nil {
				loc = l
			} // else the validation below names the time zone
		}
		t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v.RunAt), loc)
		if err != nil {
			fs.Add("trigger.run_at", "pick a date and a time")
		} else {
			c.RunAt = &t
		}
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
	num("audience.since_days", v.SinceDays, &c.Audience.SinceDays, "the look-back period")
	c.Window = scheduler.SendWindow{}
	num("send_window", v.StartHour, &c.Window.StartHour, "the opening hour")
	num("send_window", v.EndHour, &c.Window.EndHour, "the closing hour")
	var days []int
	for d := range v.Weekdays {
		days = append(days, d)
	}
	wd, err := scheduler.WeekdaysFromNumbers(days)
	switch {
	case err != nil:
		fs.Add("send_window", err.Error())
	case len(wd) == 0:
		fs.Add("send_window", "no allowed day: tick at least one weekday")
	}
	c.Window.Weekdays = wd
	c.FrequencyCapDays = scheduler.DefaultCapDays
	num("frequency_cap_days", v.CapDays, &c.FrequencyCapDays, "the frequency cap")
	for _, r := range v.Reminders {
		var d int
		if strings.TrimSpace(r) == "" {
			continue
		}
		num("reminder_days", r, &d, "each reminder delay")
		c.ReminderDays = append(c.ReminderDays, d)
	}
	ttl := 30
	num("invitation_ttl_days", v.TTLDays, &ttl, "the link lifetime")
	c.InvitationTTL = time.Duration(ttl) * 24 * time.Hour
	if ttl == 0 && !fs.Has("invitation_ttl_days") {
		// The campaign would take 0 for "unset" and give 30 days: say it.
		fs.Add("invitation_ttl_days", "must be between 1 and 365 days, not 0 (leave it empty for the default, 30 days)")
	}
	if len(fs) > 0 {
		fs = withChecks(fs, c, id, now)
	}
	return c, fs
}

// withChecks adds to fs what the campaign's validation finds in c about
// the settings fs does not already name.
func withChecks(fs invalid.Fields, c scheduler.Campaign, id int64, now time.Time) invalid.Fields {
	c.ID = id
	if c.Trigger == "" {
		c.Trigger = scheduler.TriggerEvent // said already; check the rest as the default would
	}
	if len(c.Window.Weekdays) == 0 {
		c.Window.Weekdays = scheduler.DefaultWindow().Weekdays // said already; the hours are still checked
	}
	var more invalid.Fields
	if errors.As(c.Check(now), &more) {
		for _, f := range more {
			if !fs.Has(f.Field) && (f.Field != "trigger.type" || !fs.Has("trigger.type")) {
				fs = append(fs, f)
			}
		}
	}
	return fs
}

// campaignFormError is one message of the form: the form field it belongs
// to and what is wrong.
type campaignFormError struct {
	Field, Message string
}

// campaignFormErrors are the form's messages, by form field (next to each
// field) and in page order (the summary at the top).
type campaignFormErrors struct {
	ByField map[string]string
	List    []campaignFormError
}

// formErrorsOf groups the problems by form field, each field's messages
// joined, in the order of the page.
func formErrorsOf(fs invalid.Fields) *campaignFormErrors {
	if len(fs) == 0 {
		return nil
	}
	by := map[string][]string{}
	for _, f := range fs {
		k := formField(f.Field)
		by[k] = append(by[k], f.Message)
	}
	e := &campaignFormErrors{ByField: map[string]string{}}
	add := func(k string) {
		msgs, ok := by[k]
		if !ok {
			return
		}
		msg := label(k) + ": " + strings.Join(msgs, "; ")
		e.ByField[k] = msg
		e.List = append(e.List, campaignFormError{Field: k, Message: msg})
		delete(by, k)
	}
	for _, k := range formFields {
		add(k)
	}
	rest := make([]string, 0, len(by))
	for k := range by {
		rest = append(rest, k)
	}
	slices.Sort(rest)
	for _, k := range rest {
		add(k)
	}
	return e
}

// label is how the form names a field in its messages.
func label(formField string) string {
	labels := map[string]string{
		"name": "Name", "survey_id": "Survey", "trigger": "When to send", "event_kinds": "Event kinds",
		"delay": "Delay", "run_at": "Date and time", "cron": "Schedule", "time_zone": "Time zone",
		"audience": "Audience", "window": "Send window", "cap_days": "Frequency cap",
		"reminders": "Reminders", "ttl_days": "Link lifetime",
	}
	if l, ok := labels[formField]; ok {
		return l
	}
	return strings.ReplaceAll(formField, "_", " ")
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
