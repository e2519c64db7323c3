package scheduler

import (
	"errors"
	"testing"

	"github.com/followup/followup/invalid"
)

// TestExplainCron covers the shapes of spec the campaigns' parser accepts.
func TestExplainCron(t *testing.T) {
	cases := []struct{ spec, tz, en, fr string }{
		{"0 9 * * MON", "Europe/Paris", "every Monday at 09:00, Europe/Paris", "chaque lundi à 09 h 00, Europe/Paris"},
		{"0 9 * * 1", "Europe/Paris", "every Monday at 09:00, Europe/Paris", "chaque lundi à 09 h 00, Europe/Paris"},
		{"30 10 * * *", "America/Montreal", "every day at 10:30, America/Montreal", "chaque jour à 10 h 30, America/Montreal"},
		{"0 9 * * 1-5", "UTC", "every Monday to Friday at 09:00, UTC", "du lundi au vendredi à 09 h 00, UTC"},
		{"0 9 * * mon,fri", "UTC", "every Monday and Friday at 09:00, UTC", "chaque lundi et vendredi à 09 h 00, UTC"},
		{"0 10 * * SAT,SUN", "UTC", "every Saturday and Sunday at 10:00, UTC", "chaque samedi et dimanche à 10 h 00, UTC"},
		{"0 9,17 * * *", "UTC", "every day at 09:00 and 17:00, UTC", "chaque jour à 09 h 00 et 17 h 00, UTC"},
		{"*/15 * * * *", "UTC", "every 15 minutes, UTC", "toutes les 15 minutes, UTC"},
		{"*/10 * * * MON", "UTC", "every Monday every 10 minutes, UTC", "chaque lundi toutes les 10 minutes, UTC"},
		{"* * * * *", "UTC", "every minute, UTC", "chaque minute, UTC"},
		{"0 * * * *", "UTC", "every hour, on the hour, UTC", "toutes les heures, à l'heure pile, UTC"},
		{"20 * * * *", "UTC", "every hour at minute 20, UTC", "toutes les heures à la minute 20, UTC"},
		{"0 */6 * * *", "UTC", "every day at 00:00, 06:00, 12:00 and 18:00, UTC", "chaque jour à 00 h 00, 06 h 00, 12 h 00 et 18 h 00, UTC"},
		{"0 */3 * * *", "UTC", "every 3 hours from 00:00, UTC", "toutes les 3 heures à partir de 00 h 00, UTC"},
		{"5,35 * * * *", "UTC", "at minutes 5 and 35 of every hour, UTC", "aux minutes 5 et 35 de chaque heure, UTC"},
		{"0 9-17 * * 1-5", "UTC", "every Monday to Friday every hour from 09:00 to 17:00, UTC", "du lundi au vendredi toutes les heures de 09 h 00 à 17 h 00, UTC"},
		{"0,30 9-17 * * *", "UTC", "every day at minutes 0 and 30 of hours 9–17, UTC", "chaque jour aux minutes 0 et 30 des heures 9–17, UTC"},
		{"0 9 1 * *", "Europe/Paris", "on day 1 of every month at 09:00, Europe/Paris", "le 1er de chaque mois à 09 h 00, Europe/Paris"},
		{"0 9 1,15 * *", "UTC", "on days 1 and 15 of every month at 09:00, UTC", "les 1er et 15 de chaque mois à 09 h 00, UTC"},
		{"0 9 1 1 *", "UTC", "every year on 1 January at 09:00, UTC", "chaque année le 1er janvier à 09 h 00, UTC"},
		{"0 9 * 12 MON", "UTC", "every Monday in December at 09:00, UTC", "chaque lundi en décembre à 09 h 00, UTC"},
		{"0 9 * 3-10 *", "UTC", "every day in March to October at 09:00, UTC", "chaque jour en mars à octobre à 09 h 00, UTC"},
		{"0 9 1 * MON", "UTC", "on day 1 of every month or every Monday at 09:00, UTC", "le 1er de chaque mois ou chaque lundi à 09 h 00, UTC"},
		{"@weekly", "Europe/Paris", "every Sunday at 00:00, Europe/Paris", "chaque dimanche à 00 h 00, Europe/Paris"},
		{"@daily", "UTC", "every day at 00:00, UTC", "chaque jour à 00 h 00, UTC"},
		{"@monthly", "UTC", "on day 1 of every month at 00:00, UTC", "le 1er de chaque mois à 00 h 00, UTC"},
		{"@yearly", "UTC", "every year on 1 January at 00:00, UTC", "chaque année le 1er janvier à 00 h 00, UTC"},
		{"@hourly", "UTC", "every hour, on the hour, UTC", "toutes les heures, à l'heure pile, UTC"},
		{"@every 90m", "UTC", "every 1 hour 30 minutes (counted from each run)", "toutes les 1 heure 30 minutes (à compter de chaque envoi)"},
		{"CRON_TZ=America/Montreal 0 9 * * MON", "Europe/Paris", "every Monday at 09:00, America/Montreal", "chaque lundi à 09 h 00, America/Montreal"},
		{"0 9 * * MON", "", "every Monday at 09:00, UTC", "chaque lundi à 09 h 00, UTC"},
	}
	for _, tc := range cases {
		t.Run(tc.spec, func(t *testing.T) {
			for lang, want := range map[string]string{"en": tc.en, "fr": tc.fr} {
				got, err := ExplainCron(tc.spec, tc.tz, lang)
				if err != nil || got != want {
					t.Errorf("%s: %q (%v), want %q", lang, got, err, want)
				}
			}
		})
	}
}

func TestExplainCronRefuses(t *testing.T) {
	cases := []struct{ spec, tz, field string }{
		{"every monday", "UTC", "trigger.cron"},
		{"", "UTC", "trigger.cron"},
		{"0 0 9 * * MON", "UTC", "trigger.cron"}, // seconds are not taken
		{"0 9 * * MON", "Europe/Pariss", "trigger.time_zone"},
		{"0 9 * * MON", "Local", "trigger.time_zone"},
	}
	for _, tc := range cases {
		_, err := ExplainCron(tc.spec, tc.tz, "en")
		var fe *invalid.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("ExplainCron(%q, %q) = %v, want a problem with %s", tc.spec, tc.tz, err, tc.field)
		}
	}
}

func TestTimeZonesAllLoad(t *testing.T) {
	zones := TimeZones()
	if len(zones) < 300 || zones[0] != "Europe/Paris" || zones[1] != "America/Montreal" {
		t.Fatalf("%d zones, first %v", len(zones), zones[:2])
	}
	seen := map[string]bool{}
	for _, z := range zones {
		if seen[z] {
			t.Errorf("%s listed twice", z)
		}
		seen[z] = true
		if _, err := ExplainCron("0 9 * * MON", z, "en"); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
}
