package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/followup/followup/internal/benchenv"
)

type options struct {
	short                       bool
	only                        string
	n                           int
	rate                        float64
	concurrency, pool, batch    int
	pgDown, redisDown, smtpDown time.Duration
	giveUp, stall               time.Duration
	keep                        bool
	bin                         string
}

// drill is one fault drill: it runs in an environment of its own.
type drill struct {
	name  string
	about string
	run   func(context.Context, *env) *outcome
}

var drills = []drill{
	{"kill-worker", "kill -9 of the worker ×5 during the campaign, restarted each time", drillKill},
	{"postgres-stop", "PostgreSQL stopped (fast) mid-campaign, then started", drillPostgres},
	{"redis-kill", "Redis killed (SIGKILL, no persistence) mid-campaign, restarted empty", drillRedis},
	{"smtp-down", "the SMTP server down mid-campaign, then back", drillSMTP},
	{"archived-task", "a queued survey:send task archived by hand", drillArchive},
	{"bad-input", "NULs, invalid UTF-8, odd addresses, huge events on every public and API route", drillBadInput},
}

func main() {
	var o options
	flag.BoolVar(&o.short, "short", false, "a smaller campaign and short outages: the run CI can afford (a few minutes when nothing stalls)")
	flag.StringVar(&o.only, "only", "", "run only these drills (comma-separated): "+names())
	flag.IntVar(&o.n, "n", 0, "invitations in each drill's campaign (default 20000, -short 2000)")
	flag.Float64Var(&o.rate, "rate", -1, "FOLLOWUP_SMTP_RATE, messages per second, so that faults land mid-campaign (default 200, -short 100; 0: no limit)")
	flag.IntVar(&o.concurrency, "concurrency", 10, "FOLLOWUP_WORKER_CONCURRENCY")
	flag.IntVar(&o.pool, "pool", 4, "FOLLOWUP_SMTP_POOL: SMTP connections of the worker")
	flag.IntVar(&o.batch, "batch", 200, "FOLLOWUP_SEND_BATCH_SIZE")
	flag.DurationVar(&o.pgDown, "pg-down", 0, "how long PostgreSQL stays stopped (default 30s, -short 10s)")
	flag.DurationVar(&o.redisDown, "redis-down", 0, "how long Redis stays dead (default 5s, -short 2s)")
	flag.DurationVar(&o.smtpDown, "smtp-down", 0, "how long the SMTP server stays down (default 10m, -short 30s)")
	flag.DurationVar(&o.giveUp, "give-up", 0, "how long after a fault's end a campaign may take before the drill stops waiting (default 15m, -short 3m)")
	flag.DurationVar(&o.stall, "stall", 0, "how long a campaign may stand still before a drill calls it stalled and brings its next fault anyway (default 1m, -short 20s)")
	flag.BoolVar(&o.keep, "keep", false, "keep each drill's directory (logs of every process) even when it passes")
	flag.Parse()
	o.defaults()
	os.Exit(run(&o))
}

func names() string {
	var n []string
	for _, d := range drills {
		n = append(n, d.name)
	}
	return strings.Join(n, ", ")
}

func (o *options) defaults() {
	pick := func(d *time.Duration, full, short time.Duration) {
		if *d == 0 {
			*d = full
			if o.short {
				*d = short
			}
		}
	}
	if o.n == 0 {
		o.n = 20000
		if o.short {
			o.n = 2000
		}
	}
	if o.rate < 0 {
		o.rate = 200
		if o.short {
			o.rate = 100
		}
	}
	pick(&o.pgDown, 30*time.Second, 10*time.Second)
	pick(&o.redisDown, 5*time.Second, 2*time.Second)
	pick(&o.smtpDown, 10*time.Minute, 30*time.Second)
	pick(&o.giveUp, 15*time.Minute, 3*time.Minute)
	pick(&o.stall, time.Minute, 20*time.Second)
}

func run(o *options) int {
	var chosen []drill
	for _, d := range drills {
		if o.only == "" || containsName(o.only, d.name) {
			chosen = append(chosen, d)
		}
	}
	if len(chosen) == 0 {
		fmt.Fprintf(os.Stderr, "drills: no drill named %q; the drills are %s\n", o.only, names())
		return 2
	}
	// Ctrl-C and SIGTERM end the current drill, whose processes are then killed.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()

	tmp, err := os.MkdirTemp("", "drills-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, "drills:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "drills:", err)
		return 1
	}
	o.bin = filepath.Join(tmp, "followup")
	fmt.Println("building followup...")
	if err := benchenv.BuildFollowup(o.bin); err != nil {
		fmt.Fprintln(os.Stderr, "drills:", err)
		return 1
	}
	fmt.Printf("machine:  %s\n", benchenv.Machine())
	fmt.Printf("campaign: %d invitations, rate %g/s, worker concurrency %d, %d SMTP connections, batches of %d\n",
		o.n, o.rate, o.concurrency, o.pool, o.batch)
	fmt.Printf("outages:  PostgreSQL %s, Redis %s, SMTP %s; give up %s after a fault\n\n", o.pgDown, o.redisDown, o.smtpDown, o.giveUp)

	var results []*outcome
	for _, d := range chosen {
		if ctx.Err() != nil {
			break
		}
		fmt.Printf("== %s: %s\n", d.name, d.about)
		start := time.Now()
		out := runDrill(ctx, o, d)
		results = append(results, out)
		printOutcome(os.Stdout, out, time.Since(start))
	}
	printSummary(os.Stdout, results)
	for _, r := range results {
		if !r.pass() {
			return 1
		}
	}
	return 0
}

func containsName(list, name string) bool {
	for _, n := range strings.Split(list, ",") {
		if strings.TrimSpace(n) == name {
			return true
		}
	}
	return false
}

// runDrill runs one drill in a fresh environment and tears it down, even
// when the drill panics or is interrupted.
func runDrill(ctx context.Context, o *options, d drill) (out *outcome) {
	e, err := newEnv(ctx, o, d.name)
	if err != nil {
		return &outcome{Drill: d.name, Err: fmt.Errorf("environment: %w", err)}
	}
	defer func() {
		if p := recover(); p != nil {
			out = &outcome{Drill: d.name, Err: fmt.Errorf("panic: %v", p)}
		}
		keep := o.keep || out == nil || !out.pass()
		e.close(keep)
		if keep {
			out.note("logs in %s", e.dir)
		}
	}()
	out = d.run(ctx, e)
	out.Drill = d.name
	if ctx.Err() != nil && out.Err == nil {
		out.Err = ctx.Err()
	}
	return out
}
