package templates

import (
	"fmt"
	"strings"
	"time"

	"github.com/followup/followup/reports"
	"github.com/followup/followup/surveys"
)

// Page functions that take the page's locale first, for the staff pages
// in French and English: {{percentIn $.Locale .Rate}}.
func init() {
	htmlFuncs["percentIn"] = Percent
	htmlFuncs["join"] = func(vals any, sep string) string {
		var parts []string
		switch v := vals.(type) {
		case []string:
			parts = v
		case []surveys.Risk:
			for _, r := range v {
				parts = append(parts, string(r))
			}
		}
		return strings.Join(parts, sep)
	}
	htmlFuncs["numberIn"] = Number
	htmlFuncs["moneyIn"] = MoneyIn
	htmlFuncs["dateIn"] = FormatDate
	htmlFuncs["dateTimeIn"] = ShortDateTime
	htmlFuncs["scoreIn"] = func(locale string, v *float64) string {
		if v == nil {
			return "–"
		}
		return Number(locale, *v, 1)
	}
	htmlFuncs["shareIn"] = func(locale string, v *float64) string {
		if v == nil {
			return "–"
		}
		return Percent(locale, *v)
	}
	htmlFuncs["riskLabelIn"] = func(locale string, r surveys.Risk) string { return RiskLabel(locale, r) }
	htmlFuncs["causeLabelIn"] = func(locale string, c reports.Cause) string { return CauseLabel(locale, c) }
	htmlFuncs["dimensionLabelIn"] = func(locale, d string) string { return T(locale, "dimension."+d) }
	htmlFuncs["indicatorValueIn"] = func(locale string, v any, unit string) string {
		switch x := v.(type) {
		case float64:
			return IndicatorValue(locale, x, unit)
		case *float64:
			if x != nil {
				return IndicatorValue(locale, *x, unit)
			}
		}
		return "–"
	}
}

// MoneyIn writes an amount in cents as people of locale read it: 25.50,
// 25,50.
func MoneyIn(locale string, cents int64) string {
	s := Money(cents)
	if locale == "fr" {
		return Number(locale, float64(cents)/100, 2)
	}
	return s
}

var shortDays = map[string][]string{
	"en": {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
	"fr": {"dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."},
}

var shortMonths = map[string][]string{
	"en": {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	"fr": {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
}

// SendWindow describes a send window as people of locale read it, from
// its hours and its ISO weekday numbers (1 Monday … 7 Sunday):
// "9:00–19:00 Mon,Tue", "9 h–19 h lun.,mar.".
func SendWindow(locale string, startHour, endHour int, weekdays []int) string {
	names := shortDays["en"]
	if locale == "fr" {
		names = shortDays["fr"]
	}
	days := make([]string, len(weekdays))
	for i, n := range weekdays {
		days[i] = names[n%7]
	}
	if locale == "fr" {
		return fmt.Sprintf("%d h–%d h %s", startHour, endHour, strings.Join(days, ", "))
	}
	return fmt.Sprintf("%d:00–%d:00 %s", startHour, endHour, strings.Join(days, ","))
}

// ShortDateTime writes a moment briefly, as the staff pages show it, in
// the time t carries: "Mon 23 Nov 2026 10:00 CET", "lun. 23 nov. 2026
// 10:00 CET".
func ShortDateTime(locale string, t time.Time) string {
	if locale != "fr" {
		return t.Format("Mon 2 Jan 2006 15:04 MST")
	}
	return fmt.Sprintf("%s %d %s %d %s", shortDays["fr"][t.Weekday()], t.Day(), shortMonths["fr"][t.Month()-1], t.Year(), t.Format("15:04 MST"))
}
