package scheduler

import (
	"testing"
	"time"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestSendWindowNext(t *testing.T) {
	paris := mustLoc(t, "Europe/Paris")
	montreal := mustLoc(t, "America/Montreal")
	tokyo := mustLoc(t, "Asia/Tokyo")
	def := DefaultWindow()
	allWeek := SendWindow{StartHour: 2, EndHour: 4, Weekdays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}
	weekendOnly := SendWindow{StartHour: 10, EndHour: 12, Weekdays: []time.Weekday{time.Saturday, time.Sunday}}
	lateNight := SendWindow{StartHour: 20, EndHour: 24, Weekdays: []time.Weekday{time.Friday}}
	cases := []struct {
		name string
		w    SendWindow
		loc  *time.Location
		at   string // RFC 3339 in UTC
		want string // expected local wall time "2006-01-02 15:04 MST"
	}{
		{"inside", def, paris, "2026-11-18T10:00:00Z", "2026-11-18 11:00 CET"},
		{"before opening, same day", def, paris, "2026-11-18T05:00:00Z", "2026-11-18 09:00 CET"},
		{"after closing, next day", def, paris, "2026-11-18T19:30:00Z", "2026-11-19 09:00 CET"},
		{"closing hour is excluded", def, paris, "2026-11-18T18:00:00Z", "2026-11-19 09:00 CET"},
		{"Saturday evening to Monday", def, paris, "2026-11-21T18:30:00Z", "2026-11-23 09:00 CET"},
		{"Sunday to Monday", def, paris, "2026-11-22T10:00:00Z", "2026-11-23 09:00 CET"},
		{"the customer's zone, not UTC", def, montreal, "2026-11-18T12:00:00Z", "2026-11-18 09:00 EST"},
		{"a day ahead in Tokyo", def, tokyo, "2026-11-18T11:00:00Z", "2026-11-19 09:00 JST"},
		{"spring forward in Paris: 9:00 is CEST", def, paris, "2026-03-29T05:00:00Z", "2026-03-30 09:00 CEST"}, // Sunday
		{"spring forward, Saturday night to Monday", def, paris, "2026-03-28T20:00:00Z", "2026-03-30 09:00 CEST"},
		{"opening hour skipped by the clock change", allWeek, paris, "2026-03-29T00:30:00Z", "2026-03-29 03:00 CEST"},
		{"fall back in Montreal", def, montreal, "2026-10-31T23:30:00Z", "2026-11-02 09:00 EST"}, // Sat 19:30 EDT
		{"fall back: the second 1:30 waits for 2:00", allWeek, montreal, "2026-11-01T06:30:00Z", "2026-11-01 02:00 EST"},
		{"fall back: the first 1:30 too", allWeek, montreal, "2026-11-01T05:30:00Z", "2026-11-01 02:00 EST"},
		{"weekend-only window", weekendOnly, paris, "2026-11-18T10:00:00Z", "2026-11-21 10:00 CET"},
		{"window ending at midnight", lateNight, paris, "2026-11-20T22:59:00Z", "2026-11-20 23:59 CET"},
		{"window ending at midnight, next week", lateNight, paris, "2026-11-20T23:00:00Z", "2026-11-27 20:00 CET"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			at, err := time.Parse(time.RFC3339, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			got := tc.w.Next(at, tc.loc)
			if s := got.In(tc.loc).Format("2006-01-02 15:04 MST"); s != tc.want {
				t.Errorf("Next(%s) = %s, want %s", tc.at, s, tc.want)
			}
			if !tc.w.Allows(got, tc.loc) && tc.name != "opening hour skipped by the clock change" {
				t.Errorf("Next returned %s, outside the window", got)
			}
			if got.Before(at) {
				t.Errorf("Next went back in time")
			}
		})
	}
}

func TestSendWindowValidate(t *testing.T) {
	cases := []struct {
		w  SendWindow
		ok bool
	}{
		{DefaultWindow(), true},
		{SendWindow{StartHour: 9, EndHour: 9, Weekdays: []time.Weekday{1}}, false},
		{SendWindow{StartHour: 18, EndHour: 9, Weekdays: []time.Weekday{1}}, false},
		{SendWindow{StartHour: 0, EndHour: 24, Weekdays: []time.Weekday{0}}, true},
		{SendWindow{StartHour: 9, EndHour: 25, Weekdays: []time.Weekday{1}}, false},
		{SendWindow{StartHour: 9, EndHour: 17}, false},
	}
	for _, tc := range cases {
		if err := tc.w.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: %v", tc.w, err)
		}
	}
}

func TestWeekdayNumbers(t *testing.T) {
	days, err := WeekdaysFromNumbers([]int{7, 1, 1, 6})
	if err != nil {
		t.Fatal(err)
	}
	w := SendWindow{StartHour: 9, EndHour: 17, Weekdays: days}
	if got := w.WeekdayNumbers(); len(got) != 3 || got[0] != 1 || got[1] != 6 || got[2] != 7 {
		t.Errorf("round trip %v", got)
	}
	if _, err := WeekdaysFromNumbers([]int{0}); err == nil {
		t.Error("0 is not an ISO weekday")
	}
	if s := w.String(); s != "9:00–17:00 Mon,Sat,Sun" {
		t.Errorf("String %q", s)
	}
}
