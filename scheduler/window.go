package scheduler

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// SendWindow is when surveys may reach a customer, in the customer's own
// time zone: from StartHour (inclusive) to EndHour (exclusive), on Weekdays.
type SendWindow struct {
	StartHour int            `json:"start_hour"`
	EndHour   int            `json:"end_hour"`
	Weekdays  []time.Weekday `json:"-"`
}

// DefaultWindow is 9:00–19:00, Monday to Saturday.
func DefaultWindow() SendWindow {
	return SendWindow{StartHour: 9, EndHour: 19, Weekdays: []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}}
}

// Validate says what is wrong with the window, if anything (the first
// of its Problems).
func (w SendWindow) Validate() error {
	if p := w.Problems(); len(p) > 0 {
		return errors.New(p[0])
	}
	return nil
}

// Problems says everything wrong with the window: its hours and its days
// apart. A window is within one day: one that opens later than it closes
// (20 to 8) is refused rather than read as overnight, since a survey that
// arrives at night is the intrusion the window exists to prevent.
func (w SendWindow) Problems() []string {
	var out []string
	hoursOK := true
	if w.StartHour < 0 || w.StartHour > 23 {
		out = append(out, fmt.Sprintf("the opening hour %d must be between 0 and 23", w.StartHour))
		hoursOK = false
	}
	if w.EndHour < 1 || w.EndHour > 24 {
		out = append(out, fmt.Sprintf("the closing hour %d must be between 1 and 24", w.EndHour))
		hoursOK = false
	}
	if hoursOK && w.StartHour >= w.EndHour {
		out = append(out, fmt.Sprintf("no allowed hour: the window opens at %d:00 and closes at %d:00; "+
			"it runs within one day (surveys are not sent overnight), so the closing hour comes after the opening hour, such as 9 to 19",
			w.StartHour, w.EndHour))
	}
	if len(w.Weekdays) == 0 {
		out = append(out, "no allowed day: pick at least one weekday")
	}
	for _, d := range w.Weekdays {
		if d < time.Sunday || d > time.Saturday {
			out = append(out, fmt.Sprintf("weekday %d does not exist", d))
			break
		}
	}
	return out
}

// Allows reports whether t falls inside the window, in loc.
func (w SendWindow) Allows(t time.Time, loc *time.Location) bool {
	lt := t.In(loc)
	h := lt.Hour()
	return slices.Contains(w.Weekdays, lt.Weekday()) && h >= w.StartHour && h < w.EndHour
}

// Next returns the first moment at or after t inside the window, in loc: t
// itself when allowed, else the next opening. Opening hours are wall-clock
// hours, so they hold across daylight-saving changes; an opening hour that a
// spring-forward skips opens at the first instant after the gap.
func (w SendWindow) Next(t time.Time, loc *time.Location) time.Time {
	if w.Allows(t, loc) {
		return t
	}
	lt := t.In(loc)
	for i := 0; i <= 7; i++ {
		day := time.Date(lt.Year(), lt.Month(), lt.Day()+i, 12, 0, 0, 0, loc) // noon: never in a DST gap
		if !slices.Contains(w.Weekdays, day.Weekday()) {
			continue
		}
		open := time.Date(day.Year(), day.Month(), day.Day(), w.StartHour, 0, 0, 0, loc)
		if open.In(loc).Hour() != w.StartHour {
			open = time.Date(day.Year(), day.Month(), day.Day(), w.StartHour+1, 0, 0, 0, loc)
		}
		closing := time.Date(day.Year(), day.Month(), day.Day(), w.EndHour, 0, 0, 0, loc)
		switch {
		case !t.Before(closing):
			continue // today's window has passed
		case t.Before(open):
			return open
		default:
			return t
		}
	}
	return t // unreachable with a valid window: some weekday within 8 days is allowed
}

// WeekdayNumbers returns the weekdays as ISO numbers (Monday 1 … Sunday 7).
func (w SendWindow) WeekdayNumbers() []int {
	out := make([]int, 0, len(w.Weekdays))
	for _, d := range w.Weekdays {
		n := int(d)
		if d == time.Sunday {
			n = 7
		}
		out = append(out, n)
	}
	sort.Ints(out)
	return out
}

// WeekdaysFromNumbers reads ISO weekday numbers (Monday 1 … Sunday 7).
func WeekdaysFromNumbers(nums []int) ([]time.Weekday, error) {
	out := make([]time.Weekday, 0, len(nums))
	for _, n := range nums {
		if n < 1 || n > 7 {
			return nil, fmt.Errorf("weekday %d must be between 1 (Monday) and 7 (Sunday)", n)
		}
		d := time.Weekday(n % 7)
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out, nil
}

// String describes the window for people: "9:00–19:00 Mon–Sat".
func (w SendWindow) String() string {
	names := []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	var days []string
	for _, n := range w.WeekdayNumbers() {
		days = append(days, names[n%7])
	}
	return fmt.Sprintf("%d:00–%d:00 %s", w.StartHour, w.EndHour, strings.Join(days, ","))
}
