package complaints_test

import (
	"context"
	"testing"
	"time"

	"github.com/followup/followup/businesshours"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
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

// teamCalendars is a fixed set of team calendars.
type teamCalendars map[string]*businesshours.Calendar

func (c teamCalendars) TeamCalendars(context.Context) (map[string]*businesshours.Calendar, error) {
	return c, nil
}

// TestCheckDeadlinesPerTeam: the deadline check warns and sets new
// deadlines in each complaint's team calendar. On Friday at 18:00 in Paris
// (12:00 in Montréal), with a warning at a quarter of a P1's 4 hours: a
// Paris team's P1 due on Monday at 09:30 is warned (its day is over, Monday
// morning is within an hour of business time), a Montréal team's P1 due at
// 15:30 that day is not (three and a half business hours are left, when
// Paris's calendar would count none); a Montréal P1 due at 12:45 is warned. A missed promise gets a new P1 deadline in the team's calendar:
// the same afternoon in Montréal, Monday in Paris.
func TestCheckDeadlinesPerTeam(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testenv.NewSchema(t)
	f := reportfix.New(t, s.DB)
	paris, _ := time.LoadLocation("Europe/Paris")
	montreal, _ := time.LoadLocation("America/Toronto")
	now := time.Date(2026, 12, 4, 18, 0, 0, 0, paris)
	complaint := func(team string, p int, due time.Time, promised bool) int64 {
		r := f.Reply(reportfix.Reply{At: now.Add(-6 * time.Hour), Negative: true})
		id := f.Complaint(reportfix.Complaint{Response: r, Priority: p, OpenedAt: now.Add(-6 * time.Hour), DueAt: due})
		if _, err := s.DB.Exec(`UPDATE complaints SET team = $2, promised_due_at = CASE WHEN $3 THEN due_at END WHERE id = $1`, id, team, promised); err != nil {
			t.Fatal(err)
		}
		return id
	}
	parisMonday := complaint("paris", 1, time.Date(2026, 12, 7, 9, 30, 0, 0, paris), false)
	mtlAfternoon := complaint("mtl", 1, time.Date(2026, 12, 4, 15, 30, 0, 0, montreal), false)
	mtlSoon := complaint("mtl", 1, time.Date(2026, 12, 4, 12, 45, 0, 0, montreal), false)
	parisPromise := complaint("paris", 2, now.Add(-time.Hour), true)
	mtlPromise := complaint("mtl", 2, now.Add(-time.Hour), true)

	qc, _ := businesshours.Parse("qc")
	fr, _ := businesshours.Parse("fr")
	p := complaints.DefaultPolicy()
	p.Calendar = fr
	store := complaints.NewStore(s.DB, p)
	store.SetTeamCalendars(teamCalendars{"mtl": qc})
	tx, err := s.DB.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	events, err := store.CheckDeadlines(ctx, tx, now, 0.25)
	if err != nil {
		t.Fatal(err)
	}
	got := map[int64]complaints.DeadlineEvent{}
	for _, e := range events {
		got[e.ComplaintID] = e
	}
	for _, c := range []struct {
		name   string
		id     int64
		kind   string
		newDue time.Time
	}{
		{"Paris P1 due Monday morning", parisMonday, complaints.DeadlineWarned, time.Date(2026, 12, 7, 9, 30, 0, 0, paris)},
		{"Montréal P1 due at 15:30, hours ahead", mtlAfternoon, "", time.Time{}},
		{"Montréal P1 due at 12:45", mtlSoon, complaints.DeadlineWarned, time.Date(2026, 12, 4, 12, 45, 0, 0, montreal)},
		{"Paris promise missed", parisPromise, complaints.DeadlinePromiseMissed, time.Date(2026, 12, 7, 13, 0, 0, 0, paris)},
		{"Montréal promise missed", mtlPromise, complaints.DeadlinePromiseMissed, time.Date(2026, 12, 4, 16, 0, 0, 0, montreal)},
	} {
		e, ok := got[c.id]
		switch {
		case c.kind == "" && ok:
			t.Errorf("%s: %s, want nothing", c.name, e.Kind)
		case c.kind == "":
		case !ok || e.Kind != c.kind:
			t.Errorf("%s: %+v, want %s", c.name, e, c.kind)
		case !e.NewDueAt.Equal(c.newDue):
			t.Errorf("%s: due %s, want %s", c.name, e.NewDueAt.In(c.newDue.Location()), c.newDue)
		}
	}
}
