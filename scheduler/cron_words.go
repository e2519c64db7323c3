package scheduler

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/followup/followup/invalid"
)

const starBit = 1 << 63 // robfig/cron marks a field written * or ? with it

// cronWords holds one language's words for ExplainCron.
type cronWords struct {
	days, months                     []string // Sunday first; January first
	everyDay, everyMinute, onTheHour string
	everyN                           string // "every %d minutes"
	everyHourAt                      string // "every hour at minute %d"
	everyNHours                      string // "every %d hours from %s"
	everyHourFrom                    string // "every hour from %s to %s"
	atMinutes                        string // "at minutes %s of %s"
	everyHour, hoursOf               string
	at                               string // "at %s"
	and, or, to                      string
	everyWeekday                     string // "every %s"
	everyRange                       string // "every %s" for one run of days
	monthDay, monthDays              string // "on day %s of every month"
	yearDay                          string // "every year on %s %s"
	inMonths                         string // "%s in %s"
	every                            string // "every %s" (a @every delay)
	clock                            func(h, m int) string
	ordinal                          func(d int) string
	hours, minutes                   func(n int) string
	weekdayRange                     func(from, to string) string
}

var cronLangs = map[string]cronWords{
	"en": {
		days:     []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
		months:   []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		everyDay: "every day", everyMinute: "every minute", onTheHour: "every hour, on the hour",
		everyN: "every %d minutes", everyHourAt: "every hour at minute %d", everyNHours: "every %d hours from %s",
		everyHourFrom: "every hour from %s to %s", atMinutes: "at minutes %s of %s", everyHour: "every hour", hoursOf: "hours %s",
		at: "at %s", and: " and ", or: " or ", to: " to ",
		everyWeekday: "every %s", everyRange: "every %s", monthDay: "on day %s of every month", monthDays: "on days %s of every month",
		yearDay: "every year on %s %s", inMonths: "%s in %s", every: "every %s (counted from each run)",
		clock:   func(h, m int) string { return fmt.Sprintf("%02d:%02d", h, m) },
		ordinal: strconv.Itoa,
		hours: func(n int) string {
			if n == 1 {
				return "1 hour"
			}
			return fmt.Sprintf("%d hours", n)
		},
		minutes: func(n int) string {
			if n == 1 {
				return "1 minute"
			}
			return fmt.Sprintf("%d minutes", n)
		},
		weekdayRange: func(from, to string) string { return from + " to " + to },
	},
	"fr": {
		days:     []string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
		months:   []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		everyDay: "chaque jour", everyMinute: "chaque minute", onTheHour: "toutes les heures, à l'heure pile",
		everyN: "toutes les %d minutes", everyHourAt: "toutes les heures à la minute %d", everyNHours: "toutes les %d heures à partir de %s",
		everyHourFrom: "toutes les heures de %s à %s", atMinutes: "aux minutes %s %s", everyHour: "de chaque heure", hoursOf: "des heures %s",
		at: "à %s", and: " et ", or: " ou ", to: " à ",
		everyWeekday: "chaque %s", everyRange: "%s", monthDay: "le %s de chaque mois", monthDays: "les %s de chaque mois",
		yearDay: "chaque année le %s %s", inMonths: "%s en %s", every: "toutes les %s (à compter de chaque envoi)",
		clock: func(h, m int) string { return fmt.Sprintf("%02d h %02d", h, m) },
		ordinal: func(d int) string {
			if d == 1 {
				return "1er"
			}
			return strconv.Itoa(d)
		},
		hours: func(n int) string {
			if n == 1 {
				return "1 heure"
			}
			return fmt.Sprintf("%d heures", n)
		},
		minutes:      func(n int) string { return fmt.Sprintf("%d minutes", n) },
		weekdayRange: func(from, to string) string { return "du " + from + " au " + to },
	},
}

// ExplainCron says in words when a recurring campaign's cron spec runs, in
// English ("en") or French ("fr"), with the time zone it is read in:
// "every Monday at 09:00, Europe/Paris", "chaque lundi à 09 h 00,
// Europe/Paris". It reads what the campaign's parser accepts (five fields,
// names of days and months, lists, ranges, steps, descriptors such as
// @weekly and @every 2h, a CRON_TZ= prefix, which overrides tz), and
// returns an *invalid.FieldError on trigger.cron or trigger.time_zone when
// the spec or the zone is not one a campaign takes.
func ExplainCron(spec, tz, lang string) (string, error) {
	w, ok := cronLangs[lang]
	if !ok {
		w = cronLangs["en"]
	}
	spec = strings.TrimSpace(spec)
	sched, err := cronParser.Parse(spec)
	if err != nil || spec == "" {
		return "", invalid.Field("trigger.cron", fmt.Sprintf("%q is not a cron schedule such as \"0 10 * * MON\" or @weekly", spec))
	}
	if strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=") {
		tz = strings.TrimPrefix(strings.TrimPrefix(strings.Fields(spec)[0], "CRON_"), "TZ=")
	}
	if tz == "" {
		tz = "UTC"
	}
	if _, err := time.LoadLocation(tz); err != nil || strings.EqualFold(tz, "local") {
		return "", invalid.Field("trigger.time_zone", fmt.Sprintf("%q is not an IANA time zone such as Europe/Paris", tz))
	}
	switch s := sched.(type) {
	case cron.ConstantDelaySchedule:
		return fmt.Sprintf(w.every, w.duration(s.Delay)), nil
	case *cron.SpecSchedule:
		return w.spec(s) + ", " + tz, nil
	}
	return "", invalid.Field("trigger.cron", fmt.Sprintf("%q is not a cron schedule such as \"0 10 * * MON\" or @weekly", spec))
}

func (w cronWords) duration(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h > 0 && m > 0:
		return w.hours(h) + " " + w.minutes(m)
	case h > 0:
		return w.hours(h)
	}
	return w.minutes(max(m, 1))
}

// bits lists the values set in a field's bitset, from lo to hi.
func bits(set uint64, lo, hi int) []int {
	var out []int
	for i := lo; i <= hi; i++ {
		if set&(1<<uint(i)) != 0 {
			out = append(out, i)
		}
	}
	return out
}

// step returns n when vals are 0, n, 2n, … up to hi (n > 1), else 0.
func step(vals []int, hi int) int {
	if len(vals) < 2 || vals[0] != 0 {
		return 0
	}
	n := vals[1]
	for i, v := range vals {
		if v != i*n {
			return 0
		}
	}
	if vals[len(vals)-1]+n <= hi {
		return 0
	}
	return n
}

// list joins words: "a", "a and b", "a, b and c".
func (w cronWords) list(words []string, last string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + last + words[len(words)-1]
}

// runs writes values as a list where three or more in a row are a range.
func (w cronWords) runs(vals []int, name func(int) string, rng func(a, b string) string) string {
	var parts []string
	for i := 0; i < len(vals); {
		j := i
		for j+1 < len(vals) && vals[j+1] == vals[j]+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, rng(name(vals[i]), name(vals[j])))
		} else {
			for k := i; k <= j; k++ {
				parts = append(parts, name(vals[k]))
			}
		}
		i = j + 1
	}
	return w.list(parts, w.and)
}

func (w cronWords) spec(s *cron.SpecSchedule) string {
	minutes, hours := bits(s.Minute, 0, 59), bits(s.Hour, 0, 23)
	var when string
	freq := true // a frequency, said without "every day"
	switch {
	case len(minutes)*len(hours) <= 6:
		var times []string
		for _, h := range hours {
			for _, m := range minutes {
				times = append(times, w.clock(h, m))
			}
		}
		when, freq = fmt.Sprintf(w.at, w.list(times, w.and)), false
	case len(minutes) == 60 && len(hours) == 24:
		when = w.everyMinute
	case step(minutes, 59) > 0 && len(hours) == 24:
		when = fmt.Sprintf(w.everyN, step(minutes, 59))
	case len(minutes) == 1 && len(hours) == 24 && minutes[0] == 0:
		when = w.onTheHour
	case len(minutes) == 1 && len(hours) == 24:
		when = fmt.Sprintf(w.everyHourAt, minutes[0])
	case len(minutes) == 1 && step(hours, 23) > 0:
		when = fmt.Sprintf(w.everyNHours, step(hours, 23), w.clock(0, minutes[0]))
	case len(minutes) == 1 && hours[len(hours)-1]-hours[0] == len(hours)-1:
		freq = false
		when = fmt.Sprintf(w.everyHourFrom, w.clock(hours[0], minutes[0]), w.clock(hours[len(hours)-1], minutes[0]))
	default:
		ms := make([]string, len(minutes))
		for i, m := range minutes {
			ms[i] = strconv.Itoa(m)
		}
		of := w.everyHour
		if len(hours) < 24 {
			of = fmt.Sprintf(w.hoursOf, w.runs(hours, strconv.Itoa, func(a, b string) string { return a + "–" + b }))
		}
		when, freq = fmt.Sprintf(w.atMinutes, w.list(ms, w.and), of), len(hours) == 24
	}
	days := w.dayPhrase(s)
	if freq && days == w.everyDay {
		return when
	}
	return days + " " + when
}

// dayPhrase says on which days the schedule runs.
func (w cronWords) dayPhrase(s *cron.SpecSchedule) string {
	doms, months := bits(s.Dom, 1, 31), bits(s.Month, 1, 12)
	// Monday first, as people list a week.
	var dows []int
	for _, d := range bits(s.Dow, 0, 6) {
		dows = append(dows, (d+6)%7)
	}
	slices.Sort(dows)
	dayName := func(i int) string { return w.days[(i+1)%7] }
	monthName := func(i int) string { return w.months[i-1] }
	domStar, dowStar := s.Dom&starBit != 0 || len(doms) == 31, s.Dow&starBit != 0 || len(dows) == 7
	allMonths := len(months) == 12
	weekdays := fmt.Sprintf(w.everyWeekday, w.runs(dows, dayName, w.weekdayRange))
	if len(dows) > 2 && dows[len(dows)-1]-dows[0] == len(dows)-1 {
		weekdays = fmt.Sprintf(w.everyRange, w.runs(dows, dayName, w.weekdayRange)) // "du lundi au vendredi"
	}
	ords := make([]string, len(doms))
	for i, d := range doms {
		ords[i] = w.ordinal(d)
	}
	monthDays := fmt.Sprintf(w.monthDay, w.list(ords, w.and))
	if len(doms) > 1 {
		monthDays = fmt.Sprintf(w.monthDays, w.list(ords, w.and))
	}
	var out string
	switch {
	case domStar && dowStar:
		out = w.everyDay
	case domStar:
		out = weekdays
	case dowStar && len(months) == 1 && len(doms) == 1:
		return fmt.Sprintf(w.yearDay, w.ordinal(doms[0]), monthName(months[0]))
	case dowStar:
		out = monthDays
	default:
		out = monthDays + w.or + weekdays
	}
	if !allMonths {
		out = fmt.Sprintf(w.inMonths, out, w.runs(months, monthName, func(a, b string) string { return a + w.to + b }))
	}
	return out
}
