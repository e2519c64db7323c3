package surveys

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/internal/prepared"
)

// ErrNotFound is a survey, version or response that does not exist.
var ErrNotFound = errors.New("not found")

// ErrSlugTaken is a new survey whose slug is already used.
var ErrSlugTaken = errors.New("a survey with this slug already exists")

// Store reads and writes surveys. Survey versions never change once stored,
// so the Store caches them.
type Store struct {
	db       *sqlx.DB
	versions sync.Map // version id -> *Survey
	stmts    *prepared.Cache
}

// NewStore returns a Store on db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db, stmts: prepared.New(db)} }

// Create stores a new survey as its version 1.
func (s *Store) Create(ctx context.Context, sv Survey) (*Survey, error) {
	return s.create(ctx, sv, "created")
}

func (s *Store) create(ctx context.Context, sv Survey, note string) (*Survey, error) {
	if err := sv.Validate(); err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("create survey %q: %w", sv.Slug, err)
	}
	defer tx.Rollback()
	err = tx.GetContext(ctx, &sv.ID, `INSERT INTO surveys (slug, name) VALUES ($1, $2) RETURNING id`, sv.Slug, sv.Name)
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "23505" {
		return nil, fmt.Errorf("create survey %q: %w", sv.Slug, ErrSlugTaken)
	}
	if err != nil {
		return nil, fmt.Errorf("create survey %q: %w", sv.Slug, err)
	}
	sv.Version = 1
	if err := insertVersion(ctx, tx, &sv, note); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("create survey %q: %w", sv.Slug, err)
	}
	return &sv, nil
}

// EnsureDefault returns the latest version of the built-in questionnaire,
// creating it on first use.
func (s *Store) EnsureDefault(ctx context.Context) (*Survey, error) {
	sv, err := s.Latest(ctx, DefaultSlug)
	if err == nil {
		return sv, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	sv, err = s.Create(ctx, Default())
	if errors.Is(err, ErrSlugTaken) {
		return s.Latest(ctx, DefaultSlug)
	}
	return sv, err
}

func insertVersion(ctx context.Context, tx *sqlx.Tx, sv *Survey, note string) error {
	th, err := json.Marshal(sv.Thresholds)
	if err != nil {
		return fmt.Errorf("encode thresholds: %w", err)
	}
	if err := tx.GetContext(ctx, &sv.VersionID,
		`INSERT INTO survey_versions (survey_id, version, thresholds, note) VALUES ($1, $2, $3, $4) RETURNING id`,
		sv.ID, sv.Version, th, note); err != nil {
		return fmt.Errorf("insert version %d of survey %q: %w", sv.Version, sv.Slug, err)
	}
	for i := range sv.Questions {
		q := &sv.Questions[i]
		text, _ := json.Marshal(q.Text)
		opts := []byte("[]")
		if len(q.Options) > 0 {
			opts, _ = json.Marshal(q.Options)
		}
		if err := tx.GetContext(ctx, &q.ID, `INSERT INTO survey_questions
			(survey_version_id, position, key, kind, dimension, reverse, required, wording, options)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			sv.VersionID, i+1, q.Key, q.Kind, dimensionOrNone(q.Dimension), q.Reverse, q.Required, text, opts); err != nil {
			return fmt.Errorf("insert question %q of survey %q: %w", q.Key, sv.Slug, err)
		}
	}
	return nil
}

func dimensionOrNone(d Dimension) Dimension {
	if d == "" {
		return NoDimension
	}
	return d
}

// Latest returns the latest version of the survey with slug.
func (s *Store) Latest(ctx context.Context, slug string) (*Survey, error) {
	var vid int64
	err := s.db.GetContext(ctx, &vid, `SELECT v.id FROM survey_versions v JOIN surveys s ON s.id = v.survey_id
		WHERE s.slug = $1 ORDER BY v.version DESC LIMIT 1`, slug)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("survey %q: %w", slug, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("latest version of survey %q: %w", slug, err)
	}
	return s.Version(ctx, vid)
}

// Version returns one survey version with its questions.
func (s *Store) Version(ctx context.Context, versionID int64) (*Survey, error) {
	if v, ok := s.versions.Load(versionID); ok {
		return v.(*Survey), nil
	}
	var row struct {
		ID         int64  `db:"id"`
		Slug       string `db:"slug"`
		Name       string `db:"name"`
		Version    int    `db:"version"`
		Thresholds []byte `db:"thresholds"`
	}
	err := s.db.GetContext(ctx, &row, `SELECT s.id, s.slug, s.name, v.version, v.thresholds
		FROM survey_versions v JOIN surveys s ON s.id = v.survey_id WHERE v.id = $1`, versionID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("survey version %d: %w", versionID, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("survey version %d: %w", versionID, err)
	}
	sv := &Survey{ID: row.ID, VersionID: versionID, Version: row.Version, Slug: row.Slug, Name: row.Name, Thresholds: Thresholds{}}
	if err := json.Unmarshal(row.Thresholds, &sv.Thresholds); err != nil {
		return nil, fmt.Errorf("thresholds of survey version %d: %w", versionID, err)
	}
	var qs []struct {
		ID        int64  `db:"id"`
		Key       string `db:"key"`
		Kind      string `db:"kind"`
		Dimension string `db:"dimension"`
		Reverse   bool   `db:"reverse"`
		Required  bool   `db:"required"`
		Wording   []byte `db:"wording"`
		Options   []byte `db:"options"`
	}
	if err := s.db.SelectContext(ctx, &qs, `SELECT id, key, kind, dimension, reverse, required, wording, options
		FROM survey_questions WHERE survey_version_id = $1 ORDER BY position`, versionID); err != nil {
		return nil, fmt.Errorf("questions of survey version %d: %w", versionID, err)
	}
	for _, r := range qs {
		q := Question{ID: r.ID, Key: r.Key, Kind: Kind(r.Kind), Dimension: Dimension(r.Dimension), Reverse: r.Reverse, Required: r.Required}
		if err := json.Unmarshal(r.Wording, &q.Text); err != nil {
			return nil, fmt.Errorf("wording of question %q: %w", r.Key, err)
		}
		if err := json.Unmarshal(r.Options, &q.Options); err != nil {
			return nil, fmt.Errorf("options of question %q: %w", r.Key, err)
		}
		sv.Questions = append(sv.Questions, q)
	}
	s.versions.Store(versionID, sv)
	return sv, nil
}
