package worker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/metrics"
	"github.com/followup/followup/scheduler"
)

// RevivalsHeader is the task header counting how many times the work's
// task was revived after asynq archived it.
const RevivalsHeader = "followup-revivals"

// maxRevivalBackoff bounds the wait before reviving a task refused as
// hopeless again: work PostgreSQL says is pending is tried at least daily.
const maxRevivalBackoff = 24 * time.Hour

// ClientConfig tunes a Client.
type ClientConfig struct {
	// Queues names the deployment's queues.
	Queues Queues
	// Log hears of each revived task; nil logs nothing.
	Log *slog.Logger
	// Metrics counts revived tasks; nil counts nothing.
	Metrics *metrics.Metrics
}

// Client enqueues followup's tasks. It implements scheduler.Enqueuer and
// feedback.Dispatcher.
//
// Every task's id is derived from its work (a batch, a response, an
// alert...), so enqueuing work already queued is a no-op. But asynq keeps
// an archived task, id included, until it is deleted: once a task's
// retries are spent (an SMTP server down for an hour), enqueuing its work
// again would conflict with the archived task forever. So on a conflict
// the Client looks at the task holding the id: one waiting, scheduled,
// retrying or running is left alone; one archived (or completed while its
// work is still asked for) is deleted and queued anew with fresh retries
// (revived), and that is logged and counted. A task refused as hopeless
// (asynq.SkipRetry, archived before its retries were spent) is revived at
// once the first time, then after a backoff that grows fourfold from a
// minute to a day, so a task that can never succeed does not loop.
type Client struct {
	c      *asynq.Client
	insp   *asynq.Inspector
	rdb    redis.UniversalClient
	queues Queues
	log    *slog.Logger
	m      *metrics.Metrics
}

// NewClient returns a Client on a Redis client it shares (and does not
// close).
func NewClient(rdb redis.UniversalClient, cfg ClientConfig) *Client {
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Client{c: asynq.NewClientFromRedisClient(rdb), insp: asynq.NewInspectorFromRedisClient(rdb), rdb: rdb,
		queues: cfg.Queues, log: log, m: cfg.Metrics}
}

// Queues returns the queue names the client enqueues to.
func (c *Client) Queues() Queues { return c.queues }

// EnqueueSendBatch queues the sending of a batch of invitations.
func (c *Client) EnqueueSendBatch(ctx context.Context, batchID int64) error {
	_, err := c.RequeueSendBatch(ctx, batchID)
	return err
}

// RequeueSendBatch queues the sending of a batch of invitations, reviving
// its task if asynq archived it, and says what it did.
func (c *Client) RequeueSendBatch(ctx context.Context, batchID int64) (scheduler.Outcome, error) {
	t, err := NewSurveySendTask(c.queues, batchID)
	if err != nil {
		return 0, err
	}
	return c.put(ctx, t, c.queues.Default(), taskID(TypeSurveySend, batchID))
}

// EnqueueScore queues the scoring of a response.
func (c *Client) EnqueueScore(ctx context.Context, responseID int64) error {
	_, err := c.RequeueScore(ctx, responseID)
	return err
}

// RequeueScore queues the scoring of a response, reviving its task if
// asynq archived it, and says what it did.
func (c *Client) RequeueScore(ctx context.Context, responseID int64) (scheduler.Outcome, error) {
	t, err := NewResponseScoreTask(c.queues, responseID)
	if err != nil {
		return 0, err
	}
	return c.put(ctx, t, c.queues.Critical(), taskID(TypeResponseScore, responseID))
}

// taskID is the id of the task doing type typ's work on key: the same work
// always gets the same id.
func taskID(typ string, key any) string { return fmt.Sprintf("%s:%v", typ, key) }

// put enqueues t, whose id is id in queue, and resolves a conflict with a
// task holding that id (see Client).
func (c *Client) put(ctx context.Context, t *asynq.Task, queue, id string, opts ...asynq.Option) (scheduler.Outcome, error) {
	_, err := c.c.EnqueueContext(ctx, t, opts...)
	if err == nil {
		return scheduler.Queued, nil
	}
	if !errors.Is(err, asynq.ErrTaskIDConflict) {
		return 0, fmt.Errorf("enqueue %s: %w", id, err)
	}
	info, err := c.taskInfo(ctx, queue, id)
	if errors.Is(err, asynq.ErrTaskNotFound) {
		return c.again(ctx, t, opts)
	}
	if err != nil {
		return 0, fmt.Errorf("inspect %s: %w", id, err)
	}
	switch info.State {
	case asynq.TaskStateArchived, asynq.TaskStateCompleted:
		return c.revive(ctx, t, info, opts)
	default:
		return scheduler.AlreadyQueued, nil
	}
}

// again enqueues t after the task that conflicted with it went away.
func (c *Client) again(ctx context.Context, t *asynq.Task, opts []asynq.Option) (scheduler.Outcome, error) {
	_, err := c.c.EnqueueContext(ctx, t, opts...)
	switch {
	case err == nil:
		return scheduler.Queued, nil
	case errors.Is(err, asynq.ErrTaskIDConflict):
		return scheduler.AlreadyQueued, nil // queued meanwhile by someone else
	default:
		return 0, fmt.Errorf("enqueue %s again: %w", t.Type(), err)
	}
}

// taskInfo reads the task holding id. asynq's inspector only knows the
// queues listed in Redis, a list its client writes once per process: after
// Redis was wiped, a queue used since is missing from it though its tasks
// are there. The queue is then listed again, as asynq's client would.
func (c *Client) taskInfo(ctx context.Context, queue, id string) (*asynq.TaskInfo, error) {
	info, err := c.insp.GetTaskInfo(queue, id)
	if errors.Is(err, asynq.ErrQueueNotFound) {
		if err := c.rdb.SAdd(ctx, "asynq:queues", queue).Err(); err != nil {
			return nil, fmt.Errorf("list queue %s again: %w", queue, err)
		}
		info, err = c.insp.GetTaskInfo(queue, id)
	}
	return info, err
}

// revive replaces an archived (or completed) task by a new one with the
// same id and fresh retries, unless a task refused as hopeless must wait
// for its backoff.
func (c *Client) revive(ctx context.Context, t *asynq.Task, info *asynq.TaskInfo, opts []asynq.Option) (scheduler.Outcome, error) {
	revivals, _ := strconv.Atoi(info.Headers[RevivalsHeader])
	if wait := revivalWait(info, revivals, time.Now()); wait > 0 {
		return scheduler.Held, nil
	}
	if err := c.insp.DeleteTask(info.Queue, info.ID); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
		return 0, fmt.Errorf("delete %s task %s to revive it: %w", info.State, info.ID, err)
	}
	// The new task carries what the old one was queued with (queue,
	// retries, timeout, retention) and the revival count.
	topts := []asynq.Option{asynq.TaskID(info.ID), asynq.Queue(info.Queue), asynq.MaxRetry(info.MaxRetry)}
	if info.Timeout > 0 {
		topts = append(topts, asynq.Timeout(info.Timeout))
	}
	if info.Retention > 0 {
		topts = append(topts, asynq.Retention(info.Retention))
	}
	nt := asynq.NewTaskWithHeaders(t.Type(), t.Payload(), map[string]string{RevivalsHeader: strconv.Itoa(revivals + 1)}, topts...)
	o, err := c.again(ctx, nt, opts)
	if err != nil || o != scheduler.Queued {
		return o, err
	}
	hopeless := info.State == asynq.TaskStateArchived && info.Retried < info.MaxRetry
	c.log.Warn("task revived", "task", info.ID, "was", info.State.String(), "retried", info.Retried, "max_retry", info.MaxRetry,
		"refused_as_hopeless", hopeless, "last_error", info.LastErr, "revivals", revivals+1)
	if c.m != nil {
		c.m.TasksRevived.WithLabelValues(t.Type()).Inc()
	}
	return scheduler.Revived, nil
}

// revivalWait is how long an archived or completed task must still wait
// before it is revived. A task archived after spending its retries waited
// through them already: none. A task refused as hopeless (archived by
// SkipRetry before its retries were spent) or completed without doing its
// work waits, from its failure, 0 the first time, then 1 minute, 4, 16...
// up to a day.
func revivalWait(info *asynq.TaskInfo, revivals int, now time.Time) time.Duration {
	if info.State == asynq.TaskStateArchived && info.Retried >= info.MaxRetry {
		return 0
	}
	if revivals == 0 {
		return 0
	}
	backoff := maxRevivalBackoff
	if revivals <= 10 {
		backoff = min(time.Minute<<(2*(revivals-1)), maxRevivalBackoff)
	}
	last := info.LastFailedAt
	if info.State == asynq.TaskStateCompleted {
		last = info.CompletedAt
	}
	return max(last.Add(backoff).Sub(now), 0)
}
