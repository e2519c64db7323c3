package labels

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/invalid"
)

// MaxName is the longest a display name may be, in characters.
const MaxName = 80

// Name is what people read for one code in one language.
type Name struct {
	Kind   Kind   `db:"kind" json:"kind"`
	Code   string `db:"code" json:"code"`
	Locale string `db:"locale" json:"locale"`
	Name   string `db:"name" json:"name"`
}

// Store keeps the admins' names and the teams' calendars.
type Store struct {
	db *sqlx.DB
}

// NewStore returns a Store on db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

// Names returns every name admins gave, by kind, code and language.
func (s *Store) Names(ctx context.Context) ([]Name, error) {
	out := []Name{}
	if err := s.db.SelectContext(ctx, &out, `SELECT kind, code, locale, name FROM display_labels ORDER BY kind, code, locale`); err != nil {
		return nil, fmt.Errorf("read display names: %w", err)
	}
	return out, nil
}

// NameField is the form field (and the error's field) of the name of code
// of kind in locale: "name.team.fr.team-store".
func NameField(kind Kind, locale, code string) string {
	return "name." + string(kind) + "." + locale + "." + code
}

// Check validates edits: every field at fault at once (invalid.Fields),
// each named by NameField. An empty name is valid: it removes the admins'
// name, and the fallback applies again.
func Check(edits []Name) error {
	var errs invalid.Fields
	for i := range edits {
		e := &edits[i]
		e.Name = strings.Join(strings.Fields(e.Name), " ")
		field := NameField(e.Kind, e.Locale, e.Code)
		switch {
		case !e.Kind.Valid():
			errs.Add(field, fmt.Sprintf("%q is not a kind of name (want one of team, touchpoint, event_kind, channel, risk, state, signal)", e.Kind))
		case e.Locale != "fr" && e.Locale != "en":
			errs.Add(field, fmt.Sprintf("%q is not a language names are kept in (fr or en)", e.Locale))
		case strings.TrimSpace(e.Code) == "" || utf8.RuneCountInString(e.Code) > 200:
			errs.Add(field, "the code must be 1 to 200 characters")
		case utf8.RuneCountInString(e.Name) > MaxName:
			errs.Add(field, fmt.Sprintf("keep the name under %d characters (it has %d)", MaxName+1, utf8.RuneCountInString(e.Name)))
		default:
			errs.AddError(invalid.Text(field, e.Name))
		}
	}
	return errs.Err()
}

// Edits are what an admin changes at once: names and teams' calendars.
type Edits struct {
	Names     []Name
	Calendars []TeamCalendar
}

// Save stores edits in one transaction, after Check and CheckCalendars: a
// name replaces the one before, an empty name removes it; a calendar
// likewise. by is the admin (nil for none). Nothing is stored when any
// edit is wrong, and every field at fault is reported at once.
func (s *Store) Save(ctx context.Context, edits Edits, by *int64, now time.Time) error {
	var errs invalid.Fields
	errs.AddError(Check(edits.Names))
	errs.AddError(CheckCalendars(edits.Calendars))
	if err := errs.Err(); err != nil {
		return err
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("save display names: %w", err)
	}
	defer tx.Rollback()
	if err := saveCalendars(ctx, tx, edits.Calendars, by, now); err != nil {
		return err
	}
	for _, e := range edits.Names {
		if e.Name == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM display_labels WHERE kind = $1 AND code = $2 AND locale = $3`, e.Kind, e.Code, e.Locale)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO display_labels (kind, code, locale, name, updated_by, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (kind, code, locale) DO UPDATE SET name = EXCLUDED.name, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
				WHERE display_labels.name <> EXCLUDED.name`, e.Kind, e.Code, e.Locale, e.Name, by, now)
		}
		if err != nil {
			return fmt.Errorf("save the %s name of %s %q: %w", e.Locale, e.Kind, e.Code, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("save display names: %w", err)
	}
	return nil
}

// InUse returns the codes of the data-driven kinds (teams, touchpoints,
// event kinds, channels) found in the data: service events, complaints,
// users and action plans, and those named already. The fixed vocabularies
// (risks, states, signals) are the caller's to list.
func (s *Store) InUse(ctx context.Context) (map[Kind][]string, error) {
	var rows []struct {
		Kind Kind   `db:"kind"`
		Code string `db:"code"`
	}
	err := s.db.SelectContext(ctx, &rows, `
SELECT DISTINCT kind, code FROM (
    SELECT 'team' AS kind, team AS code FROM service_events
    UNION SELECT 'touchpoint', touchpoint FROM service_events
    UNION SELECT 'event_kind', kind FROM service_events
    UNION SELECT 'channel', channel FROM service_events
    UNION SELECT 'team', team FROM complaints
    UNION SELECT 'team', team FROM users
    UNION SELECT cause_kind, cause_value FROM action_plans WHERE cause_kind IN ('team', 'touchpoint')
    UNION SELECT 'team', team FROM team_calendars
    UNION SELECT kind, code FROM display_labels WHERE kind IN ('team', 'touchpoint', 'event_kind', 'channel')
) c WHERE code <> '' ORDER BY kind, code`)
	if err != nil {
		return nil, fmt.Errorf("codes in use: %w", err)
	}
	out := map[Kind][]string{}
	for _, r := range rows {
		out[r.Kind] = append(out[r.Kind], r.Code)
	}
	return out, nil
}
