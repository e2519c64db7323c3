package labels

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/businesshours"
	"github.com/followup/followup/invalid"
)

// TeamCalendar is a team's own business calendar: a preset name ("fr",
// "qc"), "none" (wall-clock time) or a spec as businesshours.Parse reads
// it. A team without one uses the default calendar
// (FOLLOWUP_BUSINESS_CALENDAR).
type TeamCalendar struct {
	Team string `db:"team" json:"team"`
	Spec string `db:"spec" json:"spec"`
}

// CalendarField is the form field (and the error's field) of team's
// calendar: "calendar.team-store".
func CalendarField(team string) string { return "calendar." + team }

// CheckCalendars validates calendar edits, every one at fault at once. An
// empty spec is valid: the team goes back to the default calendar.
func CheckCalendars(edits []TeamCalendar) error {
	var errs invalid.Fields
	for i := range edits {
		e := &edits[i]
		e.Spec = strings.TrimSpace(e.Spec)
		field := CalendarField(e.Team)
		if strings.TrimSpace(e.Team) == "" {
			errs.Add(field, "name the team whose calendar this is")
			continue
		}
		if e.Spec == "" {
			continue
		}
		if fe := invalid.Text(field, e.Spec); fe != nil {
			errs.AddError(fe)
			continue
		}
		if _, err := businesshours.Parse(e.Spec); err != nil {
			errs.Add(field, fmt.Sprintf("not a calendar: want %s", businesshours.SpecHelp))
		}
	}
	return errs.Err()
}

func saveCalendars(ctx context.Context, tx *sqlx.Tx, edits []TeamCalendar, by *int64, now time.Time) error {
	for _, e := range edits {
		var err error
		if e.Spec == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM team_calendars WHERE team = $1`, e.Team)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO team_calendars (team, spec, updated_by, updated_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (team) DO UPDATE SET spec = EXCLUDED.spec, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
				WHERE team_calendars.spec <> EXCLUDED.spec`, e.Team, e.Spec, by, now)
		}
		if err != nil {
			return fmt.Errorf("save the calendar of team %q: %w", e.Team, err)
		}
	}
	return nil
}

// Calendars returns the teams' own calendars, by team.
func (s *Store) Calendars(ctx context.Context) ([]TeamCalendar, error) {
	out := []TeamCalendar{}
	if err := s.db.SelectContext(ctx, &out, `SELECT team, spec FROM team_calendars ORDER BY team`); err != nil {
		return nil, fmt.Errorf("read team calendars: %w", err)
	}
	return out, nil
}
