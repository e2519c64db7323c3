package worker

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// ServerConfig tunes the asynq server.
type ServerConfig struct {
	Queues      Queues
	Concurrency int
	// ShutdownTimeout is how long in-flight tasks get on shutdown before
	// they go back to pending.
	ShutdownTimeout time.Duration
	// TaskCheckInterval is how often an idle worker polls the queues; lower
	// means a new task starts sooner.
	TaskCheckInterval time.Duration
}

// Handlers are the task handlers a server runs.
type Handlers struct {
	Send      *SendHandler
	Score     *ScoreHandler
	Alert     *AlertHandler
	Message   *ComplaintMessageHandler
	Deadlines *DeadlinesHandler
	// Report sends the weekly report (nil: not handled here).
	Report *ReportHandler
	// Inbound parses and routes the mail received (nil: not handled here).
	Inbound *InboundHandler
}

// NewServer returns an asynq server on a shared Redis client (which it does
// not close) running h, and its mux.
func NewServer(rdb redis.UniversalClient, cfg ServerConfig, h Handlers, log *slog.Logger) (*asynq.Server, *asynq.ServeMux) {
	if cfg.ShutdownTimeout <= 0 {
		cfg.ShutdownTimeout = 8 * time.Second
	}
	if cfg.TaskCheckInterval <= 0 {
		cfg.TaskCheckInterval = 100 * time.Millisecond
	}
	srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{
		Concurrency:       cfg.Concurrency,
		Queues:            cfg.Queues.Weights(),
		ShutdownTimeout:   cfg.ShutdownTimeout,
		TaskCheckInterval: cfg.TaskCheckInterval,
		RetryDelayFunc:    retryDelay,
		Logger:            slogAdapter{log.With("component", "asynq")},
		LogLevel:          asynq.WarnLevel,
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			retried, _ := asynq.GetRetryCount(ctx)
			maxRetry, _ := asynq.GetMaxRetry(ctx)
			if _, ok := retryAfterOf(err); ok {
				log.Info("task deferred", "type", t.Type(), "retry", retried, "max_retry", maxRetry, "reason", err)
				return
			}
			log.Error("task failed", "type", t.Type(), "retry", retried, "max_retry", maxRetry, "err", err)
		}),
	})
	mux := asynq.NewServeMux()
	mux.Handle(TypeSurveySend, h.Send)
	mux.Handle(TypeResponseScore, h.Score)
	if h.Alert != nil {
		mux.Handle(TypeFeedbackAlert, h.Alert)
	}
	if h.Message != nil {
		mux.Handle(TypeComplaintMessage, h.Message)
	}
	if h.Deadlines != nil {
		mux.Handle(TypeComplaintDeadlines, h.Deadlines)
	}
	if h.Report != nil {
		mux.Handle(TypeFeedbackReport, h.Report)
	}
	if h.Inbound != nil {
		mux.Handle(TypeInboundParse, h.Inbound)
	}
	return srv, mux
}

// retryDelay backs off from 1 s to 10 min with jitter: quick for a passing
// database hiccup, patient for an outage, never a hot loop. A task that
// asked for a given delay (a batch held under another worker's lease) gets
// it.
func retryDelay(n int, err error, t *asynq.Task) time.Duration {
	if d, ok := retryAfterOf(err); ok {
		return d
	}
	d := time.Second << min(n, 10)
	d = min(d, 10*time.Minute)
	return d/2 + time.Duration(time.Now().UnixNano()%int64(d/2+1))
}

type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a slogAdapter) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a slogAdapter) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a slogAdapter) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a slogAdapter) Fatal(args ...any) {
	a.l.Error(fmt.Sprint(args...))
	os.Exit(1)
}
