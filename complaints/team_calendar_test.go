package complaints_test

import (
	"testing"
	"time"

	"github.com/followup/followup/businesshours"
	"github.com/followup/followup/complaints"
)

// TestForTeamDeadlines: the same opening instant gives each team the
// deadline of its own calendar: Québec's (Montréal, 09:00-17:00, its
// holidays) or France's (Paris, 09:00-18:00, French holidays); a team
// without one has the default calendar's.
func TestForTeamDeadlines(t *testing.T) {
	qc, err := businesshours.Parse("qc")
	if err != nil {
		t.Fatal(err)
	}
	fr, _ := businesshours.Parse("fr")
	paris, _ := time.LoadLocation("Europe/Paris")
	montreal, _ := time.LoadLocation("America/Toronto")
	p := complaints.DefaultPolicy()
	p.Calendar = fr
	cals := map[string]*businesshours.Calendar{"mtl": qc, "wall": nil}
	for _, c := range []struct {
		name   string
		team   string
		pr     complaints.Priority
		opened time.Time
		want   time.Time
	}{
		{"Québec, Friday noon in Montréal: the same afternoon", "mtl", complaints.P1, time.Date(2026, 12, 4, 12, 0, 0, 0, montreal), time.Date(2026, 12, 4, 16, 0, 0, 0, montreal)},
		{"France, the same instant (18:00 in Paris): Monday", "paris", complaints.P1, time.Date(2026, 12, 4, 12, 0, 0, 0, montreal), time.Date(2026, 12, 7, 13, 0, 0, 0, paris)},
		{"no team: the default calendar", "", complaints.P1, time.Date(2026, 12, 4, 12, 0, 0, 0, montreal), time.Date(2026, 12, 7, 13, 0, 0, 0, paris)},
		{"Québec, Saint-Jean-Baptiste (24 June) is closed", "mtl", complaints.P1, time.Date(2027, 6, 23, 15, 0, 0, 0, montreal), time.Date(2027, 6, 25, 11, 0, 0, 0, montreal)},
		{"France works on 24 June", "paris", complaints.P1, time.Date(2027, 6, 23, 21, 0, 0, 0, paris), time.Date(2027, 6, 24, 13, 0, 0, 0, paris)},
		{"Québec works on 14 July", "mtl", complaints.P1, time.Date(2027, 7, 13, 16, 0, 0, 0, montreal), time.Date(2027, 7, 14, 12, 0, 0, 0, montreal)},
		{"France is closed on 14 July", "paris", complaints.P1, time.Date(2027, 7, 13, 17, 0, 0, 0, paris), time.Date(2027, 7, 15, 12, 0, 0, 0, paris)},
		{"a team on wall-clock time", "wall", complaints.P1, time.Date(2026, 12, 4, 18, 0, 0, 0, paris), time.Date(2026, 12, 4, 22, 0, 0, 0, paris)},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := p.ForTeam(cals, c.team).Deadline(c.pr, c.opened)
			if !got.Equal(c.want) {
				t.Errorf("due %s, want %s", got.In(c.want.Location()), c.want)
			}
		})
	}
}
