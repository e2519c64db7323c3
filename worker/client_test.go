package worker_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/metrics"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/worker"
)

// TestArchivedTaskIsRevived: enqueuing work whose task asynq archived
// replaces the archived task by a new one with fresh retries, once; work
// still queued is left alone; a task refused as hopeless again after its
// revival waits for a backoff instead of looping.
func TestArchivedTaskIsRevived(t *testing.T) {
	t.Parallel()
	q := testenv.NewQueues(t)
	ctx := context.Background()
	m := metrics.New()
	c := worker.NewClient(q.Redis, worker.ClientConfig{Queues: worker.Queues{Prefix: q.Prefix}, Metrics: m})
	insp := asynq.NewInspectorFromRedisClient(q.Redis)
	queue, id := c.Queues().Critical(), "response:score:7"

	requeue := func(want scheduler.Outcome) {
		t.Helper()
		got, err := c.RequeueScore(ctx, 7)
		if err != nil || got != want {
			t.Fatalf("requeue: %v, %v; want %v", got, err, want)
		}
	}
	requeue(scheduler.Queued)
	requeue(scheduler.AlreadyQueued)

	// Archived by hand (as from the dashboard, or after its last retry).
	if err := insp.ArchiveTask(queue, id); err != nil {
		t.Fatal(err)
	}
	requeue(scheduler.Revived)
	info, err := insp.GetTaskInfo(queue, id)
	if err != nil {
		t.Fatal(err)
	}
	if info.State != asynq.TaskStatePending || info.Retried != 0 || info.MaxRetry != 25 || info.Headers[worker.RevivalsHeader] != "1" {
		t.Errorf("revived task: state %s, retried %d of %d, headers %v; want pending, fresh retries, one revival",
			info.State, info.Retried, info.MaxRetry, info.Headers)
	}
	requeue(scheduler.AlreadyQueued)
	if n := testutil.ToFloat64(m.TasksRevived.WithLabelValues(worker.TypeResponseScore)); n != 1 {
		t.Errorf("followup_tasks_revived_total = %v, want 1", n)
	}

	// A worker refuses it as hopeless (SkipRetry): archived again at once.
	// Revived once already, it now waits for its backoff.
	var runs atomic.Int32
	srv := asynq.NewServerFromRedisClient(q.Redis, asynq.Config{Queues: map[string]int{queue: 1}, Concurrency: 1,
		TaskCheckInterval: 10 * time.Millisecond, LogLevel: asynq.FatalLevel, Logger: quiet{}})
	mux := asynq.NewServeMux()
	mux.HandleFunc(worker.TypeResponseScore, func(context.Context, *asynq.Task) error {
		runs.Add(1)
		return fmt.Errorf("cannot read it: %w", asynq.SkipRetry)
	})
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	wait.Until(t, 20*time.Second, "the worker to archive the task", func() bool {
		info, err := insp.GetTaskInfo(queue, id)
		return err == nil && info.State == asynq.TaskStateArchived
	})
	requeue(scheduler.Held)
	requeue(scheduler.Held)
	if runs.Load() != 1 {
		t.Errorf("the hopeless task ran %d times, want once", runs.Load())
	}
}

// TestRevivalAfterRedisForgotTheQueue: after Redis was wiped, asynq's
// client does not list the queue again (it does so once per process), and
// its inspector then knows none of the queue's tasks. The client lists it
// again, so an archived task is still revived.
func TestRevivalAfterRedisForgotTheQueue(t *testing.T) {
	t.Parallel()
	q := testenv.NewQueues(t)
	ctx := context.Background()
	c := worker.NewClient(q.Redis, worker.ClientConfig{Queues: worker.Queues{Prefix: q.Prefix}})
	insp := asynq.NewInspectorFromRedisClient(q.Redis)
	if _, err := c.RequeueAlert(ctx, "complaint-opened:3"); err != nil {
		t.Fatal(err)
	}
	queue, id := c.Queues().Critical(), "feedback:alert:complaint-opened:3"
	if err := insp.ArchiveTask(queue, id); err != nil {
		t.Fatal(err)
	}
	if err := q.Redis.SRem(ctx, "asynq:queues", queue).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := insp.GetTaskInfo(queue, id); !errors.Is(err, asynq.ErrQueueNotFound) {
		t.Fatalf("inspector without the queue listed: %v, want ErrQueueNotFound", err)
	}
	if o, err := c.RequeueAlert(ctx, "complaint-opened:3"); err != nil || o != scheduler.Revived {
		t.Fatalf("requeue: %v, %v; want revived", o, err)
	}
}

type quiet struct{}

func (quiet) Debug(...any) {}
func (quiet) Info(...any)  {}
func (quiet) Warn(...any)  {}
func (quiet) Error(...any) {}
func (quiet) Fatal(...any) {}
