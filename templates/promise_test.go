package templates_test

import (
	"testing"
	"time"

	"github.com/followup/followup/templates"
)

func TestFormatPromise(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	montreal, _ := time.LoadLocation("America/Toronto")
	now := time.Date(2026, 12, 3, 17, 0, 0, 0, paris) // a Thursday
	for _, tc := range []struct {
		name   string
		due    time.Time
		loc    *time.Location
		fr, en string
	}{
		{"today", time.Date(2026, 12, 3, 17, 30, 0, 0, paris), paris, "aujourd'hui avant 17 h 30", "by 17:30 today"},
		{"tomorrow", time.Date(2026, 12, 4, 11, 0, 0, 0, paris), paris, "demain avant 11 h", "by 11:00 tomorrow"},
		{"within the week", time.Date(2026, 12, 7, 13, 0, 0, 0, paris), paris, "lundi avant 13 h", "by 13:00 on Monday"},
		{"beyond", time.Date(2026, 12, 14, 9, 15, 0, 0, paris), paris, "le lundi 14 décembre avant 9 h 15", "by 09:15 on Monday 14 December"},
		{"the first of the month", time.Date(2027, 1, 1, 10, 0, 0, 0, paris), paris, "le vendredi 1er janvier avant 10 h", "by 10:00 on Friday 1 January"},
		// Friday 11:00 in Paris is 05:00 in Montréal, still Friday; from
		// Thursday 11:00 there, it is tomorrow.
		{"in the customer's zone", time.Date(2026, 12, 4, 11, 0, 0, 0, paris), montreal, "demain avant 5 h", "by 05:00 tomorrow"},
		// 00:30 in Paris on Friday is still Thursday 18:30 in Montréal.
		{"the customer's day", time.Date(2026, 12, 4, 0, 30, 0, 0, paris), montreal, "aujourd'hui avant 18 h 30", "by 18:30 today"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := templates.FormatPromise("fr", tc.due, now, tc.loc); got != tc.fr {
				t.Errorf("fr: %q, want %q", got, tc.fr)
			}
			if got := templates.FormatPromise("en", tc.due, now, tc.loc); got != tc.en {
				t.Errorf("en: %q, want %q", got, tc.en)
			}
		})
	}
}
