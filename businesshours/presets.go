package businesshours

import (
	"fmt"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/aa"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/fr"
)

// Québec's own holidays: la fête nationale on 24 June (the 25th when it
// falls on a Sunday) and Canada Day moved to 2 July when the 1st is a
// Sunday (Loi sur les normes du travail, art. 60 and Loi sur la fête
// nationale).
var (
	feteNationale = &cal.Holiday{Name: "Fête nationale du Québec", Type: cal.ObservancePublic,
		Month: time.June, Day: 24, Func: cal.CalcDayOfMonth, Observed: []cal.AltDay{{Day: time.Sunday, Offset: 1}}}
	feteDuCanada = &cal.Holiday{Name: "Fête du Canada", Type: cal.ObservancePublic,
		Month: time.July, Day: 1, Func: cal.CalcDayOfMonth, Observed: []cal.AltDay{{Day: time.Sunday, Offset: 1}}}
	patriotes = ca.VictoriaDay.Clone(&cal.Holiday{Name: "Journée nationale des patriotes"})
	noelQC    = aa.ChristmasDay.Clone(&cal.Holiday{Name: "Noël", Type: cal.ObservancePublic})
	jourDeLAn = aa.NewYear.Clone(&cal.Holiday{Name: "Jour de l'An", Type: cal.ObservancePublic})
)

// QuebecHolidays are Québec's statutory holidays (Good Friday stands for
// the employer's choice of Good Friday or Easter Monday).
var QuebecHolidays = []*cal.Holiday{jourDeLAn, ca.GoodFriday, patriotes, feteNationale, feteDuCanada,
	ca.LabourDay, ca.ThanksgivingDay, noelQC}

// weekdays opens Monday to Friday with the same spans.
func weekdays(spans ...Span) [7][]Span {
	var w [7][]Span
	for d := time.Monday; d <= time.Friday; d++ {
		w[d] = spans
	}
	return w
}

// Presets are the calendars to pick from, by name: France (Paris,
// Monday to Friday 09:00–18:00, French public holidays) and Québec
// (Montréal, Monday to Friday 09:00–17:00, Québec's statutory holidays).
func Presets() map[string]*Calendar {
	return map[string]*Calendar{
		"fr": {Name: "fr", Zone: mustZone("Europe/Paris"), Week: weekdays(Span{9 * time.Hour, 18 * time.Hour}), Holidays: fr.Holidays},
		"qc": {Name: "qc", Zone: mustZone("America/Toronto"), Week: weekdays(Span{9 * time.Hour, 17 * time.Hour}), Holidays: QuebecHolidays},
	}
}

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(fmt.Sprintf("businesshours: zone %s: %v", name, err))
	}
	return loc
}

// SpecHelp describes what Parse reads.
const SpecHelp = `"fr" or "qc" (a preset), "none" (wall-clock time), or a preset with changes: "fr;hours=mon-fri 08:30-12:30 13:30-17:30,sat 09:00-12:00;closed=2026-12-24 2026-12-31;zone=Europe/Paris"`

var dayNames = map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}

// Parse reads a calendar setting (see SpecHelp). "none" returns nil: time
// is counted on the wall clock.
func Parse(spec string) (*Calendar, error) {
	parts := strings.Split(strings.TrimSpace(spec), ";")
	name := strings.ToLower(strings.TrimSpace(parts[0]))
	if name == "none" && len(parts) == 1 {
		return nil, nil
	}
	c, ok := Presets()[name]
	if !ok {
		return nil, fmt.Errorf("calendar %q: want %s", spec, SpecHelp)
	}
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		v = strings.TrimSpace(v)
		var err error
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "hours":
			c.Week, err = parseWeek(v)
		case "closed":
			c.Closed, err = parseDates(v)
		case "zone":
			c.Zone, err = time.LoadLocation(v)
		default:
			ok = false
		}
		if !ok || err != nil {
			return nil, fmt.Errorf("calendar %q: %q: want %s", spec, p, SpecHelp)
		}
	}
	return c, nil
}

// parseWeek reads "mon-fri 09:00-12:00 14:00-18:00,sat 09:00-12:00".
func parseWeek(s string) ([7][]Span, error) {
	var w [7][]Span
	for _, group := range strings.Split(s, ",") {
		fields := strings.Fields(group)
		if len(fields) < 2 {
			return w, fmt.Errorf("hours %q", group)
		}
		lo, hi, _ := strings.Cut(strings.ToLower(fields[0]), "-")
		if hi == "" {
			hi = lo
		}
		from, ok1 := dayNames[lo]
		to, ok2 := dayNames[hi]
		if !ok1 || !ok2 || to < from {
			return w, fmt.Errorf("days %q", fields[0])
		}
		var spans []Span
		for _, f := range fields[1:] {
			a, b, _ := strings.Cut(f, "-")
			open, err1 := parseClock(a)
			cls, err2 := parseClock(b)
			if err1 != nil || err2 != nil || cls <= open || (len(spans) > 0 && open < spans[len(spans)-1].Close) {
				return w, fmt.Errorf("span %q", f)
			}
			spans = append(spans, Span{open, cls})
		}
		for d := from; d <= to; d++ {
			w[d] = spans
		}
	}
	return w, nil
}

func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		if s == "24:00" {
			return 24 * time.Hour, nil
		}
		return 0, err
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

func parseDates(s string) ([]Date, error) {
	var out []Date
	for _, f := range strings.Fields(s) {
		t, err := time.Parse("2006-01-02", f)
		if err != nil {
			return nil, err
		}
		out = append(out, dateOf(t))
	}
	return out, nil
}

// String writes the calendar back as a setting.
func (c *Calendar) String() string {
	if c == nil {
		return "none"
	}
	var groups []string
	for d := time.Sunday; d <= time.Saturday; d++ {
		if len(c.Week[d]) == 0 {
			continue
		}
		var s []string
		for _, sp := range c.Week[d] {
			s = append(s, sp.String())
		}
		groups = append(groups, fmt.Sprintf("%s %s", strings.ToLower(d.String()[:3]), strings.Join(s, " ")))
	}
	out := fmt.Sprintf("%s;hours=%s;zone=%s", c.Name, strings.Join(groups, ","), c.Zone)
	if len(c.Closed) > 0 {
		var ds []string
		for _, d := range c.Closed {
			ds = append(ds, d.String())
		}
		out += ";closed=" + strings.Join(ds, " ")
	}
	return out
}
