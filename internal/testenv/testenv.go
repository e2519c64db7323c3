package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/migrations"
)

// DefaultDatabaseURL is used when FOLLOWUP_TEST_DATABASE_URL is unset.
const DefaultDatabaseURL = "postgres://followup:followup@127.0.0.1:5432/followup_test?sslmode=disable"

// DefaultRedisURL is used when FOLLOWUP_TEST_REDIS_URL is unset.
const DefaultRedisURL = "redis://127.0.0.1:6379/0"

// Secret is a link-signing secret for tests.
const Secret = "test-secret-0123456789abcdef0123456789"

var ensureOnce sync.Once
var ensureErr error

// DatabaseURL returns the base URL of the test database.
func DatabaseURL() string {
	if u := os.Getenv("FOLLOWUP_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultDatabaseURL
}

// RedisURL returns the URL of the test Redis.
func RedisURL() string {
	if u := os.Getenv("FOLLOWUP_TEST_REDIS_URL"); u != "" {
		return u
	}
	return DefaultRedisURL
}

// Schema is one test's private PostgreSQL schema.
type Schema struct {
	// Name is the schema name.
	Name string
	// URL connects with search_path set to the schema.
	URL string
	// DB is an open pool on URL.
	DB *sqlx.DB
}

// NewSchema creates a fresh schema, applies every migration to it and drops
// it when the test ends.
func NewSchema(t testing.TB) *Schema {
	t.Helper()
	ensureOnce.Do(func() { ensureErr = ensureDatabase(DatabaseURL()) })
	if ensureErr != nil {
		t.Fatalf("test database: %v", ensureErr)
	}
	name := "t_" + sanitize(t.Name()) + "_" + randomHex(4)
	admin, err := sqlx.Open("postgres", DatabaseURL())
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + pq.QuoteIdentifier(name)); err != nil {
		t.Fatalf("create schema %s: %v", name, err)
	}
	u, err := url.Parse(DatabaseURL())
	if err != nil {
		t.Fatalf("parse %s: %v", DatabaseURL(), err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	db, err := sqlx.Open("postgres", u.String())
	if err != nil {
		t.Fatalf("open schema %s: %v", name, err)
	}
	db.SetMaxOpenConns(20)
	m, err := migrations.New(db.DB, migrations.Options{})
	if err != nil {
		t.Fatalf("migrations: %v", err)
	}
	if _, err := m.Up(context.Background()); err != nil {
		t.Fatalf("migrate schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		db.Close()
		if os.Getenv("FOLLOWUP_TEST_KEEP_SCHEMAS") != "" {
			t.Logf("kept schema %s", name)
			return
		}
		admin, err := sqlx.Open("postgres", DatabaseURL())
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec("DROP SCHEMA " + pq.QuoteIdentifier(name) + " CASCADE")
	})
	return &Schema{Name: name, URL: u.String(), DB: db}
}

// Queues is one test's private asynq namespace on the real Redis.
type Queues struct {
	// Prefix is prepended to every queue name (config.QueuePrefix).
	Prefix string
	// RedisURL is the Redis to use.
	RedisURL string
	// Redis is an open client on RedisURL.
	Redis *redis.Client
}

// NewQueues picks a unique queue prefix and deletes its keys when the test ends.
func NewQueues(t testing.TB) *Queues {
	t.Helper()
	opt, err := redis.ParseURL(RedisURL())
	if err != nil {
		t.Fatalf("parse redis url: %v", err)
	}
	rdb := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("redis at %s: %v", RedisURL(), err)
	}
	prefix := "t" + randomHex(6) + "-"
	t.Cleanup(func() {
		DeleteQueueKeys(context.Background(), rdb, prefix)
		rdb.Close()
	})
	return &Queues{Prefix: prefix, RedisURL: RedisURL(), Redis: rdb}
}

// FlushRedisDB is the Redis logical database reserved for the one test that
// wipes Redis for real: app's TestRedisWipedMidCampaign sends FLUSHDB to it
// mid-campaign. Every other test shares database 0 through private queue
// prefixes, and nothing else in the repository (defaults, tools, scripts)
// uses database 13; keep it that way, since whatever is in it is lost. Test
// binaries take turns on it through NewFlushableQueues.
const FlushRedisDB = 13

// flushLeaseKey, in database 0 (which FLUSHDB on FlushRedisDB leaves alone),
// says which test holds FlushRedisDB.
const flushLeaseKey = "followup-test:redis-db-13"

// NewFlushableQueues gives the test Redis database FlushRedisDB to itself,
// empty, with a private queue prefix. A lease in database 0 makes test
// processes running at once (another package, another checkout) wait for
// their turn; the database is emptied again when the test ends.
func NewFlushableQueues(t testing.TB) *Queues {
	t.Helper()
	base, err := redis.ParseURL(RedisURL())
	if err != nil {
		t.Fatalf("parse redis url: %v", err)
	}
	lease := redis.NewClient(base)
	ctx := context.Background()
	token := randomHex(8)
	deadline := time.Now().Add(3 * time.Minute)
	for {
		// Outlives any one run of the test; frees the database if a test
		// binary dies holding it.
		ok, err := lease.SetNX(ctx, flushLeaseKey, token, 2*time.Minute).Result()
		if err != nil {
			t.Fatalf("redis at %s: %v", RedisURL(), err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Redis database %d stayed reserved by another test (key %s in database 0)", FlushRedisDB, flushLeaseKey)
		}
		time.Sleep(100 * time.Millisecond)
	}
	u, err := url.Parse(RedisURL())
	if err != nil {
		t.Fatalf("parse redis url: %v", err)
	}
	u.Path = fmt.Sprintf("/%d", FlushRedisDB)
	opt, err := redis.ParseURL(u.String())
	if err != nil {
		t.Fatalf("parse redis url: %v", err)
	}
	rdb := redis.NewClient(opt)
	if err := rdb.FlushDB(ctx).Err(); err != nil {
		t.Fatalf("empty Redis database %d: %v", FlushRedisDB, err)
	}
	t.Cleanup(func() {
		rdb.FlushDB(context.Background())
		rdb.Close()
		// Release the lease only if it is still this test's.
		releaseLease.Run(context.Background(), lease, []string{flushLeaseKey}, token)
		lease.Close()
	})
	return &Queues{Prefix: "t" + randomHex(6) + "-", RedisURL: u.String(), Redis: rdb}
}

var releaseLease = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// DeleteQueueKeys removes every asynq key of the queues named with prefix:
// what FLUSHALL does to one deployment, without touching the others.
func DeleteQueueKeys(ctx context.Context, rdb *redis.Client, prefix string) int {
	n := 0
	iter := rdb.Scan(ctx, 0, "asynq:{"+prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		if rdb.Del(ctx, iter.Val()).Err() == nil {
			n++
		}
	}
	queues, _ := rdb.SMembers(ctx, "asynq:queues").Result()
	for _, q := range queues {
		if strings.HasPrefix(q, prefix) {
			rdb.SRem(ctx, "asynq:queues", q)
		}
	}
	return n
}

func ensureDatabase(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("parse %s: %w", raw, err)
	}
	dbname := strings.TrimPrefix(u.Path, "/")
	probe, err := sqlx.Open("postgres", raw)
	if err != nil {
		return err
	}
	defer probe.Close()
	if err := probe.Ping(); err == nil {
		return nil
	}
	u.Path = "/postgres"
	admin, err := sqlx.Open("postgres", u.String())
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.Exec("CREATE DATABASE " + pq.QuoteIdentifier(dbname))
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && (pqErr.Code == "42P04" || pqErr.Code == "23505") {
		return nil // created by a concurrent test binary
	}
	if err != nil {
		return fmt.Errorf("create database %s (run scripts/services-up.sh): %w", dbname, err)
	}
	return nil
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 30 {
			break
		}
	}
	return b.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
