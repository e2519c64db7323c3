package surveys

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Settings are a survey's choices that do not change what its questions
// mean, so they change in place, without a new version.
type Settings struct {
	// AcknowledgeMild: a mild complaint (P4, no escalation) opened by a
	// reply to this survey gets the acknowledgement email too. True by
	// default; false spares mild cases an email that would say little.
	AcknowledgeMild bool `json:"acknowledge_mild"`
}

// Settings returns the settings of the survey with slug.
func (s *Store) Settings(ctx context.Context, slug string) (Settings, error) {
	var st Settings
	err := s.db.GetContext(ctx, &st.AcknowledgeMild, `SELECT acknowledge_mild FROM surveys WHERE slug = $1`, slug)
	if errors.Is(err, sql.ErrNoRows) {
		return st, fmt.Errorf("survey %q: %w", slug, ErrNotFound)
	}
	if err != nil {
		return st, fmt.Errorf("settings of survey %q: %w", slug, err)
	}
	return st, nil
}

// SetSettings changes the settings of the survey with slug.
func (s *Store) SetSettings(ctx context.Context, slug string, st Settings) error {
	res, err := s.db.ExecContext(ctx, `UPDATE surveys SET acknowledge_mild = $2, updated_at = now() WHERE slug = $1`, slug, st.AcknowledgeMild)
	if err != nil {
		return fmt.Errorf("settings of survey %q: %w", slug, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("survey %q: %w", slug, ErrNotFound)
	}
	return nil
}
