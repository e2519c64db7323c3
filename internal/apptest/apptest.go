package apptest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/clock"
	"github.com/followup/followup/config"
	"github.com/followup/followup/internal/contracttest"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/users"
)

// Harness is a running followup.
type Harness struct {
	App     *app.App
	URL     string
	Capture *capture.Server
	Schema  *testenv.Schema
	Queues  *testenv.Queues
	// MetricsURL is the metrics listener's base URL (http://host:port) when
	// FOLLOWUP_METRICS_ADDR is set in Options.Env (port 0 picks a free one).
	MetricsURL string
	// InboundAddr is the inbound SMTP listener's host:port when the
	// inbound role runs (by default when Options.Env sets
	// FOLLOWUP_INBOUND_DOMAIN).
	InboundAddr string

	cancel context.CancelFunc
	done   chan error
	passes *passes
	// contract checks the API clients' calls (API, APIToken); loaded on
	// first use.
	contract     *contracttest.Checker
	contractOnce sync.Once
}

// Options tune Start.
type Options struct {
	// Roles to run; default all three, and the inbound listener when Env
	// sets FOLLOWUP_INBOUND_DOMAIN.
	Roles *app.Roles
	// Env overrides configuration variables (FOLLOWUP_*).
	Env map[string]string
	// Clock defaults to the real clock.
	Clock clock.Clock
	// Capture tunes the SMTP capture server (STARTTLS, AUTH); its Addr is
	// ignored. Default: neither, as the demo's.
	Capture capture.Options
	// Queues defaults to a private prefix on the shared Redis database
	// (testenv.NewQueues); testenv.NewFlushableQueues gives a database of
	// the test's own.
	Queues *testenv.Queues
}

// Config builds a configuration for tests from defaults and env.
func Config(t testing.TB, env map[string]string) config.Config {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	config.Register(fs)
	_ = fs.Parse(nil)
	cfg, err := config.Load(fs, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, config.Options{RequireSecret: true})
	if err != nil {
		t.Fatalf("test config: %v", err)
	}
	return cfg
}

// Env is the configuration of a test deployment: its schema, its queues,
// the capture server for SMTP and the listener for HTTP, with fast sweeps.
func Env(schema *testenv.Schema, queues *testenv.Queues, smtpSrv *capture.Server, ln net.Listener) map[string]string {
	return map[string]string{
		"FOLLOWUP_DATABASE_URL":       schema.URL,
		"FOLLOWUP_REDIS_URL":          queues.RedisURL,
		"FOLLOWUP_QUEUE_PREFIX":       queues.Prefix,
		"FOLLOWUP_SECRET":             testenv.Secret,
		"FOLLOWUP_BASE_URL":           "http://" + ln.Addr().String(),
		"FOLLOWUP_SMTP_HOST":          "127.0.0.1",
		"FOLLOWUP_SMTP_PORT":          strconv.Itoa(smtpSrv.Port()),
		"FOLLOWUP_SMTP_TLS":           "none",
		"FOLLOWUP_SMTP_TIMEOUT":       "5s",
		"FOLLOWUP_SWEEP_INTERVAL":     "50ms",
		"FOLLOWUP_RECONCILE_INTERVAL": "1s",
		"FOLLOWUP_WORKER_CONCURRENCY": "5",
		// The barometer and the weekly report would mail managers in tests
		// that do not expect it; the tests of the external loop turn them on.
		"FOLLOWUP_BAROMETER":       "none",
		"FOLLOWUP_REPORT_SCHEDULE": "off",
		// Deadlines in wall-clock hours, so that a test's figures do not
		// depend on the hour or the day it runs (a P1 opened after 14:00 in
		// Paris would be due the next morning); the tests of business hours
		// set a calendar and a fake clock.
		"FOLLOWUP_BUSINESS_CALENDAR": "none",
	}
}

// Start runs followup until the test ends.
func Start(t testing.TB, opts Options) *Harness {
	t.Helper()
	schema := testenv.NewSchema(t)
	queues := opts.Queues
	if queues == nil {
		queues = testenv.NewQueues(t)
	}
	capOpts := opts.Capture
	capOpts.Addr = ""
	smtpSrv, err := capture.Start(capOpts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { smtpSrv.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	env := Env(schema, queues, smtpSrv, ln)
	for k, v := range opts.Env {
		env[k] = v
	}
	cfg := Config(t, env)
	log := slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: logLevel()}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	passes := newPasses()
	a, err := app.New(ctx, cfg, log, app.Options{Clock: opts.Clock, Reconciled: passes.add})
	if err != nil {
		t.Fatalf("start app: %v", err)
	}
	roles := app.Roles{HTTP: true, Worker: true, Scheduler: true, Inbound: cfg.Inbound.Domain != ""}
	if opts.Roles != nil {
		roles = *opts.Roles
	}
	var inboundLn net.Listener
	if roles.Inbound {
		if inboundLn, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	runCtx, stop := context.WithCancel(context.Background())
	h := &Harness{App: a, URL: cfg.BaseURL.String(), Capture: smtpSrv, Schema: schema, Queues: queues, cancel: stop, done: make(chan error, 1), passes: passes}
	if inboundLn != nil {
		h.InboundAddr = inboundLn.Addr().String()
	}
	go func() {
		h.done <- a.Run(runCtx, roles, app.Extras{DevMail: smtpSrv.Handler("/dev/mail"), Captured: smtpSrv, Listener: ln, InboundListener: inboundLn})
	}()
	t.Cleanup(h.Stop)
	if roles.HTTP {
		waitHTTP(t, h.URL+"/healthz")
	}
	if cfg.MetricsAddr != "" {
		h.MetricsURL = "http://" + h.waitMetricsAddr(t)
		waitHTTP(t, h.MetricsURL+"/healthz")
	}
	return h
}

// waitMetricsAddr waits for Run to open the metrics listener and returns
// its address.
func (h *Harness) waitMetricsAddr(t testing.TB) string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if addr := h.App.MetricsAddr(); addr != "" {
			return addr
		}
		select {
		case err := <-h.done:
			h.done <- err // for Stop
			t.Fatalf("app stopped before opening FOLLOWUP_METRICS_ADDR: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("the metrics listener never opened")
	return ""
}

// Stop shuts the roles down and closes connections; safe to call twice.
func (h *Harness) Stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	<-h.done //nolint:errcheck // a stopped run's error is its context's
	h.cancel = nil
	h.App.Close()
}

func waitHTTP(t testing.TB, url string) {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never answered", url)
}

func logLevel() slog.Level {
	if os.Getenv("FOLLOWUP_TEST_LOG") != "" {
		return slog.LevelDebug
	}
	return slog.LevelWarn
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

var _ io.Writer = testWriter{}

// Password is the password of the users the harness creates.
const Password = "correct horse battery staple"

// User creates (once) a user with role, email role@test.example and
// Password, and returns it with a fresh API token.
func (h *Harness) User(t testing.TB, role users.Role) (users.User, string) {
	t.Helper()
	ctx := context.Background()
	email := string(role) + "@test.example"
	u, err := h.App.Users.ByEmail(ctx, email)
	if errors.Is(err, users.ErrNotFound) {
		u, err = h.App.Users.Create(ctx, users.NewUser{Email: email, Name: "Test " + string(role), Role: role, Team: "team-a", Password: Password})
	}
	if err != nil {
		t.Fatalf("user %s: %v", role, err)
	}
	_, secret, err := h.App.Users.NewToken(ctx, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return u, secret
}

// API returns an HTTP client that calls the API as a user with role. Each
// request under /api/v1 and its answer are checked against the API's
// OpenAPI contract (internal/contracttest): a mismatch fails t.
func (h *Harness) API(t testing.TB, role users.Role) *http.Client {
	t.Helper()
	_, token := h.User(t, role)
	return h.APIToken(t, token)
}

// APIToken returns an HTTP client that calls the API with token (any
// person's, or a wrong one), checked against the contract as API's.
func (h *Harness) APIToken(t testing.TB, token string) *http.Client {
	t.Helper()
	return &http.Client{Timeout: 10 * time.Second, Transport: bearer{token: token, next: h.Contract(t).Transport(t, nil)},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Contract returns the checker of the API's OpenAPI contract, for clients
// of the API the harness does not make (Checker.Transport).
func (h *Harness) Contract(t testing.TB) *contracttest.Checker {
	t.Helper()
	var err error
	h.contractOnce.Do(func() { h.contract, err = contracttest.Load() })
	if err != nil {
		t.Fatal(err)
	}
	if h.contract == nil {
		t.Fatal("the API contract could not be loaded (see the first test that tried)")
	}
	return h.contract
}

// bearer sends with next, adding the token (before the contract's check
// sees the request).
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// WaitMail waits (up to 20 s) for a captured email to addr whose subject
// contains subject, and returns it parsed. It looks again at each email
// the capture server receives.
func (h *Harness) WaitMail(t testing.TB, addr, subject string) *capture.Parsed {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		msgs := h.Capture.Messages()
		for _, m := range msgs {
			if !slices.ContainsFunc(m.To, func(to string) bool { return strings.EqualFold(strings.Trim(to, "<>"), addr) }) {
				continue
			}
			p, err := m.Parsed()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(p.Subject, subject) {
				return p
			}
		}
		looked := 0
		if len(msgs) > 0 {
			looked = msgs[len(msgs)-1].Seq
		}
		if _, err := h.Capture.WaitFor(ctx, looked+1); err != nil {
			var seen []string
			for _, m := range h.Capture.Messages() {
				if p, err := m.Parsed(); err == nil {
					seen = append(seen, fmt.Sprintf("%v: %s", m.To, p.Subject))
				}
			}
			t.Fatalf("no email to %s about %q; captured: %q", addr, subject, seen)
		}
	}
}
