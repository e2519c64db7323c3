package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Reports configures the external loop: the barometer and the weekly
// report to managers.
type Reports struct {
	// Barometer are the indicators watched and their thresholds (at most
	// five); empty watches nothing.
	Barometer []BarometerRule
	// BarometerWindow is how far back the indicators look.
	BarometerWindow time.Duration
	// BarometerMinSample is the fewest replies or complaints a rate or a
	// mean needs before it can breach.
	BarometerMinSample int
	// Locale is the language of the weekly report and the barometer's
	// alerts (en or fr).
	Locale string
	// TimeZone is where report days and weeks start and end.
	TimeZone *time.Location
	// Weekly is when the weekly report goes out.
	Weekly WeeklySchedule
}

// BarometerRule is one watched indicator: it must stay at least (>=) or at
// most (<=) Value.
type BarometerRule struct {
	Indicator string
	Op        string
	Value     float64
}

// WeeklySchedule is the weekday and time the weekly report (on the
// previous ISO week) is sent; Off sends none.
type WeeklySchedule struct {
	Off          bool
	Weekday      time.Weekday
	Hour, Minute int
}

// BarometerIndicators are the indicators FOLLOWUP_BAROMETER may name (the
// reports package computes them and checks this list matches its own).
var BarometerIndicators = []string{
	"acknowledged_on_time", "handled_per_agent_day", "satisfaction", "satisfaction_distributive",
	"satisfaction_procedural", "satisfaction_interactional", "recovery_rate", "response_rate",
	"negative_rate", "overdue_complaints", "double_deviations",
}

// maxBarometerRules is how many indicators a barometer watches at most.
const maxBarometerRules = 5

var barometerRuleRE = regexp.MustCompile(`^([a-z_]+)\s*(>=|<=)\s*([0-9]+(?:\.[0-9]+)?)\s*%?$`)

func setBarometer(c *Config, raw string) error {
	want := fmt.Sprintf("up to %d rules indicator>=value or indicator<=value separated by commas, or none; indicators: %s",
		maxBarometerRules, strings.Join(BarometerIndicators, ", "))
	c.Reports.Barometer = nil
	if s := strings.TrimSpace(strings.ToLower(raw)); s == "none" || s == "off" {
		return nil
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(raw, ",") {
		m := barometerRuleRE.FindStringSubmatch(strings.TrimSpace(part))
		if m == nil {
			return expectError(fmt.Sprintf("%s (%q is not one)", want, strings.TrimSpace(part)))
		}
		if !slices.Contains(BarometerIndicators, m[1]) {
			return expectError(fmt.Sprintf("%s (%q is not an indicator)", want, m[1]))
		}
		if seen[m[1]] {
			return expectError(fmt.Sprintf("%s (%s is given twice)", want, m[1]))
		}
		seen[m[1]] = true
		v, _ := strconv.ParseFloat(m[3], 64)
		c.Reports.Barometer = append(c.Reports.Barometer, BarometerRule{Indicator: m[1], Op: m[2], Value: v})
	}
	if len(c.Reports.Barometer) > maxBarometerRules {
		return expectError(fmt.Sprintf("%s (%d given: a barometer of very few indicators is the one people read)", want, len(c.Reports.Barometer)))
	}
	return nil
}

var weekdays = map[string]time.Weekday{"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday}

var scheduleRE = regexp.MustCompile(`^([a-z]{3})\s+([0-9]{1,2}):([0-9]{2})$`)

func setWeeklySchedule(c *Config, raw string) error {
	const want = "a weekday and time such as mon 07:00 (mon, tue, wed, thu, fri, sat or sun), or off"
	s := strings.TrimSpace(strings.ToLower(raw))
	if s == "off" || s == "none" {
		c.Reports.Weekly = WeeklySchedule{Off: true}
		return nil
	}
	m := scheduleRE.FindStringSubmatch(s)
	if m == nil {
		return expectError(want)
	}
	wd, ok := weekdays[m[1]]
	h, _ := strconv.Atoi(m[2])
	mi, _ := strconv.Atoi(m[3])
	if !ok || h > 23 || mi > 59 {
		return expectError(want)
	}
	c.Reports.Weekly = WeeklySchedule{Weekday: wd, Hour: h, Minute: mi}
	return nil
}

// reportFields are the external loop's settings, shown after the others.
var reportFields = []field{
	{env: "FOLLOWUP_BAROMETER", def: "acknowledged_on_time>=90,handled_per_agent_day>=2,satisfaction>=70,recovery_rate>=60,response_rate>=15",
		usage: "the barometer: up to five indicator>=value or indicator<=value rules (percentages in %, satisfaction out of 100), or none; see For managers",
		set:   setBarometer},
	{env: "FOLLOWUP_BAROMETER_WINDOW", def: "168h",
		usage: "how far back the barometer's indicators look (Go duration, 1h to 2160h)",
		set:   durationField(func(c *Config) *time.Duration { return &c.Reports.BarometerWindow }, time.Hour, 90*24*time.Hour)},
	{env: "FOLLOWUP_BAROMETER_MIN_SAMPLE", def: "10",
		usage: "the fewest replies or complaints a barometer rate or mean needs before it can breach (1-10000)",
		set:   intField(func(c *Config) *int { return &c.Reports.BarometerMinSample }, 1, 10000)},
	{env: "FOLLOWUP_REPORT_SCHEDULE", def: "mon 07:00",
		usage: "when the weekly report on the previous ISO week is emailed to managers: weekday and time (mon 07:00), or off",
		set:   setWeeklySchedule},
	{env: "FOLLOWUP_REPORT_LOCALE", def: "en",
		usage: "the language of the weekly report and the barometer's alerts: en or fr",
		set: func(c *Config, raw string) error {
			if raw != "en" && raw != "fr" {
				return expectError("en or fr")
			}
			c.Reports.Locale = raw
			return nil
		}},
	{env: "FOLLOWUP_REPORT_TIME_ZONE", def: "UTC",
		usage: "the IANA time zone where report days and weeks begin (Europe/Paris, America/Montreal)",
		set: func(c *Config, raw string) error {
			loc, err := time.LoadLocation(raw)
			if err != nil || strings.EqualFold(raw, "local") {
				return expectError("an IANA time zone such as UTC, Europe/Paris or America/Montreal")
			}
			c.Reports.TimeZone = loc
			return nil
		}},
}

func init() { fields = append(fields, reportFields...) }
