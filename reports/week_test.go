package reports_test

import (
	"testing"
	"time"

	"github.com/followup/followup/reports"
)

func TestISOWeeks(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	cases := []struct {
		week       string
		start, end string // Mondays, in Paris
	}{
		{"2026-W01", "2025-12-29", "2026-01-05"}, // week 1 starts in December
		{"2026-W45", "2026-11-02", "2026-11-09"},
		{"2026-W53", "2026-12-28", "2027-01-04"}, // 2026 has 53 weeks
		{"2027-W01", "2027-01-04", "2027-01-11"},
	}
	for _, tc := range cases {
		w, err := reports.ParseWeek(tc.week)
		if err != nil {
			t.Fatalf("%s: %v", tc.week, err)
		}
		if w.String() != tc.week || w.Start(paris).Format("2006-01-02") != tc.start || w.End(paris).Format("2006-01-02") != tc.end {
			t.Errorf("%s: %s, %s to %s", tc.week, w, w.Start(paris), w.End(paris))
		}
		if w.Start(paris).Hour() != 0 || reports.WeekOf(w.Start(paris), paris) != w || reports.WeekOf(w.End(paris).Add(-time.Second), paris) != w {
			t.Errorf("%s: bounds not in the week", tc.week)
		}
	}
	if w, _ := reports.ParseWeek("2027-W01"); w.Prev().String() != "2026-W53" {
		t.Errorf("week before 2027-W01: %s", w.Prev())
	}
	for _, bad := range []string{"2026-45", "2026-W54", "2025-W53", "W45", "2026-W4", "2026-W045"} {
		if _, err := reports.ParseWeek(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestWeeklyScheduleDue(t *testing.T) {
	montreal, _ := time.LoadLocation("America/Montreal")
	monday7 := reports.Schedule{Weekday: time.Monday, Hour: 7}
	friday := reports.Schedule{Weekday: time.Friday, Hour: 17, Minute: 30}
	cases := []struct {
		name string
		sc   reports.Schedule
		now  time.Time
		due  string // "" when nothing is due
	}{
		{"monday before 7", monday7, time.Date(2026, 11, 9, 6, 59, 0, 0, montreal), ""},
		{"monday at 7", monday7, time.Date(2026, 11, 9, 7, 0, 0, 0, montreal), "2026-W45"},
		{"later that week", monday7, time.Date(2026, 11, 13, 23, 0, 0, 0, montreal), "2026-W45"},
		{"sunday night", monday7, time.Date(2026, 11, 15, 23, 59, 0, 0, montreal), "2026-W45"},
		{"next monday early", monday7, time.Date(2026, 11, 16, 1, 0, 0, 0, montreal), ""},
		// 06:30 UTC on Monday is still Sunday night in Montreal.
		{"time zone", monday7, time.Date(2026, 11, 9, 6, 30, 0, 0, time.UTC), ""},
		{"friday before", friday, time.Date(2026, 11, 13, 17, 29, 0, 0, montreal), ""},
		{"friday after", friday, time.Date(2026, 11, 13, 17, 30, 0, 0, montreal), "2026-W45"},
		{"off", reports.Schedule{Off: true}, time.Date(2026, 11, 10, 12, 0, 0, 0, montreal), ""},
		{"new year", monday7, time.Date(2027, 1, 4, 8, 0, 0, 0, montreal), "2026-W53"},
	}
	for _, tc := range cases {
		w, ok := tc.sc.DueWeek(tc.now, montreal)
		got := ""
		if ok {
			got = w.String()
		}
		if got != tc.due {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.due)
		}
	}
}
