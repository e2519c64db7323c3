package templates

import (
	"fmt"
	"strings"
	"time"
)

var months = map[string][]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
}

// FormatDateTime writes a date and time the way people of locale read it,
// in the time zone loc (UTC when nil), naming the zone.
func FormatDateTime(locale string, t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	zone := loc.String()
	if zone == "Local" || zone == "" {
		zone = t.Format("MST")
	}
	if locale == "fr" {
		return fmt.Sprintf("%s à %d h %02d (%s)", FormatDate(locale, t), t.Hour(), t.Minute(), zone)
	}
	return fmt.Sprintf("%s at %s (%s)", FormatDate(locale, t), t.Format("3:04 PM"), zone)
}

// FormatDate writes a date the way people of locale read it: "December 6,
// 2026", "6 décembre 2026". French writes the first day of a month as an
// ordinal: "1er janvier 2027".
func FormatDate(locale string, t time.Time) string {
	if locale == "fr" {
		day := fmt.Sprint(t.Day())
		if t.Day() == 1 {
			day = "1er"
		}
		return fmt.Sprintf("%s %s %d", day, months["fr"][t.Month()-1], t.Year())
	}
	return fmt.Sprintf("%s %d, %d", months["en"][t.Month()-1], t.Day(), t.Year())
}

// Days writes a number of days with the noun agreeing: "1 day", "2 days";
// in French "0 jour", "1 jour", "2 jours" (French keeps 0 and 1 singular).
func Days(locale string, n int) string {
	if locale == "fr" {
		if n >= -1 && n <= 1 {
			return fmt.Sprintf("%d jour", n)
		}
		return fmt.Sprintf("%d jours", n)
	}
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d day", n)
	}
	return fmt.Sprintf("%d days", n)
}

// BrandHeader is the name the staff pages' header shows: the company's,
// then the product's, unless they are the same name (the default brand is
// "Followup"), which is then said once.
func BrandHeader(brand string) string {
	switch b := strings.TrimSpace(brand); {
	case b == "":
		return "followup"
	case strings.EqualFold(b, "followup"):
		return b
	}
	return brand + " · followup"
}
