package templates

import (
	"testing"
	"time"
)

func TestFormatDate(t *testing.T) {
	cases := []struct {
		locale string
		date   time.Time
		want   string
	}{
		{"fr", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "1er janvier 2027"},
		{"fr", time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC), "1er décembre 2026"},
		{"fr", time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), "2 décembre 2026"},
		{"fr", time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC), "31 août 2026"},
		{"en", time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "January 1, 2027"},
		{"en", time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), "December 6, 2026"},
		{"de", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "March 1, 2026"}, // other locales read English
	}
	for _, tc := range cases {
		if got := FormatDate(tc.locale, tc.date); got != tc.want {
			t.Errorf("FormatDate(%s, %s) = %q, want %q", tc.locale, tc.date.Format(time.DateOnly), got, tc.want)
		}
	}
}

func TestFormatDateTimeFirstOfMonth(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database")
	}
	// 23:30 UTC on 31 December is already the first of January in Paris.
	at := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)
	if got, want := FormatDateTime("fr", at, paris), "1er janvier 2027 à 0 h 30 (Europe/Paris)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := FormatDateTime("en", at, paris), "January 1, 2027 at 12:30 AM (Europe/Paris)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDays(t *testing.T) {
	cases := []struct {
		locale string
		n      int
		want   string
	}{
		{"en", 0, "0 days"},
		{"en", 1, "1 day"},
		{"en", 2, "2 days"},
		{"en", 30, "30 days"},
		{"fr", 0, "0 jour"},
		{"fr", 1, "1 jour"},
		{"fr", 2, "2 jours"},
		{"fr", 14, "14 jours"},
	}
	for _, tc := range cases {
		if got := Days(tc.locale, tc.n); got != tc.want {
			t.Errorf("Days(%s, %d) = %q, want %q", tc.locale, tc.n, got, tc.want)
		}
	}
}

func TestBrandHeader(t *testing.T) {
	cases := []struct{ brand, want string }{
		{"Acme", "Acme · followup"},
		{"Followup", "Followup"},
		{"followup", "followup"},
		{"", "followup"},
	}
	for _, tc := range cases {
		if got := BrandHeader(tc.brand); got != tc.want {
			t.Errorf("BrandHeader(%q) = %q, want %q", tc.brand, got, tc.want)
		}
	}
}
