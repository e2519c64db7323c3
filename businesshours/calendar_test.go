package businesshours_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/followup/followup/businesshours"
)

func preset(t *testing.T, spec string) *businesshours.Calendar {
	t.Helper()
	c, err := businesshours.Parse(spec)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// local reads "2006-01-02 15:04" in the calendar's zone.
func local(t *testing.T, c *businesshours.Calendar, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, c.Zone)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestAdd(t *testing.T) {
	for _, tc := range []struct {
		name, cal, start string
		d                time.Duration
		want             string // local time and UTC offset
	}{
		{"within the day", "fr", "2026-12-07 10:00", 4 * time.Hour, "2026-12-07 14:00 +0100"},
		{"across a night", "fr", "2026-12-07 16:00", 4 * time.Hour, "2026-12-08 11:00 +0100"},
		{"opened Friday 18:00, over the weekend", "fr", "2026-12-04 18:00", 4 * time.Hour, "2026-12-07 13:00 +0100"},
		{"opened in the night", "fr", "2026-12-08 02:00", time.Hour, "2026-12-08 10:00 +0100"},
		{"a whole day ends at closing, not the next opening", "fr", "2026-12-07 09:00", 9 * time.Hour, "2026-12-07 18:00 +0100"},
		{"P2, 24 business hours", "fr", "2026-12-07 09:00", 24 * time.Hour, "2026-12-09 15:00 +0100"},
		{"168 business hours, over Christmas and New Year", "fr", "2026-12-09 12:00", 168 * time.Hour, "2027-01-06 18:00 +0100"},
		{"Christmas (Friday) then the weekend", "fr", "2026-12-24 17:00", 4 * time.Hour, "2026-12-28 12:00 +0100"},
		{"Easter Monday", "fr", "2026-04-03 17:00", 2 * time.Hour, "2026-04-07 10:00 +0200"},
		{"1 May on a Friday", "fr", "2026-04-30 17:00", 2 * time.Hour, "2026-05-04 10:00 +0200"},
		{"Paris to summer time over the weekend", "fr", "2026-03-27 16:00", 4 * time.Hour, "2026-03-30 11:00 +0200"},
		{"Paris to summer time, 24 business hours", "fr", "2026-03-27 10:00", 24 * time.Hour, "2026-03-31 16:00 +0200"},
		{"Paris back to winter time", "fr", "2026-10-23 17:00", 2 * time.Hour, "2026-10-26 10:00 +0100"},
		{"Montréal, over the weekend", "qc", "2026-12-04 16:00", 4 * time.Hour, "2026-12-07 12:00 -0500"},
		{"Montréal, Good Friday", "qc", "2026-04-02 16:00", 2 * time.Hour, "2026-04-06 10:00 -0400"},
		{"Montréal, Journée des patriotes", "qc", "2026-05-15 16:00", 2 * time.Hour, "2026-05-19 10:00 -0400"},
		{"Montréal, Fête nationale", "qc", "2026-06-23 16:00", 2 * time.Hour, "2026-06-25 10:00 -0400"},
		{"Montréal, Christmas", "qc", "2026-12-24 16:00", 2 * time.Hour, "2026-12-28 10:00 -0500"},
		{"Montréal to summer time", "qc", "2026-03-06 16:00", 2 * time.Hour, "2026-03-09 10:00 -0400"},
		{"Montréal back to winter time", "qc", "2026-10-30 16:00", 2 * time.Hour, "2026-11-02 10:00 -0500"},
		{"a lunch break", "fr;hours=mon-fri 09:00-12:00 14:00-18:00", "2026-12-07 11:00", 2 * time.Hour, "2026-12-07 15:00 +0100"},
		{"Saturday mornings", "fr;hours=mon-fri 09:00-18:00,sat 09:00-12:00", "2026-12-04 17:00", 2 * time.Hour, "2026-12-05 10:00 +0100"},
		{"a dated closure", "fr;closed=2026-12-07", "2026-12-04 17:00", 2 * time.Hour, "2026-12-08 10:00 +0100"},
		{"zero", "fr", "2026-12-05 03:00", 0, "2026-12-05 03:00 +0100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := preset(t, tc.cal)
			start := local(t, c, tc.start)
			got := c.Add(start, tc.d)
			if s := got.In(c.Zone).Format("2006-01-02 15:04 -0700"); s != tc.want {
				t.Fatalf("Add(%s, %s) = %s, want %s", tc.start, tc.d, s, tc.want)
			}
			if tc.d > 0 {
				if b := c.Between(start, got); b != tc.d {
					t.Errorf("Between(start, Add(start, %s)) = %s", tc.d, b)
				}
			}
		})
	}
}

func TestBetween(t *testing.T) {
	for _, tc := range []struct {
		name, cal, a, b string
		want            time.Duration
	}{
		{"Friday evening to Monday morning", "fr", "2026-12-04 17:00", "2026-12-07 10:00", 2 * time.Hour},
		{"the other way round", "fr", "2026-12-07 10:00", "2026-12-04 17:00", -2 * time.Hour},
		{"a weekend", "fr", "2026-12-05 08:00", "2026-12-06 20:00", 0},
		{"over the change to summer time", "fr", "2026-03-27 17:00", "2026-03-30 10:00", 2 * time.Hour},
		{"over the change to winter time", "qc", "2026-10-30 16:00", "2026-11-02 10:00", 2 * time.Hour},
		{"a week with Christmas", "fr", "2026-12-21 09:00", "2026-12-28 09:00", 36 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := preset(t, tc.cal)
			if got := c.Between(local(t, c, tc.a), local(t, c, tc.b)); got != tc.want {
				t.Fatalf("Between = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestNextOpen(t *testing.T) {
	for _, tc := range []struct{ name, cal, at, want string }{
		{"open", "fr", "2026-12-07 10:00", "2026-12-07 10:00"},
		{"before opening", "fr", "2026-12-07 07:59", "2026-12-07 09:00"},
		{"at closing", "fr", "2026-12-07 18:00", "2026-12-08 09:00"},
		{"Saturday", "fr", "2026-12-05 10:00", "2026-12-07 09:00"},
		{"Christmas Eve evening", "fr", "2026-12-24 18:30", "2026-12-28 09:00"},
		{"Montréal, Sunday of the change to summer time", "qc", "2026-03-08 03:30", "2026-03-09 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := preset(t, tc.cal)
			got := c.NextOpen(local(t, c, tc.at)).In(c.Zone).Format("2006-01-02 15:04")
			if got != tc.want {
				t.Fatalf("NextOpen(%s) = %s, want %s", tc.at, got, tc.want)
			}
		})
	}
}

// Whatever the start, Add lands in opening hours and Between measures
// back exactly what was added.
func TestAddBetweenRoundTrip(t *testing.T) {
	for _, spec := range []string{"fr", "qc", "fr;hours=mon-fri 08:30-12:30 13:30-17:30,sat 09:00-12:00"} {
		c := preset(t, spec)
		start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		for i := 0; i < 24*60; i++ {
			s := start.Add(time.Duration(i) * 73 * time.Minute)
			for _, d := range []time.Duration{time.Minute, time.Hour, 4 * time.Hour, 24 * time.Hour, 168 * time.Hour} {
				got := c.Add(s, d)
				if b := c.Between(s, got); b != d {
					t.Fatalf("%s: Between(%s, Add(%s)) = %s", spec, s, d, b)
				}
				if c.NextOpen(got.Add(-time.Nanosecond)) != got.Add(-time.Nanosecond) {
					t.Fatalf("%s: Add(%s, %s) = %s is not in opening hours", spec, s, d, got)
				}
			}
		}
	}
}

func TestHolidaysIn(t *testing.T) {
	for spec, want := range map[string]string{
		"fr": "[2026-01-01 2026-04-06 2026-05-01 2026-05-08 2026-05-14 2026-05-25 2026-07-14 2026-08-15 2026-11-01 2026-11-11 2026-12-25]",
		"qc": "[2026-01-01 2026-04-03 2026-05-18 2026-06-24 2026-07-01 2026-09-07 2026-10-12 2026-12-25]",
	} {
		if got := fmt.Sprint(preset(t, spec).HolidaysIn(2026)); got != want {
			t.Errorf("%s: %s, want %s", spec, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	if c, err := businesshours.Parse("none"); c != nil || err != nil {
		t.Fatalf("none: %v %v", c, err)
	}
	c := preset(t, "qc;hours=mon-thu 08:30-16:30,fri 08:30-12:00;closed=2026-12-31;zone=America/Toronto")
	if got, want := c.String(), "qc;hours=mon 08:30-16:30,tue 08:30-16:30,wed 08:30-16:30,thu 08:30-16:30,fri 08:30-12:00;zone=America/Toronto;closed=2026-12-31"; got != want {
		t.Fatalf("String = %s, want %s", got, want)
	}
	for _, bad := range []string{"", "de", "fr;hours=mon-fri 18:00-09:00", "fr;hours=fri-mon 09:00-18:00", "fr;zone=Mars/Olympus", "fr;closed=31/12", "fr;opening=9"} {
		if _, err := businesshours.Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}
