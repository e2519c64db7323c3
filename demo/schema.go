package demo

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"
)

// Database is where a demo run keeps its rows: a PostgreSQL schema of its
// own, so reruns never pile up customers and complaints.
type Database struct {
	// Schema is the schema's name (demo_20261214_093012 by default).
	Schema string
	// Created is true when the run made the schema; false when it reuses
	// one named on the command line.
	Created bool
	// URL connects to the schema (search_path set); it may hold a password.
	URL string
	// base is the database's URL as configured, without the search_path.
	base string
}

// schemaName is what a schema must look like to be named on the command
// line: a plain lower-case SQL identifier, never quoted.
var schemaName = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// runSchema is the shape of the schemas the demo names itself; --clean
// drops only those.
var runSchema = regexp.MustCompile(`^demo_[0-9]{8}_[0-9]{6}(_[0-9]+)?$`)

// PrepareSchema gives the run its schema in the database at baseURL. With
// name empty it creates demo_YYYYMMDD_HHMMSS (local time; _2, _3... when
// two runs start within a second); with a name it reuses that schema,
// creating it when absent. The caller migrates it.
func PrepareSchema(ctx context.Context, baseURL, name string, now time.Time) (Database, error) {
	if name != "" && !schemaName.MatchString(name) {
		return Database{}, fmt.Errorf("schema %q: expected lower-case letters, digits and _ (at most 63), not starting with a digit", name)
	}
	base, err := withoutSearchPath(baseURL)
	if err != nil {
		return Database{}, err
	}
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		return Database{}, err
	}
	defer admin.Close()
	db := Database{Schema: name, base: base}
	if name != "" {
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+pq.QuoteIdentifier(name)); err != nil {
			return Database{}, fmt.Errorf("create schema %s: %w", name, err)
		}
		var existed bool
		// CREATE SCHEMA IF NOT EXISTS does not say whether it created:
		// a schema with no goose table yet is one this run starts afresh.
		if err := admin.GetContext(ctx, &existed, `SELECT to_regclass($1) IS NOT NULL`, name+".goose_db_version"); err != nil {
			return Database{}, fmt.Errorf("look at schema %s: %w", name, err)
		}
		db.Created = !existed
	} else {
		stamp := "demo_" + now.Format("20060102_150405")
		for i := 1; ; i++ {
			db.Schema = stamp
			if i > 1 {
				db.Schema = fmt.Sprintf("%s_%d", stamp, i)
			}
			_, err := admin.ExecContext(ctx, "CREATE SCHEMA "+pq.QuoteIdentifier(db.Schema))
			var pqErr *pq.Error
			if errors.As(err, &pqErr) && pqErr.Code == "42P06" && i < 100 { // duplicate_schema: a run in the same second
				continue
			}
			if err != nil {
				return Database{}, fmt.Errorf("create schema %s: %w", db.Schema, err)
			}
			db.Created = true
			break
		}
	}
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", db.Schema)
	u.RawQuery = q.Encode()
	db.URL = u.String()
	return db, nil
}

// DropRunSchemas drops the schemas earlier demo runs created
// (demo_YYYYMMDD_HHMMSS), except keep, and returns their names.
func DropRunSchemas(ctx context.Context, baseURL, keep string) ([]string, error) {
	base, err := withoutSearchPath(baseURL)
	if err != nil {
		return nil, err
	}
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	var names []string
	if err := admin.SelectContext(ctx, &names, `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'demo\_%' ORDER BY nspname`); err != nil {
		return nil, fmt.Errorf("list demo schemas: %w", err)
	}
	var dropped []string
	for _, n := range names {
		if n == keep || !runSchema.MatchString(n) {
			continue
		}
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+pq.QuoteIdentifier(n)+" CASCADE"); err != nil {
			return dropped, fmt.Errorf("drop schema %s: %w", n, err)
		}
		dropped = append(dropped, n)
	}
	return dropped, nil
}

// Inspect is a psql command line that opens the schema (without the
// password, which psql asks for).
func (d Database) Inspect() string {
	u, err := url.Parse(d.base)
	if err != nil {
		return ""
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return fmt.Sprintf("PGOPTIONS='-c search_path=%s' psql '%s'", d.Schema, u.String())
}

// Drop is a psql command line that drops the schema.
func (d Database) Drop() string {
	u, err := url.Parse(d.base)
	if err != nil {
		return ""
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	return fmt.Sprintf("psql '%s' -c 'DROP SCHEMA %s CASCADE'", u.String(), d.Schema)
}

// withoutSearchPath is the database URL with any search_path removed: the
// run sets its own, and psql refuses the parameter.
func withoutSearchPath(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("parse the database URL: %w", err)
	}
	q := u.Query()
	q.Del("search_path")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// ForgetQueues deletes the asynq keys of the queues named with prefix: a
// demo run's own namespace in Redis, left empty when it stops (PostgreSQL
// keeps what a rerun on the same schema needs; its reconciler queues it
// again). It returns how many keys it deleted.
// On a Redis Cluster every primary is scanned.
func ForgetQueues(ctx context.Context, rdb redis.UniversalClient, prefix string) (int, error) {
	if prefix == "" {
		return 0, errors.New("no queue prefix: the queues are shared, not the demo's own")
	}
	var n atomic.Int64
	forget := func(ctx context.Context, node redis.UniversalClient) error {
		iter := node.Scan(ctx, 0, "asynq:{"+prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			// Deleted through rdb: a cluster routes the key to its slot's node.
			if err := rdb.Del(ctx, iter.Val()).Err(); err != nil {
				return err
			}
			n.Add(1)
		}
		return iter.Err()
	}
	var err error
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		err = cc.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error { return forget(ctx, node) })
	} else {
		err = forget(ctx, rdb)
	}
	if err != nil {
		return int(n.Load()), err
	}
	queues, err := rdb.SMembers(ctx, "asynq:queues").Result()
	if err != nil {
		return int(n.Load()), err
	}
	for _, q := range queues {
		if strings.HasPrefix(q, prefix) {
			if err := rdb.SRem(ctx, "asynq:queues", q).Err(); err != nil {
				return int(n.Load()), err
			}
		}
	}
	return int(n.Load()), nil
}
