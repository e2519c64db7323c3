package benchenv

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/app"
	"github.com/followup/followup/migrations"
)

// Schema is a migrated private schema; Drop removes it.
type Schema struct {
	Name string
	URL  string
	DB   *sqlx.DB
	base string
}

// NewSchema creates and migrates a schema in the database at baseURL (the
// database is created if missing).
func NewSchema(ctx context.Context, baseURL string) (*Schema, error) {
	if err := app.EnsureDatabase(ctx, baseURL); err != nil {
		return nil, err
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "bench_" + hex.EncodeToString(b)
	admin, err := sqlx.Open("postgres", baseURL)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+pq.QuoteIdentifier(name)); err != nil {
		return nil, fmt.Errorf("create schema: %w", err)
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, err
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	db, err := sqlx.Open("postgres", u.String())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(40)
	db.SetMaxIdleConns(40)
	m, err := migrations.New(db.DB, migrations.Options{})
	if err != nil {
		return nil, err
	}
	if _, err := m.Up(ctx); err != nil {
		return nil, err
	}
	return &Schema{Name: name, URL: u.String(), DB: db, base: baseURL}, nil
}

// Drop removes the schema and everything in it.
func (s *Schema) Drop() {
	s.DB.Close()
	admin, err := sqlx.Open("postgres", s.base)
	if err != nil {
		return
	}
	defer admin.Close()
	_, _ = admin.Exec("DROP SCHEMA " + pq.QuoteIdentifier(s.Name) + " CASCADE")
}

// Machine describes this machine for BENCHMARKS.md.
func Machine() string {
	cpu := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "MemTotal:") {
				var kb int64
				if _, err := fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, "MemTotal:")), "%d", &kb); err == nil {
					mem = fmt.Sprintf(", %.0f GiB RAM", float64(kb)/1024/1024)
				}
			}
		}
	}
	return fmt.Sprintf("%d cores (%s)%s, %s/%s, %s, %s", runtime.NumCPU(), cpu, mem, runtime.GOOS, runtime.GOARCH,
		runtime.Version(), time.Now().UTC().Format("2006-01-02"))
}

// Env returns the variable's value, or def.
func Env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
