package templates

import (
	"fmt"
	"time"
)

var weekdays = map[string][7]string{
	"fr": {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
}

// FormatPromise says by when the customer will be contacted, the way a
// person would, in their zone and language, seen from now: "demain avant
// 11 h", "by 11:00 tomorrow"; "aujourd'hui avant 15 h 30", "by 15:30
// today"; "lundi avant 13 h", "by 13:00 on Monday" within the week; "le
// lundi 14 décembre avant 13 h", "by 13:00 on Monday 14 December" beyond.
// The due time comes from the team's business hours, so it is always an
// hour people work.
func FormatPromise(locale string, due, now time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	due, now = due.In(loc), now.In(loc)
	y, m, d := now.Date()
	dy, dm, dd := due.Date()
	days := int(time.Date(dy, dm, dd, 12, 0, 0, 0, time.UTC).Sub(time.Date(y, m, d, 12, 0, 0, 0, time.UTC)).Hours() / 24)
	if locale == "fr" {
		at := fmt.Sprintf("avant %d h", due.Hour())
		if due.Minute() != 0 {
			at = fmt.Sprintf("avant %d h %02d", due.Hour(), due.Minute())
		}
		switch {
		case days <= 0:
			return "aujourd'hui " + at
		case days == 1:
			return "demain " + at
		case days < 7:
			return weekdays["fr"][due.Weekday()] + " " + at
		}
		day := fmt.Sprint(dd)
		if dd == 1 {
			day = "1er"
		}
		return fmt.Sprintf("le %s %s %s %s", weekdays["fr"][due.Weekday()], day, months["fr"][dm-1], at)
	}
	by := "by " + due.Format("15:04")
	switch {
	case days <= 0:
		return by + " today"
	case days == 1:
		return by + " tomorrow"
	case days < 7:
		return by + " on " + weekdays["en"][due.Weekday()]
	}
	return fmt.Sprintf("%s on %s %d %s", by, weekdays["en"][due.Weekday()], dd, months["en"][dm-1])
}
