package reports

import (
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/followup/followup/invalid"
)

// Grain is the length of the periods a trend is cut into.
type Grain string

// Grains of a trend.
const (
	Day   Grain = "day"
	Week  Grain = "week" // ISO weeks, Monday to Sunday
	Month Grain = "month"
)

// Grains lists the grains, shortest first.
var Grains = []Grain{Day, Week, Month}

// maxPeriods bounds a trend, so a typo in a date does not ask for a
// century of days.
var maxPeriods = map[Grain]int{Day: 400, Week: 260, Month: 120}

// Split is a way to cut replies and complaints: by where, how, by whom the
// customer was served, by campaign, by customer segment.
type Split string

// Splits of replies and complaints.
const (
	ByTouchpoint Split = "touchpoint"
	ByChannel    Split = "channel"
	ByTeam       Split = "team"
	ByCampaign   Split = "campaign"
	BySegment    Split = "segment"
)

// Splits lists every split, in the order pages show them.
var Splits = []Split{ByTouchpoint, ByChannel, ByTeam, ByCampaign, BySegment}

// Valid reports whether g is a known grain.
func (g Grain) Valid() bool { return slices.Contains(Grains, g) }

// Valid reports whether s is a known split.
func (s Split) Valid() bool { return slices.Contains(Splits, s) }

// Query says which replies and complaints a figure covers: those of
// [From, To), cut into periods of Grain in Location, and, for each split
// named in Filters, only those whose value is the one given (an empty
// value matches replies without one, such as replies to surveys sent to an
// audience rather than after a service event).
type Query struct {
	From, To time.Time
	Grain    Grain
	Location *time.Location
	Filters  map[Split]string
}

// ErrNotFound is something asked for by id that does not exist.
var ErrNotFound = errors.New("not found")

// Validate checks q and fills its defaults (week grain, UTC).
func (q *Query) Validate() error {
	if q.Grain == "" {
		q.Grain = Week
	}
	if q.Location == nil {
		q.Location = time.UTC
	}
	if !q.Grain.Valid() {
		return invalid.Field("grain", "must be day, week or month")
	}
	if q.From.IsZero() || q.To.IsZero() {
		return invalid.Field("from", "both from and to are needed")
	}
	if !q.From.Before(q.To) {
		return invalid.Field("to", "must come after from")
	}
	if n := len(Periods(q.From, q.To, q.Grain, q.Location)); n > maxPeriods[q.Grain] {
		return invalid.Field("from", fmt.Sprintf("%d %ss is too many for one trend: at most %d (choose a longer grain)", n, q.Grain, maxPeriods[q.Grain]))
	}
	for s, v := range q.Filters {
		if !s.Valid() {
			return invalid.Field(string(s), "is not a split (touchpoint, channel, team, campaign, segment)")
		}
		if utf8.RuneCountInString(v) > 200 {
			return invalid.Field(string(s), "must be at most 200 characters")
		}
	}
	return nil
}

// params are the named parameters every aggregation shares.
func (q Query) params() map[string]any {
	p := map[string]any{"from": q.From, "to": q.To, "grain": string(q.Grain), "tz": q.Location.String()}
	for _, s := range Splits {
		var v *string
		if val, ok := q.Filters[s]; ok {
			v = &val
		}
		p["f_"+string(s)] = v
	}
	return p
}

// filterSQL keeps the rows of a relation (with one column per split) that
// match the query's filters.
const filterSQL = `(CAST(:f_touchpoint AS text) IS NULL OR touchpoint = :f_touchpoint)
  AND (CAST(:f_channel AS text) IS NULL OR channel = :f_channel)
  AND (CAST(:f_team AS text) IS NULL OR team = :f_team)
  AND (CAST(:f_campaign AS text) IS NULL OR campaign = :f_campaign)
  AND (CAST(:f_segment AS text) IS NULL OR segment = :f_segment)`

// Periods returns the starts of the periods of grain g that [from, to)
// touches, in loc: days and months start at midnight, weeks on Monday.
func Periods(from, to time.Time, g Grain, loc *time.Location) []time.Time {
	var out []time.Time
	if !from.Before(to) {
		return out
	}
	for p := PeriodStart(from, g, loc); p.Before(to); p = next(p, g) {
		out = append(out, p)
		if len(out) > 10000 {
			break
		}
	}
	return out
}

// PeriodStart returns the start of the period of grain g holding t, in loc.
func PeriodStart(t time.Time, g Grain, loc *time.Location) time.Time {
	t = t.In(loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	switch g {
	case Week:
		wd := (int(day.Weekday()) + 6) % 7 // Monday 0
		return day.AddDate(0, 0, -wd)
	case Month:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	}
	return day
}

func next(p time.Time, g Grain) time.Time {
	switch g {
	case Week:
		return p.AddDate(0, 0, 7)
	case Month:
		return p.AddDate(0, 1, 0)
	}
	return p.AddDate(0, 0, 1)
}

// PeriodLabel names the period of grain g starting at start: 2026-11-02,
// 2026-W45, 2026-11.
func PeriodLabel(start time.Time, g Grain) string {
	switch g {
	case Week:
		y, w := start.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case Month:
		return start.Format("2006-01")
	}
	return start.Format("2006-01-02")
}

// parseDay reads a YYYY-MM-DD date as midnight in loc.
func parseDay(s string, loc *time.Location) (time.Time, error) {
	return time.ParseInLocation("2006-01-02", s, loc)
}
