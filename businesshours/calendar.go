// Package businesshours counts time the way a team works: opening hours
// per weekday, public holidays and a time zone. Deadlines, warnings and
// promises made to customers are business time, never raw wall-clock
// hours: a 4-hour deadline opened on Friday at 17:00 in Paris falls on
// Monday at 12:00, and a promise never falls in the middle of the night.
//
// A Calendar is a pure value: no clock, no storage. Its arithmetic is
// done in the calendar's zone, so a day's opening hours stay 09:00 to
// 18:00 on both sides of a change to or from summer time.
package businesshours

import (
	"fmt"
	"slices"
	"time"

	"github.com/rickar/cal/v2"
)

// Span is one stretch of opening hours in a day, as clock times from
// local midnight: {9 * time.Hour, 12*time.Hour + 30*time.Minute}.
type Span struct {
	Open, Close time.Duration
}

func (s Span) String() string { return clock(s.Open) + "-" + clock(s.Close) }

func clock(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// Date is a day of the calendar, without a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

func dateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Calendar is a team's working time: its zone, opening hours per weekday
// and the days it is closed (public holidays and dated closures).
type Calendar struct {
	// Name identifies the calendar in settings ("fr", "qc").
	Name string
	// Zone is where the opening hours are read.
	Zone *time.Location
	// Week holds the opening hours per weekday (index time.Sunday to
	// time.Saturday), in order and not overlapping; none is closed.
	Week [7][]Span
	// Holidays are the public holidays, by rule (rickar/cal/v2).
	Holidays []*cal.Holiday
	// Closed are further dated closures (a bridge day, a team event).
	Closed []Date
}

// horizon bounds the search for an opening: a calendar closed for longer
// (or never open) counts wall-clock time instead.
const horizon = 400

// Open reports whether the calendar has any opening hours at all.
func (c *Calendar) Open() bool {
	if c == nil {
		return false
	}
	for _, d := range c.Week {
		if len(d) > 0 {
			return true
		}
	}
	return false
}

// IsHoliday reports whether the day d is a public holiday or a dated
// closure.
func (c *Calendar) IsHoliday(d Date) bool {
	if slices.Contains(c.Closed, d) {
		return true
	}
	t := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	for _, h := range c.Holidays {
		actual, observed := h.Calc(d.Year)
		if sameDay(actual, t) || sameDay(observed, t) {
			return true
		}
	}
	return false
}

func sameDay(a, b time.Time) bool {
	if a.IsZero() {
		return false
	}
	return dateOf(a) == dateOf(b)
}

// HolidaysIn lists the days of year the calendar is closed for a holiday
// or a dated closure, in order: the dated list a team checks.
func (c *Calendar) HolidaysIn(year int) []Date {
	var out []Date
	for d := time.Date(year, 1, 1, 12, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
		if c.IsHoliday(dateOf(d)) {
			out = append(out, dateOf(d))
		}
	}
	return out
}

// interval is one opening, in absolute time.
type interval struct{ from, to time.Time }

// day returns the openings of the local day that starts at midnight m.
func (c *Calendar) day(m time.Time) []interval {
	spans := c.Week[m.Weekday()]
	if len(spans) == 0 || c.IsHoliday(dateOf(m)) {
		return nil
	}
	y, mo, d := m.Date()
	out := make([]interval, 0, len(spans))
	for _, s := range spans {
		out = append(out, interval{at(y, mo, d, s.Open, c.Zone), at(y, mo, d, s.Close, c.Zone)})
	}
	return out
}

// at is the clock time off on a local day: the wall clock, so 09:00 is
// 09:00 in summer and in winter.
func at(y int, m time.Month, d int, off time.Duration, loc *time.Location) time.Time {
	return time.Date(y, m, d, int(off/time.Hour), int(off%time.Hour/time.Minute), 0, 0, loc)
}

// midnight is the start of t's local day in the calendar's zone.
func (c *Calendar) midnight(t time.Time) time.Time {
	y, m, d := t.In(c.Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.Zone)
}

// openings calls fn with every opening that ends after t, in order, until
// fn returns false or the horizon is reached.
func (c *Calendar) openings(t time.Time, fn func(interval) bool) {
	m := c.midnight(t)
	for i := 0; i < horizon; i++ {
		for _, iv := range c.day(m) {
			if iv.to.After(t) && !fn(iv) {
				return
			}
		}
		y, mo, d := m.Date()
		m = time.Date(y, mo, d+1, 0, 0, 0, 0, c.Zone)
	}
}

// NextOpen returns t if the calendar is open at t, otherwise the next
// opening. A calendar with no opening hours returns t.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if !c.Open() {
		return t
	}
	out := t
	c.openings(t, func(iv interval) bool {
		if iv.from.After(t) {
			out = iv.from
		}
		return false
	})
	return out.In(t.Location())
}

// Add returns the instant d of business time after start: the time
// counts only while the calendar is open. A positive d always ends inside
// opening hours (at a closing time at the latest, never at the next
// opening); d <= 0 returns start. A calendar with no opening hours counts
// wall-clock time.
func (c *Calendar) Add(start time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return start
	}
	if !c.Open() {
		return start.Add(d)
	}
	left, out, done := d, start, false
	c.openings(start, func(iv interval) bool {
		from := iv.from
		if start.After(from) {
			from = start
		}
		if span := iv.to.Sub(from); span >= left {
			out, done = from.Add(left), true
			return false
		} else {
			left -= span
		}
		return true
	})
	if !done {
		return start.Add(d)
	}
	return out.In(start.Location())
}

// Between returns the business time from a to b: negative when b is
// before a. A calendar with no opening hours returns b - a.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !c.Open() {
		return b.Sub(a)
	}
	if b.Before(a) {
		return -c.Between(b, a)
	}
	var sum time.Duration
	c.openings(a, func(iv interval) bool {
		if !iv.from.Before(b) {
			return false
		}
		from, to := iv.from, iv.to
		if a.After(from) {
			from = a
		}
		if b.Before(to) {
			to = b
		}
		sum += to.Sub(from)
		return true
	})
	return sum
}
