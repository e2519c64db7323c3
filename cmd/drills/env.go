package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"github.com/followup/followup/internal/procgroup"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/app"
	"github.com/followup/followup/config"
	"github.com/followup/followup/internal/benchenv"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/web"
)

// env is one drill's world: its own PostgreSQL, Redis and SMTP sink on
// free ports, a migrated schema with a paused campaign of o.n due
// invitations, and the followup processes it runs. Closing it kills every
// process it started and removes its files (logs are kept with -keep, and
// on a failed drill).
type env struct {
	o     *options
	name  string
	dir   string
	ps    *procgroup.Procs
	pg    *postgresServer
	redis *redisServer
	sink  *sink
	db    *sqlx.DB
	blast benchenv.Blast

	secret   []byte
	httpPort int
	settings map[string]string
}

func newEnv(ctx context.Context, o *options, name string) (e *env, err error) {
	dir, err := os.MkdirTemp("", "drill-"+name+"-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o755); err != nil { // the postgres user writes its log here
		return nil, err
	}
	e = &env{o: o, name: name, dir: dir, ps: procgroup.New()}
	defer func() {
		if err != nil {
			e.close(true)
		}
	}()
	ports := make([]int, 4)
	for i := range ports {
		if ports[i], err = benchenv.FreePort(); err != nil {
			return e, err
		}
	}
	if e.pg, err = startPostgres(ctx, e.ps, dir, ports[0]); err != nil {
		return e, err
	}
	if e.redis, err = startRedis(ctx, e.ps, dir, ports[1]); err != nil {
		return e, err
	}
	if e.sink, err = newSink(ports[2]); err != nil {
		return e, err
	}
	e.httpPort = ports[3]
	schema, err := newSchemaWhenReady(ctx, e.pg.URL())
	if err != nil {
		return e, err
	}
	e.db = schema.DB
	if e.blast, err = benchenv.SeedBlast(ctx, e.db, o.n); err != nil {
		return e, err
	}
	e.secret = make([]byte, 32)
	_, _ = rand.Read(e.secret)
	e.settings = map[string]string{
		"FOLLOWUP_DATABASE_URL":       schema.URL,
		"FOLLOWUP_REDIS_URL":          e.redis.URL(),
		"FOLLOWUP_SECRET":             hex.EncodeToString(e.secret),
		"FOLLOWUP_HTTP_ADDR":          fmt.Sprintf("127.0.0.1:%d", e.httpPort),
		"FOLLOWUP_BASE_URL":           fmt.Sprintf("http://127.0.0.1:%d", e.httpPort),
		"FOLLOWUP_SMTP_HOST":          "127.0.0.1",
		"FOLLOWUP_SMTP_PORT":          strconv.Itoa(ports[2]),
		"FOLLOWUP_SMTP_TLS":           "none",
		"FOLLOWUP_SMTP_POOL":          strconv.Itoa(o.pool),
		"FOLLOWUP_SMTP_RATE":          strconv.FormatFloat(o.rate, 'f', -1, 64),
		"FOLLOWUP_WORKER_CONCURRENCY": strconv.Itoa(o.concurrency),
		"FOLLOWUP_SEND_BATCH_SIZE":    strconv.Itoa(o.batch),
		"FOLLOWUP_LOG_LEVEL":          "info",
		// A throwaway schema without replies: the barometer would only warn.
		"FOLLOWUP_BAROMETER":       "none",
		"FOLLOWUP_REPORT_SCHEDULE": "off",
	}
	return e, nil
}

// newSchemaWhenReady makes the drill's schema once PostgreSQL, which
// accepts connections before it is ready, answers queries.
func newSchemaWhenReady(ctx context.Context, url string) (*benchenv.Schema, error) {
	var last error
	for i := 0; i < 100; i++ {
		s, err := benchenv.NewSchema(ctx, url)
		if err == nil {
			return s, nil
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	return nil, fmt.Errorf("schema on the drill's PostgreSQL: %w", last)
}

// environ is the followup processes' environment: only the drill's
// settings and what a program needs to run, nothing of the caller's
// FOLLOWUP_* variables.
func (e *env) environ() []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	keys := make([]string, 0, len(e.settings))
	for k := range e.settings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, k+"="+e.settings[k])
	}
	return out
}

// start runs `followup ROLE` with the drill's settings; its logs go to
// ROLE.log in the drill's directory.
func (e *env) start(role string) (*procgroup.Proc, error) {
	return e.ps.StartAs(role, []string{e.o.bin, role}, e.environ(), filepath.Join(e.dir, role+".log"), nil)
}

// followup runs a followup command to its end and returns its standard output.
func (e *env) followup(ctx context.Context, extra []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, e.o.bin, args...)
	cmd.Env = append(e.environ(), extra...)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("followup %s: %v: %s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), nil
}

// adminToken makes an admin user and an API token for it, as an operator
// would, with the followup binary.
func (e *env) adminToken(ctx context.Context) (string, error) {
	pw := []string{"FOLLOWUP_NEW_PASSWORD=drills-password-" + hex.EncodeToString(e.secret[:4])}
	if _, err := e.followup(ctx, pw, "users", "add", "--email", "admin@drills.example", "--role", "admin", "--name", "Drills"); err != nil {
		return "", err
	}
	out, err := e.followup(ctx, nil, "users", "token", "--email", "admin@drills.example", "--name", "drills")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(out), nil
}

// routes lists every route the HTTP server registers, from the product's
// own router built on the drill's settings, so a route added later is
// swept without changing the drills.
func (e *env) routes(ctx context.Context) ([]web.Route, error) {
	fs := flag.NewFlagSet("drills", flag.ContinueOnError)
	config.Register(fs)
	cfg, err := config.Load(fs, func(k string) (string, bool) { v, ok := e.settings[k]; return v, ok }, config.Options{})
	if err != nil {
		return nil, err
	}
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return a.WebServer(app.Extras{}).Routes(), nil
}

// resume starts the campaign: every invitation is due at once.
func (e *env) resume(ctx context.Context) error {
	_, err := scheduler.NewStore(e.db).Transition(ctx, e.blast.CampaignID, "resume", time.Now())
	return err
}

// states counts the campaign's invitations by what PostgreSQL says of them.
type states struct {
	Sent    int `db:"sent"`    // sent (or answered)
	Pending int `db:"pending"` // scheduled, queued or sending: not settled
	Failed  int `db:"failed"`
	Other   int `db:"other"` // suppressed, expired
}

func (e *env) states(ctx context.Context) (states, error) {
	var s states
	err := e.db.GetContext(ctx, &s, `SELECT
		count(*) FILTER (WHERE state IN ('sent', 'answered')) AS sent,
		count(*) FILTER (WHERE state IN ('scheduled', 'queued', 'sending')) AS pending,
		count(*) FILTER (WHERE state = 'failed') AS failed,
		count(*) FILTER (WHERE state IN ('suppressed', 'expired')) AS other
		FROM invitations WHERE campaign_id = $1`, e.blast.CampaignID)
	return s, err
}

// close kills what the drill started and removes its files; logs stay
// when keep is set.
func (e *env) close(keep bool) {
	if e.db != nil {
		e.db.Close()
	}
	if e.pg != nil {
		e.pg.remove() // immediate shutdown first: no shared memory left behind
	}
	e.ps.KillAll()
	if e.sink != nil {
		e.sink.stop()
	}
	if !keep {
		_ = os.RemoveAll(e.dir)
	}
}
