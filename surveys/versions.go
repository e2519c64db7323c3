package surveys

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/jmoiron/sqlx"
)

// MeaningError refuses an edit that would change what an already answered
// question means: its kind, dimension, reverse scoring, or the risk of one
// of its options. Answers are aggregated by question key across versions,
// so the changed question needs a new key.
type MeaningError struct {
	Field   string
	Key     string
	Message string
}

func (e *MeaningError) Error() string { return e.Field + ": " + e.Message }

// Summary is a survey in a list.
type Summary struct {
	ID        int64     `db:"id" json:"id"`
	Slug      string    `db:"slug" json:"slug"`
	Name      string    `db:"name" json:"name"`
	Version   int       `db:"version" json:"version"`
	Versions  int       `db:"versions" json:"versions"`
	Responses int       `db:"responses" json:"responses"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
}

// List returns every survey with its latest version number and how many
// replies it has, by name.
func (s *Store) List(ctx context.Context) ([]Summary, error) {
	out := []Summary{}
	err := s.db.SelectContext(ctx, &out, `SELECT s.id, s.slug, s.name, s.updated_at,
			max(v.version) AS version, count(DISTINCT v.id) AS versions,
			(SELECT count(*) FROM responses r JOIN survey_versions rv ON rv.id = r.survey_version_id WHERE rv.survey_id = s.id) AS responses
		FROM surveys s JOIN survey_versions v ON v.survey_id = s.id
		GROUP BY s.id ORDER BY s.name, s.id`)
	if err != nil {
		return nil, fmt.Errorf("list surveys: %w", err)
	}
	return out, nil
}

// VersionInfo describes one version of a survey.
type VersionInfo struct {
	ID          int64     `db:"id" json:"version_id"`
	Version     int       `db:"version" json:"version"`
	Note        string    `db:"note" json:"note"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
	Invitations int       `db:"invitations" json:"invitations"`
	Responses   int       `db:"responses" json:"responses"`
}

// Versions lists a survey's versions, newest first, with how many
// invitations and replies use each.
func (s *Store) Versions(ctx context.Context, slug string) ([]VersionInfo, error) {
	out := []VersionInfo{}
	err := s.db.SelectContext(ctx, &out, `SELECT v.id, v.version, v.note, v.created_at,
			(SELECT count(*) FROM invitations i WHERE i.survey_version_id = v.id) AS invitations,
			(SELECT count(*) FROM responses r WHERE r.survey_version_id = v.id) AS responses
		FROM survey_versions v JOIN surveys s ON s.id = v.survey_id
		WHERE s.slug = $1 ORDER BY v.version DESC`, slug)
	if err != nil {
		return nil, fmt.Errorf("versions of survey %q: %w", slug, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("survey %q: %w", slug, ErrNotFound)
	}
	return out, nil
}

// VersionNumber returns version n of the survey with slug.
func (s *Store) VersionNumber(ctx context.Context, slug string, n int) (*Survey, error) {
	var vid int64
	err := s.db.GetContext(ctx, &vid, `SELECT v.id FROM survey_versions v JOIN surveys s ON s.id = v.survey_id
		WHERE s.slug = $1 AND v.version = $2`, slug, n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("survey %q version %d: %w", slug, n, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("survey %q version %d: %w", slug, n, err)
	}
	return s.Version(ctx, vid)
}

// Updated is the outcome of Update.
type Updated struct {
	Survey *Survey
	// NewVersion is true when the edit made a new version; false when only
	// the name changed (or nothing did).
	NewVersion bool
}

// Update applies an edited definition to the survey with slug. The name
// changes in place. Questions and thresholds never change under existing
// answers: when they differ from the latest version, a new version is
// stored, and invitations already scheduled keep the version they have.
// An answered question may get new wording or options, but not a new
// meaning (see MeaningError).
func (s *Store) Update(ctx context.Context, slug string, def Survey, note string) (Updated, error) {
	def.Slug = slug
	if err := def.Validate(); err != nil {
		return Updated{}, err
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Updated{}, fmt.Errorf("update survey %q: %w", slug, err)
	}
	defer tx.Rollback()
	// Locking the survey serialises edits: version numbers stay dense.
	if err := tx.GetContext(ctx, &def.ID, `SELECT id FROM surveys WHERE slug = $1 FOR UPDATE`, slug); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Updated{}, fmt.Errorf("survey %q: %w", slug, ErrNotFound)
		}
		return Updated{}, fmt.Errorf("lock survey %q: %w", slug, err)
	}
	var latestID int64
	if err := tx.QueryRowxContext(ctx, `SELECT id, version FROM survey_versions WHERE survey_id = $1 ORDER BY version DESC LIMIT 1`,
		def.ID).Scan(&latestID, &def.Version); err != nil {
		return Updated{}, fmt.Errorf("latest version of survey %q: %w", slug, err)
	}
	latest, err := s.Version(ctx, latestID)
	if err != nil {
		return Updated{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE surveys SET name = $2, updated_at = now() WHERE id = $1`, def.ID, def.Name); err != nil {
		return Updated{}, fmt.Errorf("rename survey %q: %w", slug, err)
	}
	out := Updated{}
	if sameContent(latest, &def) {
		def.VersionID = latest.VersionID
		def.Questions = latest.Questions
	} else {
		if err := s.checkMeaning(ctx, tx, def); err != nil {
			return Updated{}, err
		}
		def.Version++
		def.VersionID = 0
		if err := insertVersion(ctx, tx, &def, note); err != nil {
			return Updated{}, err
		}
		out.NewVersion = true
	}
	if err := tx.Commit(); err != nil {
		return Updated{}, fmt.Errorf("update survey %q: %w", slug, err)
	}
	out.Survey = &def
	return out, nil
}

// sameContent reports whether two versions ask the same questions with the
// same thresholds.
func sameContent(a, b *Survey) bool {
	if len(a.Questions) != len(b.Questions) || !reflect.DeepEqual(normThresholds(a.Thresholds), normThresholds(b.Thresholds)) {
		return false
	}
	for i := range a.Questions {
		qa, qb := a.Questions[i], b.Questions[i]
		qa.ID, qb.ID = 0, 0
		qa.Dimension, qb.Dimension = dimensionOrNone(qa.Dimension), dimensionOrNone(qb.Dimension)
		if len(qa.Options) == 0 {
			qa.Options = nil
		}
		if len(qb.Options) == 0 {
			qb.Options = nil
		}
		if !reflect.DeepEqual(qa, qb) {
			return false
		}
	}
	return true
}

func normThresholds(t Thresholds) map[Dimension]float64 {
	out := map[Dimension]float64{}
	for _, d := range append([]Dimension{Overall}, JusticeDimensions...) {
		out[d] = t.For(d)
	}
	return out
}

// checkMeaning refuses to give an answered question key a new meaning.
func (s *Store) checkMeaning(ctx context.Context, tx *sqlx.Tx, def Survey) error {
	var rows []struct {
		Key       string `db:"key"`
		Kind      string `db:"kind"`
		Dimension string `db:"dimension"`
		Reverse   bool   `db:"reverse"`
		Options   []byte `db:"options"`
	}
	err := tx.SelectContext(ctx, &rows, `SELECT DISTINCT ON (q.key) q.key, q.kind, q.dimension, q.reverse, q.options
		FROM survey_questions q JOIN survey_versions v ON v.id = q.survey_version_id
		WHERE v.survey_id = $1
		  AND EXISTS (SELECT 1 FROM responses r WHERE r.survey_version_id = v.id AND r.answers ? q.key)
		ORDER BY q.key, v.version DESC`, def.ID)
	if err != nil {
		return fmt.Errorf("answered questions of survey %q: %w", def.Slug, err)
	}
	for _, old := range rows {
		for i, q := range def.Questions {
			if q.Key != old.Key {
				continue
			}
			field := fmt.Sprintf("questions[%d]", i)
			refuse := func(what, was, now string) error {
				return &MeaningError{Field: field + "." + what, Key: q.Key, Message: fmt.Sprintf(
					"question %q already has answers as %s %s; changing it to %s would change what those answers mean: give the changed question a new key",
					q.Key, what, was, now)}
			}
			switch {
			case string(q.Kind) != old.Kind:
				return refuse("kind", old.Kind, string(q.Kind))
			case string(dimensionOrNone(q.Dimension)) != old.Dimension:
				return refuse("dimension", old.Dimension, string(dimensionOrNone(q.Dimension)))
			case q.Reverse != old.Reverse:
				return refuse("reverse", fmt.Sprint(old.Reverse), fmt.Sprint(q.Reverse))
			}
			var opts []Option
			if err := json.Unmarshal(old.Options, &opts); err != nil {
				return fmt.Errorf("options of question %q: %w", old.Key, err)
			}
			for _, o := range opts {
				for j, n := range q.Options {
					if n.Key == o.Key && n.Risk != o.Risk {
						return &MeaningError{Field: fmt.Sprintf("%s.options[%d].risk", field, j), Key: q.Key, Message: fmt.Sprintf(
							"option %q of question %q already has answers tagged with risk %q: give the option a new key to tag it %q",
							o.Key, q.Key, o.Risk, n.Risk)}
					}
				}
			}
		}
	}
	return nil
}
