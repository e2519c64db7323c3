package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

//go:embed *.sql
var files embed.FS

// Options tune a Migrator.
type Options struct {
	// LockName, when set, serialises concurrent migrators on a PostgreSQL
	// advisory lock derived from it (processes starting together).
	LockName string
	// Logger receives one line per applied migration; nil is silent.
	Logger *slog.Logger
}

// Migrator applies the embedded migrations to one database (and the schema
// its search_path points at).
type Migrator struct {
	p *goose.Provider
}

// New prepares a Migrator for db.
func New(db *sql.DB, opts Options) (*Migrator, error) {
	var popts []goose.ProviderOption
	if opts.LockName != "" {
		h := fnv.New64a()
		_, _ = io.WriteString(h, opts.LockName)
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(int64(h.Sum64() >> 1)))
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		popts = append(popts, goose.WithSessionLocker(locker))
	}
	if opts.Logger != nil {
		popts = append(popts, goose.WithSlog(opts.Logger))
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, files, popts...)
	if err != nil {
		return nil, fmt.Errorf("load migrations: %w", err)
	}
	return &Migrator{p: p}, nil
}

// Up applies every pending migration and returns how many it applied.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	res, err := m.p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrate up: %w", err)
	}
	return len(res), nil
}

// Down rolls back the latest applied migration.
func (m *Migrator) Down(ctx context.Context) (int64, error) {
	res, err := m.p.Down(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate down: %w", err)
	}
	return res.Source.Version, nil
}

// Status describes one migration: its version, file and when it was applied.
type Status struct {
	Version int64
	File    string
	Applied bool
	// AppliedAt is zero when the migration is pending.
	AppliedAt string
}

// Status lists every migration and whether it is applied.
func (m *Migrator) Status(ctx context.Context) ([]Status, error) {
	st, err := m.p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]Status, 0, len(st))
	for _, s := range st {
		row := Status{Version: s.Source.Version, File: s.Source.Path, Applied: s.State == goose.StateApplied}
		if row.Applied {
			row.AppliedAt = s.AppliedAt.UTC().Format("2006-01-02 15:04:05 UTC")
		}
		out = append(out, row)
	}
	return out, nil
}
