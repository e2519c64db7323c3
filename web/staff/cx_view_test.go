package staff

import (
	"testing"
	"time"
)

func TestTimeLeftAndAge(t *testing.T) {
	cases := []struct {
		name, locale string
		d            time.Duration
		resolved     bool
		want         string
		late         bool
	}{
		{"minutes left", "en", 12*time.Minute + 30*time.Second, false, "12 min", false},
		{"hours and minutes", "en", 3*time.Hour + 5*time.Minute, false, "3 h 05", false},
		{"long: hours only", "en", 27*time.Hour + 40*time.Minute, false, "27 h", false},
		{"overdue is negative", "en", -(2*time.Hour + 10*time.Minute), false, "−2 h 10", true},
		{"overdue minutes", "fr", -45 * time.Minute, false, "−45 min", true},
		{"resolved counts nothing", "en", -time.Hour, true, "—", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := leftText(c.locale, c.d, c.resolved)
			if got.Text != c.want || got.Late != c.late {
				t.Errorf("leftText(%v) = %+v, want %q late=%v", c.d, got, c.want, c.late)
			}
		})
	}
	ages := []struct {
		locale string
		d      time.Duration
		want   string
	}{
		{"en", 59 * time.Minute, "59 min"},
		{"en", 5 * time.Hour, "5 h"},
		{"en", 47 * time.Hour, "47 h"},
		{"en", 76 * time.Hour, "3 d 4 h"},
		{"fr", 76 * time.Hour, "3 j 4 h"},
		{"en", -time.Minute, "0 min"},
	}
	for _, a := range ages {
		if got := ageText(a.locale, a.d); got != a.want {
			t.Errorf("ageText(%s, %v) = %q, want %q", a.locale, a.d, got, a.want)
		}
	}
}

func TestMoneyText(t *testing.T) {
	for _, c := range []struct {
		locale   string
		cents    int64
		currency string
		want     string
	}{
		{"en", 0, "EUR", "0.00 EUR"},
		{"en", 125000, "EUR", "1,250.00 EUR"},
		{"fr", 125050, "CAD", "1\u202f250,50 CAD"},
		{"en", 123456789, "USD", "1,234,567.89 USD"},
		{"en", 99999, "EUR", "999.99 EUR"},
	} {
		if got := moneyText(c.locale, c.cents, c.currency); got != c.want {
			t.Errorf("moneyText(%s, %d) = %q, want %q", c.locale, c.cents, got, c.want)
		}
	}
}
