package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/followup/followup/invalid"
)

// ISOWeek names a week Monday to Sunday, as ISO 8601 numbers them.
type ISOWeek struct {
	Year, Week int
}

// WeekOf returns the ISO week holding t in loc.
func WeekOf(t time.Time, loc *time.Location) ISOWeek {
	y, w := t.In(loc).ISOWeek()
	return ISOWeek{y, w}
}

// ParseWeek reads "2026-W45".
func ParseWeek(s string) (ISOWeek, error) {
	var w ISOWeek
	if _, err := fmt.Sscanf(s, "%04d-W%02d", &w.Year, &w.Week); err != nil || len(s) != 8 || !strings.Contains(s, "-W") {
		return w, invalid.Field("week", "must be an ISO week such as 2026-W45")
	}
	if w.Week < 1 || w.Week > 53 || WeekOf(w.Start(time.UTC), time.UTC) != w {
		return w, invalid.Field("week", fmt.Sprintf("%s does not exist", s))
	}
	return w, nil
}

// String writes the week as 2026-W45.
func (w ISOWeek) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Week) }

// Start returns the week's Monday at midnight in loc.
func (w ISOWeek) Start(loc *time.Location) time.Time {
	// January 4th is always in week 1.
	jan4 := time.Date(w.Year, time.January, 4, 0, 0, 0, 0, loc)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(w.Week-1))
}

// End returns the next week's Monday at midnight in loc.
func (w ISOWeek) End(loc *time.Location) time.Time { return w.Start(loc).AddDate(0, 0, 7) }

// Prev returns the week before.
func (w ISOWeek) Prev() ISOWeek { return WeekOf(w.Start(time.UTC).AddDate(0, 0, -7), time.UTC) }

// Schedule is when the weekly report goes out: on Weekday at Hour:Minute
// (in the report's time zone), about the previous ISO week.
type Schedule struct {
	Off          bool
	Weekday      time.Weekday
	Hour, Minute int
}

// DueWeek returns the week whose report is due at now: the week before the
// current one, once the current week's send time has come.
func (sc Schedule) DueWeek(now time.Time, loc *time.Location) (ISOWeek, bool) {
	if sc.Off {
		return ISOWeek{}, false
	}
	cur := WeekOf(now, loc)
	offset := (int(sc.Weekday) + 6) % 7 // days after Monday
	monday := cur.Start(loc)
	sendAt := time.Date(monday.Year(), monday.Month(), monday.Day()+offset, sc.Hour, sc.Minute, 0, 0, loc)
	if now.Before(sendAt) {
		return ISOWeek{}, false
	}
	return cur.Prev(), true
}
