package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/benchenv"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/worker"
)

func main() {
	n := flag.Int("n", 100000, "due invitations to sweep")
	batch := flag.Int("batch", 500, "invitations per send batch (one asynq task each)")
	dbURL := flag.String("database-url", benchenv.Env("FOLLOWUP_DATABASE_URL", "postgres://followup:followup@127.0.0.1:5432/followup?sslmode=disable"), "PostgreSQL")
	redisURL := flag.String("redis-url", benchenv.Env("FOLLOWUP_REDIS_URL", "redis://127.0.0.1:6379/0"), "Redis")
	flag.Parse()
	if err := run(*n, *batch, *dbURL, *redisURL); err != nil {
		fmt.Fprintln(os.Stderr, "bench-sweep:", err)
		os.Exit(1)
	}
}

func run(n, batch int, dbURL, redisURL string) error {
	ctx := context.Background()
	schema, err := benchenv.NewSchema(ctx, dbURL)
	if err != nil {
		return err
	}
	defer schema.Drop()
	opt, err := redis.ParseURL(redisURL)
	if err != nil {
		return err
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	prefix := schema.Name + "-"
	defer func() {
		iter := rdb.Scan(ctx, 0, "asynq:{"+prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			rdb.Del(ctx, iter.Val())
		}
		rdb.SRem(ctx, "asynq:queues", prefix+"default")
	}()

	sv, err := surveys.NewStore(schema.DB).EnsureDefault(ctx)
	if err != nil {
		return err
	}
	store := scheduler.NewStore(schema.DB)
	camp, err := store.CreateEventCampaign(ctx, scheduler.Campaign{Name: "bench", SurveyID: sv.ID, State: scheduler.StateActive,
		EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen()})
	if err != nil {
		return err
	}
	fmt.Printf("seeding %d due invitations...\n", n)
	start := time.Now()
	if _, err := schema.DB.ExecContext(ctx, `
INSERT INTO customers (external_ref, email, time_zone)
SELECT 'c' || g, 'c' || g || '@bench.test', (ARRAY['Europe/Paris', 'America/Montreal', 'Asia/Tokyo', 'UTC'])[1 + g % 4]
FROM generate_series(1, $1) g`, n); err != nil {
		return err
	}
	if _, err := schema.DB.ExecContext(ctx, `
INSERT INTO invitations (campaign_id, customer_id, survey_version_id, occurrence, scheduled_for)
SELECT $1, c.id, $2, now() - interval '1 hour', now() - interval '1 minute' * (c.id % 60) FROM customers c`, camp.ID, sv.VersionID); err != nil {
		return err
	}
	if _, err := schema.DB.ExecContext(ctx, `INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
		SELECT id, 'invitation', scheduled_for, campaign_id, customer_id FROM invitations`); err != nil {
		return err
	}
	if _, err := schema.DB.ExecContext(ctx, `ANALYZE`); err != nil {
		return err
	}
	fmt.Printf("seeded in %s\n", time.Since(start).Round(time.Millisecond))

	client := worker.NewClient(rdb, worker.ClientConfig{Queues: worker.Queues{Prefix: prefix}})
	runner := scheduler.NewRunner(scheduler.RunnerConfig{BatchSize: batch, MaxBatchesPerSweep: 1 << 30},
		store, surveys.NewStore(schema.DB), client, scheduler.NewLeader(schema.DB, "bench"), clock.Real{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	start = time.Now()
	if _, err := runner.Sweep(ctx); err != nil {
		return err
	}
	elapsed := time.Since(start)
	var queued int
	if err := schema.DB.GetContext(ctx, &queued, `SELECT count(*) FROM invitations WHERE state = 'queued'`); err != nil {
		return err
	}
	tasks, err := rdb.LLen(ctx, "asynq:{"+prefix+"default}:pending").Result()
	if err != nil {
		return err
	}
	fmt.Printf("machine:   %s\n", benchenv.Machine())
	fmt.Printf("swept:     %d invitations claimed into %d batches of %d, %d tasks enqueued\n", queued, (queued+batch-1)/batch, batch, tasks)
	fmt.Printf("time:      %s\n", elapsed.Round(time.Millisecond))
	fmt.Printf("rate:      %.0f invitations/s claimed and enqueued\n", float64(queued)/elapsed.Seconds())
	if queued != n || int(tasks) != (n+batch-1)/batch {
		return fmt.Errorf("expected %d queued and %d tasks", n, (n+batch-1)/batch)
	}
	return nil
}
