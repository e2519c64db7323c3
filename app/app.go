package app

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // PostgreSQL driver
	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/compose"
	"github.com/followup/followup/config"
	"github.com/followup/followup/corrections"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/inbound"
	"github.com/followup/followup/inbound/route"
	"github.com/followup/followup/ingest"
	"github.com/followup/followup/labels"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/metrics"
	"github.com/followup/followup/migrations"
	"github.com/followup/followup/privacy"
	"github.com/followup/followup/replies"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
	"github.com/followup/followup/worker"
)

// Options are what the configuration does not say: injected for tests and
// the demo.
type Options struct {
	// Clock defaults to the real clock.
	Clock clock.Clock
	// Reconciled, when set, hears of every reconciliation pass of the
	// scheduler role (scheduler.RunnerConfig.Reconciled): tests wait on it
	// for a pass that would have re-enqueued lost work.
	Reconciled func(scheduler.Reconciliation)
}

// App is an assembled followup.
type App struct {
	Cfg   config.Config
	Log   *slog.Logger
	Clock clock.Clock

	DB *sqlx.DB
	// Redis is the process's one Redis client (one server, Sentinel or
	// Cluster: OpenRedis); RedisConn is asynq's option for the same.
	Redis     redis.UniversalClient
	RedisConn asynq.RedisConnOpt
	Queue     *worker.Client

	Templates *templates.Set
	Signer    *surveys.Signer
	Links     surveys.Links
	// Addresses signs the Reply-To and envelope-sender addresses of the
	// inbound domain; nil when FOLLOWUP_INBOUND_DOMAIN is empty.
	Addresses  *inbound.Addresser
	Mail       *mail.Sender
	Compose    *compose.Composer
	Customers  *customers.Store
	Scheduler  *scheduler.Store
	Intake     *scheduler.Intake
	Ingest     *ingest.Ingester
	Surveys    *surveys.Store
	Complaints *complaints.Store
	Users      *users.Store
	Alerts     *feedback.Store
	Metrics    *metrics.Metrics
	Replies    *replies.Service
	// Corrections are the agents' corrections of the comment reading.
	Corrections *corrections.Store
	// Loop is the internal loop around complaints.
	Loop *feedback.Loop
	// Reports are the external loop\'s figures.
	Reports *reports.Store
	// Labels keeps the display names of codes and the teams' calendars;
	// Names holds them in memory for pages, emails and deadlines.
	Labels *labels.Store
	Names  *labels.Cache
	// Inbound stores the mail received; Router parses and routes it.
	Inbound *inbound.Store
	Router  *route.Router
	// Privacy exports and erases customers' data and purges it past
	// FOLLOWUP_RETENTION_MONTHS.
	Privacy *privacy.Service

	reconciled func(scheduler.Reconciliation)
	// metricsAddr is where the metrics listener is bound (a string), once open.
	metricsAddr atomic.Value
	// throttle slows down the guessing of passwords and tokens (edge.go).
	throttle *web.Throttle
}

// New opens connections and builds every part. The database is not migrated
// here: call Migrate.
func New(ctx context.Context, cfg config.Config, log *slog.Logger, opts Options) (*App, error) {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	a := &App{Cfg: cfg, Log: log, Clock: opts.Clock, reconciled: opts.Reconciled}
	var err error
	a.DB, err = sqlx.Open("postgres", cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := a.DB.PingContext(pingCtx); err != nil {
		a.DB.Close()
		return nil, fmt.Errorf("connect to PostgreSQL (FOLLOWUP_DATABASE_URL): %w", err)
	}
	share, err := serverShare(pingCtx, a.DB, cfg.DatabaseProcesses)
	if err != nil {
		log.Warn("database pool: the server's connection limit is unknown", "err", err)
	}
	pool, capped := PoolSize(cfg.DatabasePool, cfg.WorkerConcurrency, share)
	if capped {
		log.Warn("database pool capped to this process's share of the server's max_connections; tasks wait for a connection",
			"pool", pool, "worker_concurrency", cfg.WorkerConcurrency, "processes", cfg.DatabaseProcesses)
	}
	a.DB.SetMaxOpenConns(pool)
	a.DB.SetMaxIdleConns(pool)
	a.DB.SetConnMaxIdleTime(5 * time.Minute)
	rds, err := OpenRedis(cfg.RedisURL, cfg.WorkerConcurrency+20)
	if err != nil {
		a.DB.Close()
		return nil, err
	}
	a.Redis, a.RedisConn = rds.Client, rds.ConnOpt
	if err := a.Redis.Ping(pingCtx).Err(); err != nil {
		a.Close()
		return nil, fmt.Errorf("connect to Redis (FOLLOWUP_REDIS_URL): %w", err)
	}
	a.Metrics = metrics.New()
	a.Queue = worker.NewClient(a.Redis, worker.ClientConfig{Queues: worker.Queues{Prefix: cfg.QueuePrefix},
		Log: log.With("component", "queue"), Metrics: a.Metrics})

	a.Templates, err = templates.New(templates.Brand{Name: cfg.Brand.Name, LogoURL: cfg.Brand.LogoURL, Color: cfg.Brand.Color,
		TextColor: cfg.Brand.TextColor, ContactEmail: cfg.ContactEmail(), ContactURL: cfg.Brand.ContactURL})
	if err != nil {
		a.Close()
		return nil, err
	}
	if len(cfg.Secret) > 0 {
		a.Signer, err = surveys.NewSigner(cfg.Secret, cfg.PreviousSecrets...)
		if err != nil {
			a.Close()
			return nil, err
		}
		a.Links = surveys.Links{Signer: a.Signer, Base: cfg.BaseURL}
		if cfg.Inbound.Domain != "" {
			// The keys of the survey links: they rotate together.
			if a.Addresses, err = inbound.NewAddresser(cfg.Inbound.Domain, cfg.Secret, cfg.PreviousSecrets...); err != nil {
				a.Close()
				return nil, err
			}
		}
	}
	a.Mail, err = mail.NewSender(mail.Config{
		Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username, Password: cfg.SMTP.Password,
		TLS: string(cfg.SMTP.TLS), RootCAs: cfg.SMTP.RootCAs, From: cfg.SMTP.From, Timeout: cfg.SMTP.Timeout,
		PoolSize: cfg.SMTP.Pool, PoolFloor: cfg.SMTP.PoolFloor, IdleTimeout: cfg.SMTP.IdleTimeout, NoPipelining: cfg.SMTP.NoPipelining,
		// One rate for the deployment: every process shares it through Redis.
		RatePerSecond: cfg.SMTP.Rate, Redis: a.Redis, KeyPrefix: cfg.QueuePrefix,
		DKIMKey: cfg.DKIM.Key, DKIMSelector: cfg.DKIM.Selector, DKIMDomain: cfg.DKIM.Domain,
	})
	if err != nil {
		a.Close()
		return nil, err
	}
	a.Surveys = surveys.NewStore(a.DB)
	a.Compose = &compose.Composer{Templates: a.Templates, Surveys: a.Surveys, Links: a.Links, From: cfg.SMTP.From, Inbound: a.Addresses}
	a.Customers = customers.NewStore(a.DB)
	a.Scheduler = scheduler.NewStore(a.DB)
	a.Intake = scheduler.NewIntake(a.DB, a.Customers, a.Scheduler)
	a.Ingest = ingest.New(a.Intake, a.Customers, a.Clock)
	a.Labels = labels.NewStore(a.DB)
	// The cache's age is wall-clock time (an edit in another process is
	// seen within it), whatever clock the rules run on.
	a.Names = labels.NewCache(a.Labels, nil, 0, log.With("component", "labels"))
	a.Templates.SetNames(a.Names.Name)
	a.Complaints = complaints.NewStore(a.DB, ComplaintPolicy(cfg))
	a.Complaints.SetGovernance(CompensationGovernance(cfg))
	a.Complaints.SetTeamCalendars(a.Names)
	a.Users = users.NewStore(a.DB)
	a.Alerts = feedback.NewStore(a.DB)
	a.throttle = a.newThrottle()
	q := a.Queue.Queues()
	a.Metrics.Registry.MustRegister(metrics.NewQueueCollector(asynq.NewInspectorFromRedisClient(a.Redis),
		[]string{q.Critical(), q.Default(), q.Low()}))
	a.Loop = feedback.NewLoop(a.DB, a.Complaints, a.Alerts, a.Queue, a.Clock, log.With("component", "loop"), feedback.LoopConfig{
		AckDelay: cfg.CX.AckDelay, RecoveryDelay: cfg.CX.RecoveryDelay, WarnShare: cfg.CX.WarnShare, BaseURL: cfg.BaseURL.String()})
	a.Replies = replies.New(a.DB, a.Surveys, a.Scheduler, a.Complaints, a.Clock, replies.Options{Loop: a.Loop, Metrics: a.Metrics})
	a.Corrections = corrections.NewStore(a.DB, a.Surveys, a.Complaints, corrections.Options{Loop: a.Loop, Metrics: a.Metrics})
	a.Reports = reports.NewStore(a.DB)
	a.Reports.SetCurrency(CompensationGovernance(cfg).Currency)
	a.Inbound = inbound.NewStore(a.DB)
	a.Router = &route.Router{Inbound: a.Inbound, Customers: a.Customers, Invitations: a.Scheduler, Surveys: a.Surveys, Replies: a.Replies,
		Loop: a.Loop, Clock: a.Clock, Log: log.With("component", "inbound"), ReopenWithin: cfg.Inbound.ReopenWithin,
		MaxAttachment: int(cfg.Inbound.MaxAttachment)}
	a.Privacy = &privacy.Service{DB: a.DB, Customers: a.Customers, Surveys: a.Surveys, Scheduler: a.Scheduler, Complaints: a.Complaints,
		Inbound: a.Inbound, Alerts: a.Alerts, Tasks: a.Queue, Clock: a.Clock, Log: log.With("component", "privacy")}
	return a, nil
}

// ComplaintPolicy builds the complaint policy from the configuration's
// deadline and gesture tables and key-customer threshold.
func ComplaintPolicy(cfg config.Config) complaints.Policy {
	p := complaints.DefaultPolicy()
	if len(cfg.ComplaintDeadlines) > 0 {
		p.Deadlines = map[complaints.Priority]time.Duration{}
		for pr, d := range cfg.ComplaintDeadlines {
			p.Deadlines[complaints.Priority(pr)] = d
		}
	}
	p.KeyCustomerCents = cfg.KeyCustomerCents
	p.Calendar = cfg.BusinessCalendar
	if len(cfg.Gestures) > 0 {
		p.Gestures = map[complaints.Severity]complaints.Gesture{}
		for sev, g := range cfg.Gestures {
			p.Gestures[complaints.Severity(sev)] = complaints.Gesture{Percent: g.Percent, MinCents: g.MinCents, MaxCents: g.MaxCents}
		}
	}
	return p
}

// CompensationGovernance builds the compensation policy (currency, limits
// per role) from the configuration.
func CompensationGovernance(cfg config.Config) complaints.Governance {
	g := complaints.DefaultGovernance()
	if cfg.Currency != "" {
		g.Currency = cfg.Currency
	}
	if len(cfg.CompensationLimits) > 0 {
		g.Limits = cfg.CompensationLimits
	}
	return g
}

// Migrate applies pending migrations, serialised across processes starting
// together.
func (a *App) Migrate(ctx context.Context) error {
	m, err := migrations.New(a.DB.DB, migrations.Options{LockName: "followup.migrations", Logger: a.Log})
	if err != nil {
		return err
	}
	n, err := m.Up(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		a.Log.Info("database migrated", "applied", n)
	}
	return nil
}

// EnsureSystem creates, on first use, what followup needs besides the
// schema: see EnsureBuiltins.
func (a *App) EnsureSystem(ctx context.Context) error {
	return EnsureBuiltins(ctx, a.DB, a.Clock.Now())
}

// EnsureBuiltins creates, on first use, what a fresh database needs besides
// its schema: the built-in service questionnaire (so a new marketer can start
// a campaign at once), the recovery survey and the campaign that sends it
// after a complaint is resolved. Run by migrate up and by every role at
// start; a survey already there is left as it is, edits included.
func EnsureBuiltins(ctx context.Context, db *sqlx.DB, now time.Time) error {
	sv := surveys.NewStore(db)
	if _, err := sv.EnsureDefault(ctx); err != nil {
		return fmt.Errorf("built-in questionnaire (is the database migrated? run followup migrate up): %w", err)
	}
	rec, err := sv.EnsureRecovery(ctx)
	if err != nil {
		return fmt.Errorf("recovery survey (is the database migrated? run followup migrate up): %w", err)
	}
	if _, err := scheduler.NewStore(db).EnsureRecoveryCampaign(ctx, rec.ID, now); err != nil {
		return err
	}
	return nil
}

// Close releases connections: the database last.
func (a *App) Close() {
	if a.Mail != nil {
		a.Mail.Close()
	}
	if a.Redis != nil {
		a.Redis.Close()
	}
	if a.DB != nil {
		a.DB.Close()
	}
}
