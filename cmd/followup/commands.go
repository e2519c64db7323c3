package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/config"
	"github.com/followup/followup/demo"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/migrations"

	"github.com/jmoiron/sqlx"
)

var (
	rolesServe     = app.Roles{HTTP: true}
	rolesWorker    = app.Roles{Worker: true}
	rolesScheduler = app.Roles{Scheduler: true}
	rolesAll       = app.Roles{HTTP: true, Worker: true, Scheduler: true, Inbound: true}
	rolesInbound   = app.Roles{Inbound: true}
)

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sub string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	cfg, _, err := loadConfig("migrate", args, stderr, config.Options{}, nil)
	if err != nil {
		return err
	}
	if sub != "up" && sub != "down" && sub != "status" {
		fmt.Fprintln(stderr, "usage: followup migrate up|down|status")
		return errUsage
	}
	db, err := sqlx.Open("postgres", cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	log := newLogger(cfg, stderr)
	m, err := migrations.New(db.DB, migrations.Options{LockName: "followup.migrations", Logger: log})
	if err != nil {
		return err
	}
	switch sub {
	case "up":
		n, err := m.Up(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "applied %d migration(s)\n", n)
		if err := app.EnsureBuiltins(ctx, db, time.Now()); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "built-in surveys ready: the service questionnaire and the recovery check")
	case "down":
		v, err := m.Down(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "rolled back migration %d\n", v)
	case "status":
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range st {
			state := "pending"
			if s.Applied {
				state = "applied " + s.AppliedAt
			}
			fmt.Fprintf(stdout, "%05d  %-40s %s\n", s.Version, s.File, state)
		}
	}
	return nil
}

// cmdRoles runs serve, worker, scheduler or all until interrupted. all
// migrates the database first.
func cmdRoles(ctx context.Context, name string, args []string, stderr io.Writer, roles app.Roles) error {
	cfg, _, err := loadConfig(name, args, stderr, config.Options{RequireSecret: roles.HTTP || roles.Worker || roles.Inbound}, nil)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if roles == rolesAll {
		if err := a.Migrate(ctx); err != nil {
			return err
		}
	}
	return a.Run(ctx, roles, app.Extras{})
}

// cmdDemo runs the demo: the embedded SMTP capture server stands in for the
// mail server, and a secret is generated when none is configured. Each run
// has a PostgreSQL schema (and asynq queues) of its own unless --schema
// names one to reuse.
func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var once, clean bool
	var customers int
	var schema string
	cfg, _, err := loadConfig("demo", args, stderr, config.Options{}, func(fs *flag.FlagSet) {
		fs.BoolVar(&once, "once", false, "stop after the simulated replies are processed and print a summary; without it the demo serves until Ctrl-C")
		fs.IntVar(&customers, "customers", 36, "how many simulated customers")
		fs.StringVar(&schema, "schema", os.Getenv("FOLLOWUP_DEMO_SCHEMA"), "reuse this PostgreSQL schema (created when absent) instead of a new demo_YYYYMMDD_HHMMSS one; env FOLLOWUP_DEMO_SCHEMA")
		fs.BoolVar(&clean, "clean", false, "drop the schemas earlier demo runs created (demo_YYYYMMDD_HHMMSS) before this run")
	})
	if err != nil {
		return err
	}
	if len(cfg.Secret) == 0 {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		cfg.Secret = []byte(hex.EncodeToString(b))
	}
	if cfg.SweepInterval == time.Second {
		cfg.SweepInterval = 200 * time.Millisecond
	}
	if _, set := os.LookupEnv("FOLLOWUP_ACK_DELAY"); !set {
		cfg.CX.AckDelay = 0 // acknowledgements at once, to be seen during the demo
	}
	// The demo's replies are today's: last week's report would be empty, and
	// its email would mix with the survey emails the demo waits for. The
	// reports page previews any week's report.
	cfg.Reports.Weekly.Off = true
	log := newLogger(cfg, stderr)

	smtpSrv, err := capture.Start(capture.Options{Addr: cfg.CaptureAddr})
	if err != nil {
		log.Warn("capture address taken, using a free port", "addr", cfg.CaptureAddr, "err", err)
		if smtpSrv, err = capture.Start(capture.Options{}); err != nil {
			return err
		}
	}
	defer smtpSrv.Close()
	cfg.SMTP.Host, cfg.SMTP.Port, cfg.SMTP.TLS = "127.0.0.1", smtpSrv.Port(), config.TLSNone
	cfg.SMTP.Username, cfg.SMTP.Password = "", ""
	// Two-way email is on in the demo: its customers answer by email and a
	// relay reports a late bounce, to the inbound listener.
	if cfg.Inbound.Domain == "" {
		cfg.Inbound.Domain = "reply.followup.localhost"
	}
	inboundLn, err := net.Listen("tcp", cfg.Inbound.Addr)
	if err != nil {
		log.Warn("inbound address taken, using a free port", "addr", cfg.Inbound.Addr, "err", err)
		if inboundLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on FOLLOWUP_HTTP_ADDR %s: %w (set FOLLOWUP_HTTP_ADDR to a free address)", cfg.HTTPAddr, err)
	}
	if _, set := os.LookupEnv("FOLLOWUP_BASE_URL"); !set {
		// Links must reach this very listener.
		cfg.BaseURL = &url.URL{Scheme: "http", Host: ln.Addr().String()}
	}
	if err := app.EnsureDatabase(ctx, cfg.DatabaseURL); err != nil {
		ln.Close()
		return fmt.Errorf("database (FOLLOWUP_DATABASE_URL): %w", err)
	}
	db, err := demo.PrepareSchema(ctx, cfg.DatabaseURL, schema, time.Now())
	if err != nil {
		ln.Close()
		return fmt.Errorf("demo schema: %w", err)
	}
	if clean {
		dropped, err := demo.DropRunSchemas(ctx, cfg.DatabaseURL, db.Schema)
		if err != nil {
			ln.Close()
			return fmt.Errorf("--clean: %w", err)
		}
		fmt.Fprintf(stdout, "dropped %d earlier demo schema(s)\n", len(dropped))
	}
	cfg.DatabaseURL = db.URL
	ownQueues := false
	if _, set := os.LookupEnv("FOLLOWUP_QUEUE_PREFIX"); !set && cfg.QueuePrefix == "" {
		// Task ids restart with a new schema's ids: queues shared with an
		// earlier run would take a new batch for an old, finished one.
		cfg.QueuePrefix, ownQueues = db.Schema+"-", true
	}
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		ln.Close()
		return err
	}
	defer a.Close()
	if err := a.Migrate(ctx); err != nil {
		ln.Close()
		return err
	}
	if ownQueues {
		defer func() {
			// A fresh context: ctx is cancelled by the Ctrl-C that ends a
			// serving demo.
			cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := demo.ForgetQueues(cctx, a.Redis, cfg.QueuePrefix); err != nil {
				log.Warn("the demo's queues were left in Redis", "prefix", cfg.QueuePrefix, "err", err)
			}
		}()
	}
	return demo.Run(ctx, a, demo.Options{Customers: customers, Once: once, Out: stdout, Listener: ln, Capture: smtpSrv, Database: db,
		InboundListener: inboundLn})
}
