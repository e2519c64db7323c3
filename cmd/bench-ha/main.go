package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/followup/followup/internal/benchenv"
	"github.com/followup/followup/internal/haenv"
	"github.com/followup/followup/scheduler"
)

type options struct {
	n           int
	workers     []int
	concurrency int
	pool        int
	batch       int
	dbURL       string
	keep        bool
}

func main() {
	var o options
	var workers string
	flag.IntVar(&o.n, "n", 20000, "invitations in each run's campaign")
	flag.StringVar(&workers, "workers", "1,2,3", "numbers of `followup worker` processes to measure, comma-separated")
	flag.IntVar(&o.concurrency, "concurrency", 10, "FOLLOWUP_WORKER_CONCURRENCY of each worker")
	flag.IntVar(&o.pool, "pool", 8, "FOLLOWUP_SMTP_POOL of each worker")
	flag.IntVar(&o.batch, "batch", 200, "FOLLOWUP_SEND_BATCH_SIZE")
	flag.StringVar(&o.dbURL, "database-url", benchenv.Env("FOLLOWUP_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"),
		"PostgreSQL database; a fresh schema is created in it for each run and dropped after")
	flag.BoolVar(&o.keep, "keep", false, "keep the directory of logs (each redis-server, Sentinel and followup process)")
	flag.Parse()
	for _, w := range strings.Split(workers, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(w))
		if err != nil || k < 1 || k > 16 {
			fmt.Fprintf(os.Stderr, "bench-ha: -workers: %q is not a number from 1 to 16\n", w)
			os.Exit(2)
		}
		o.workers = append(o.workers, k)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench-ha:", err)
		os.Exit(1)
	}
}

// result is one run: how many workers, how long, how fast.
type result struct {
	workers int
	took    time.Duration
	tally   haenv.Tally
}

func run(ctx context.Context, o options) (err error) {
	dir, err := os.MkdirTemp("", "bench-ha-")
	if err != nil {
		return err
	}
	defer func() {
		if o.keep || err != nil { // a failed run's logs say why
			fmt.Println("logs kept in", dir)
		} else {
			_ = os.RemoveAll(dir)
		}
	}()
	bin := filepath.Join(dir, "followup")
	if err := benchenv.BuildFollowup(bin); err != nil {
		return err
	}
	ps := haenv.NewProcs()
	defer ps.KillAll()
	sentinels, err := haenv.StartSentinels(ctx, ps, dir)
	if err != nil {
		return err
	}
	fmt.Printf("bench-ha: %d invitations per run, Redis %s\n", o.n, sentinels.URL())
	var results []result
	for _, k := range o.workers {
		r, err := runOnce(ctx, o, ps, bin, dir, sentinels.URL(), k)
		if err != nil {
			return fmt.Errorf("%d workers: %w", k, err)
		}
		results = append(results, r)
		fmt.Printf("  %d worker(s): %s, %.0f emails/s (%s)\n", k, r.took.Round(time.Millisecond), float64(o.n)/r.took.Seconds(), r.tally)
	}
	fmt.Printf("\n| workers | campaign | emails/s |\n| --- | --- | --- |\n")
	for _, r := range results {
		fmt.Printf("| %d | %s | %.0f |\n", r.workers, r.took.Round(100*time.Millisecond), float64(o.n)/r.took.Seconds())
	}
	fmt.Printf("\nmachine: %s\nsettings: FOLLOWUP_WORKER_CONCURRENCY=%d FOLLOWUP_SMTP_POOL=%d FOLLOWUP_SEND_BATCH_SIZE=%d, one scheduler\n",
		benchenv.Machine(), o.concurrency, o.pool, o.batch)
	return nil
}

// runOnce sends one campaign with k workers on a fresh schema and queue
// prefix and times it from the resume to the last invitation settled.
func runOnce(ctx context.Context, o options, ps *haenv.Procs, bin, dir, redisURL string, k int) (result, error) {
	sink, err := haenv.StartSink() // a sink per run: invitation ids start at 1 in each schema
	if err != nil {
		return result{}, err
	}
	defer sink.Close()
	schema, err := benchenv.NewSchema(ctx, o.dbURL)
	if err != nil {
		return result{}, err
	}
	defer schema.Drop()
	blast, err := benchenv.SeedBlast(ctx, schema.DB, o.n)
	if err != nil {
		return result{}, err
	}
	random := make([]byte, 32)
	_, _ = rand.Read(random)
	runDir := filepath.Join(dir, fmt.Sprintf("workers-%d", k))
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		return result{}, err
	}
	fleet, err := haenv.NewFleet(ps, haenv.FleetConfig{Bin: bin, Dir: runDir, DatabaseURL: schema.URL, RedisURL: redisURL,
		QueuePrefix: "benchha" + hex.EncodeToString(random[:4]), Secret: hex.EncodeToString(random), SMTPPort: sink.Port(),
		Concurrency: o.concurrency, Pool: o.pool, Batch: o.batch})
	if err != nil {
		return result{}, err
	}
	defer fleet.Stop(10 * time.Second)
	if err := fleet.Start(ctx, k, 1, false); err != nil {
		return result{}, err
	}
	start := time.Now()
	if _, err := scheduler.NewStore(schema.DB).Transition(ctx, blast.CampaignID, "resume", start); err != nil {
		return result{}, err
	}
	var took time.Duration
	for {
		s, err := haenv.CampaignStates(ctx, schema.DB, blast.CampaignID)
		if err != nil {
			return result{}, err
		}
		if s.Pending == 0 {
			took = time.Since(start)
			break
		}
		if err := fleet.Exited(); err != nil {
			return result{}, err
		}
		if time.Since(start) > 30*time.Minute {
			return result{}, errors.New("the campaign did not end within 30 minutes")
		}
		select {
		case <-ctx.Done():
			return result{}, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	tally, err := haenv.Count(ctx, schema.DB, blast.CampaignID, sink)
	if err != nil {
		return result{}, err
	}
	if tally.Lost != 0 || tally.Dups != 0 || tally.PG.Failed != 0 {
		return result{}, fmt.Errorf("the campaign was not sent exactly once: %s", tally)
	}
	return result{workers: k, took: took, tally: tally}, nil
}
