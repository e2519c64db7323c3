package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	// The IANA time zone database, for an image without /usr/share/zoneinfo
	// (FROM scratch): report time zones and team calendars need it.
	_ "time/tzdata"

	"github.com/followup/followup/config"
)

func main() {
	os.Exit(profiled(func() int { return run(os.Args[1:], os.Stdout, os.Stderr) }))
}

// profiled writes a CPU profile of the whole run to $FOLLOWUP_CPU_PROFILE,
// when set: a diagnostic for performance work (go tool pprof FILE).
func profiled(f func() int) int {
	path := os.Getenv("FOLLOWUP_CPU_PROFILE")
	if path == "" {
		return f()
	}
	out, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "followup: FOLLOWUP_CPU_PROFILE:", err)
		return 1
	}
	defer out.Close()
	if err := pprof.StartCPUProfile(out); err != nil {
		fmt.Fprintln(os.Stderr, "followup: FOLLOWUP_CPU_PROFILE:", err)
		return 1
	}
	defer pprof.StopCPUProfile()
	return f()
}

const usage = `usage: followup <command> [flags]

commands:
  migrate up|down|status   manage the database schema
  serve                    HTTP server: survey pages and the API
  worker                   task worker: sends surveys, scores replies
  scheduler                sweeps due invitations and reconciles lost work
  inbound                  receives the mail that comes back (SMTP listener on FOLLOWUP_INBOUND_ADDR)
  all                      serve, worker, scheduler and inbound (when FOLLOWUP_INBOUND_DOMAIN is set) in one process
  demo [--once]            everything, with an SMTP capture and simulated customers
  users add|token|...      people who sign in, their roles and API tokens
  import customers|events FILE.csv
                           bulk-load customers or service events from a CSV file
  comments eval|export     measure the comment reading; export agents' corrections
  customers export|erase REF
                           one customer's data as JSON, or erased everywhere (--yes)
  config                   print every setting as a Markdown table
  version                  print the version, commit and Go toolchain of this binary
  healthcheck [URL]        exit 0 when URL answers 2xx (default: /readyz of FOLLOWUP_METRICS_ADDR,
                           else FOLLOWUP_HTTP_ADDR): the healthcheck of an image without a shell

Run "followup <command> -h" for the flags of a command. Every flag has a
FOLLOWUP_* environment variable; see "followup config".
`

// errUsage marks a command-line mistake (exit status 2).
var errUsage = errors.New("usage")

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var err error
	switch cmd, rest := args[0], args[1:]; cmd {
	case "migrate":
		err = cmdMigrate(ctx, rest, stdout, stderr)
	case "serve":
		err = cmdRoles(ctx, cmd, rest, stderr, rolesServe)
	case "worker":
		err = cmdRoles(ctx, cmd, rest, stderr, rolesWorker)
	case "scheduler":
		err = cmdRoles(ctx, cmd, rest, stderr, rolesScheduler)
	case "all":
		err = cmdRoles(ctx, cmd, rest, stderr, rolesAll)
	case "inbound":
		err = cmdRoles(ctx, cmd, rest, stderr, rolesInbound)
	case "demo":
		err = cmdDemo(ctx, rest, stdout, stderr)
	case "users":
		err = cmdUsers(ctx, rest, os.Stdin, stdout, stderr)
	case "import":
		err = cmdImport(ctx, rest, stdout, stderr)
	case "comments":
		err = cmdComments(ctx, rest, stdout, stderr)
	case "customers":
		err = cmdCustomers(ctx, rest, stdout, stderr)
	case "config":
		err = config.WriteTable(stdout)
	case "version", "--version":
		err = cmdVersion(stdout)
	case "healthcheck":
		err = cmdHealthcheck(ctx, rest, stderr)
	default:
		fmt.Fprintf(stderr, "followup: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	var ce *config.Error
	if errors.As(err, &ce) {
		fmt.Fprintln(stderr, "followup:", ce.Error())
		return 2
	}
	fmt.Fprintln(stderr, "followup:", err)
	return 1
}

// loadConfig parses the command's flags and the environment.
func loadConfig(name string, args []string, stderr io.Writer, opts config.Options, extra func(*flag.FlagSet)) (config.Config, *flag.FlagSet, error) {
	fs := flag.NewFlagSet("followup "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	config.Register(fs)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return config.Config{}, fs, err
		}
		return config.Config{}, fs, errUsage
	}
	cfg, err := config.Load(fs, os.LookupEnv, opts)
	return cfg, fs, err
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	hopts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, hopts))
	}
	return slog.New(slog.NewTextHandler(w, hopts))
}
