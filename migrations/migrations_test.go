package migrations_test

import (
	"context"
	"testing"

	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/migrations"
)

// TestUpDownUp applies every migration, rolls each back, and applies them
// again: every Down undoes its Up.
func TestUpDownUp(t *testing.T) {
	t.Parallel()
	s := testenv.NewSchema(t) // migrated up
	ctx := context.Background()
	m, err := migrations.New(s.DB.DB, migrations.Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := m.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range st {
		if !row.Applied {
			t.Fatalf("migration %d not applied", row.Version)
		}
	}
	for range st {
		if _, err := m.Down(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var tables int
	if err := s.DB.Get(&tables, `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'`); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Errorf("%d tables left after rolling everything back", tables)
	}
	if n, err := m.Up(ctx); err != nil || n != len(st) {
		t.Fatalf("up again: %d %v", n, err)
	}
}
