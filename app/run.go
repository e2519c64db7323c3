package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/hibiken/asynq"
	"github.com/hibiken/asynqmon"

	"github.com/followup/followup/feedback"
	"github.com/followup/followup/privacy"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/web"
	"github.com/followup/followup/web/api"
	"github.com/followup/followup/web/public"
	"github.com/followup/followup/web/staff"
	"github.com/followup/followup/worker"
)

// Roles says which parts a process runs.
type Roles struct {
	HTTP      bool
	Worker    bool
	Scheduler bool
	// Inbound is the SMTP listener of the mail that comes back; it runs
	// when FOLLOWUP_INBOUND_DOMAIN is set.
	Inbound bool
}

// Extras are optional parts mounted by the demo and the tests.
type Extras struct {
	// DevMail is mounted at /dev/mail when set.
	DevMail http.Handler
	// Listener, when set, is used instead of listening on FOLLOWUP_HTTP_ADDR.
	Listener net.Listener
	// InboundListener, when set, is used instead of listening on
	// FOLLOWUP_INBOUND_ADDR.
	InboundListener net.Listener
	// Captured, when set, is the SMTP capture behind DevMail: an erase
	// forgets the customer's messages it holds.
	Captured privacy.MailForgetter
}

// WebServer builds the HTTP handlers.
func (a *App) WebServer(ex Extras) *web.Server {
	return &web.Server{
		Users: a.Users, Queues: a.queueDashboard(), Metrics: a.Metrics.Handler(), Requests: a.Metrics.HTTP,
		Intake: a.Intake, Customers: a.Customers, Campaigns: a.Scheduler, Compose: a.Compose, Mail: a.Mail, Surveys: a.Surveys, Complaints: a.Complaints, Replies: a.Replies, Signer: a.Signer, Templates: a.Templates,
		Reports: a.Reports, Barometer: a.Barometer(), ReportLocation: a.reportLocation(),
		Scoring: a.Queue, Clock: a.Clock, Log: a.Log.With("component", "http"), DevMail: ex.DevMail,
		Ingest: a.Ingest, Loop: a.Loop, Corrections: a.Corrections, Labels: a.Labels, Names: a.Names,
		Inbound: a.Inbound, Mailbox: a.Router, Privacy: a.Privacy,
		Ready:    a.readyChecks(),
		Throttle: a.throttle, TrustedProxies: a.Cfg.Edge.TrustedProxies,
		Audiences: []web.Audience{public.Routes, api.Routes, staff.Routes},
	}
}

// readyChecks are the dependencies /readyz probes.
func (a *App) readyChecks() []web.Check {
	return []web.Check{
		{Name: "postgres", Check: func(ctx context.Context) error { return a.DB.PingContext(ctx) }},
		{Name: "redis", Check: func(ctx context.Context) error { return a.Redis.Ping(ctx).Err() }},
	}
}

// Handlers builds the task handlers.
func (a *App) Handlers() worker.Handlers {
	log := a.Log.With("component", "worker")
	return worker.Handlers{
		Send: &worker.SendHandler{Invitations: a.Scheduler, Customers: a.Customers, Compose: a.Compose, Mail: a.Mail,
			GiveUpAfter: a.Cfg.SendGiveUp, Clock: a.Clock, Log: log, Metrics: a.Metrics},
		Score: &worker.ScoreHandler{Replies: a.Replies, Log: log},
		Alert: &worker.AlertHandler{Alerts: a.Alerts, Webhook: a.webhook(), Mail: a.Mail, Users: a.Users, Complaints: a.Complaints,
			Emails: a.Cfg.Alerts.Emails, Base: a.Cfg.BaseURL.String(), Clock: a.Clock, Log: log, Metrics: a.Metrics},
		Message: &worker.ComplaintMessageHandler{Complaints: a.Complaints, Customers: a.Customers, Compose: a.Compose, Mail: a.Mail,
			ReplyTo: a.Cfg.CX.ReplyTo, Clock: a.Clock, Log: log, Metrics: a.Metrics},
		Deadlines: &worker.DeadlinesHandler{Loop: a.Loop, Log: log, Metrics: a.Metrics},
		Report:    a.reportHandler(log),
		Inbound:   &worker.InboundHandler{Router: a.Router},
	}
}

// Runner builds the scheduler role.
func (a *App) Runner() *scheduler.Runner {
	return scheduler.NewRunner(scheduler.RunnerConfig{
		SweepInterval:     a.Cfg.SweepInterval,
		ReconcileInterval: a.Cfg.ReconcileInterval,
		BatchSize:         a.Cfg.SendBatchSize,
		Grace:             max(a.Cfg.ReconcileInterval, 2*time.Second),
		Reconciled:        a.observeReconciliation,
		Reconcilers:       a.reconcilers(),
		Watches:           a.watches(),
		Stalled:           a.raiseStall,
		Periodic: append([]scheduler.Periodic{
			{Name: "complaint deadlines", Every: time.Minute, Run: func(ctx context.Context, now time.Time) error {
				return a.Queue.EnqueueDeadlineCheck(ctx, now)
			}},
		}, append(a.reportJobs(), a.retentionJobs()...)...),
	}, a.Scheduler, a.Surveys, a.Queue, scheduler.NewLeader(a.DB, "followup.scheduler"), a.Clock, a.Log.With("component", "scheduler"))
}

// Run runs roles until ctx is cancelled, then shuts down in order: HTTP
// first (no new work comes in), then the scheduler, then the asynq server
// (in-flight tasks get their shutdown timeout, then go back to pending), then
// the metrics listener (FOLLOWUP_METRICS_ADDR) when there is one. The caller
// closes the database last, with Close.
func (a *App) Run(ctx context.Context, roles Roles, ex Extras) error {
	if (roles.HTTP || roles.Worker || roles.Inbound) && a.Signer == nil {
		return errors.New("FOLLOWUP_SECRET is required to serve survey pages, send survey links and check inbound addresses")
	}
	if roles == (Roles{Inbound: true}) && a.Addresses == nil {
		return errors.New("FOLLOWUP_INBOUND_DOMAIN is required to run followup inbound: the domain of the addresses mail comes back to")
	}
	if err := a.EnsureSystem(ctx); err != nil {
		return err
	}
	if ex.Captured != nil {
		a.Privacy.Mail = ex.Captured
	}
	errc := make(chan error, 4)
	// Both listeners are opened before anything runs, so a taken address
	// stops the process at once.
	var httpLn net.Listener
	if roles.HTTP {
		httpLn = ex.Listener
		if httpLn == nil {
			var err error
			if httpLn, err = net.Listen("tcp", a.Cfg.HTTPAddr); err != nil {
				return fmt.Errorf("listen on FOLLOWUP_HTTP_ADDR %s: %w", a.Cfg.HTTPAddr, err)
			}
		}
	}
	inboundLn, err := a.listenInbound(roles, ex)
	if err != nil {
		if httpLn != nil {
			httpLn.Close()
		}
		return err
	}
	opsLn, err := a.listenOps(roles)
	if err != nil {
		if httpLn != nil {
			httpLn.Close()
		}
		if inboundLn != nil {
			inboundLn.Close()
		}
		return err
	}
	var httpSrv *http.Server
	if roles.HTTP {
		httpSrv = newHTTPServer(a.WebServer(ex).Handler(), time.Minute)
		a.Log.Info("http listening", "addr", httpLn.Addr().String(), "base_url", a.Cfg.BaseURL.String())
		go serveHTTP(httpSrv, httpLn, "http", errc)
	}
	var opsSrv *http.Server
	if opsLn != nil {
		opsSrv = newHTTPServer(a.OpsServer().OpsHandler(), 30*time.Second)
		a.Log.Info("metrics listening", "addr", opsLn.Addr().String(), "paths", "/metrics /healthz /readyz")
		go serveHTTP(opsSrv, opsLn, "metrics listener", errc)
	}
	inbound := a.startInbound(inboundLn, roles, errc)
	var asynqSrv *asynq.Server
	if roles.Worker {
		var mux *asynq.ServeMux
		asynqSrv, mux = worker.NewServer(a.Redis, worker.ServerConfig{
			Queues: a.Queue.Queues(), Concurrency: a.Cfg.WorkerConcurrency,
		}, a.Handlers(), a.Log)
		mux.Use(a.Metrics.Middleware)
		if err := asynqSrv.Start(mux); err != nil {
			errc <- fmt.Errorf("start worker: %w", err)
			asynqSrv = nil
		} else {
			a.Log.Info("worker started", "concurrency", a.Cfg.WorkerConcurrency, "queues", a.Queue.Queues().Weights())
		}
	}
	schedCtx, stopSched := context.WithCancel(context.Background())
	var schedDone sync.WaitGroup
	if roles.Scheduler {
		runner := a.Runner()
		schedDone.Add(1)
		go func() {
			defer schedDone.Done()
			if err := runner.Run(schedCtx); err != nil {
				errc <- fmt.Errorf("scheduler: %w", err)
			}
		}()
		a.Log.Info("scheduler started", "sweep_interval", a.Cfg.SweepInterval)
	}

	var runErr error
	select {
	case <-ctx.Done():
	case runErr = <-errc:
	}
	a.Log.Info("shutting down")
	if httpSrv != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = httpSrv.Shutdown(sctx)
		cancel()
	}
	inbound.stop()
	stopSched()
	schedDone.Wait()
	if asynqSrv != nil {
		asynqSrv.Shutdown()
	}
	// The metrics listener goes last: the drain above can still be scraped.
	if opsSrv != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = opsSrv.Shutdown(sctx)
		cancel()
	}
	a.Log.Info("stopped")
	return runErr
}

// queueDashboard is asynqmon, for admins (the web guard enforces it).
func (a *App) queueDashboard() http.Handler {
	return asynqmon.New(asynqmon.Options{RootPath: "/admin/queues", RedisConnOpt: a.RedisConn})
}

// webhook is the alert webhook, when one is configured.
func (a *App) webhook() feedback.Poster {
	if a.Cfg.Alerts.WebhookURL == "" {
		return nil
	}
	return &worker.Webhook{URL: a.Cfg.Alerts.WebhookURL, Secret: a.Cfg.Alerts.WebhookSecret}
}
