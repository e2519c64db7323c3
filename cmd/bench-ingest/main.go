package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/config"
	"github.com/followup/followup/internal/benchenv"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench-ingest:", err)
		os.Exit(1)
	}
}

type options struct {
	events, batch, concurrency, customers int
	campaigns                             int
	keep, alwaysOpen                      bool
	cpuProfile                            string
	databaseURL, redisURL                 string
}

func run() error {
	var o options
	flag.IntVar(&o.events, "events", 200_000, "events to ingest")
	flag.IntVar(&o.batch, "batch", 10_000, "events per POST (at most 10000)")
	flag.IntVar(&o.concurrency, "concurrency", 2, "batches in flight at once")
	flag.IntVar(&o.campaigns, "campaigns", 1, "active campaigns listening to the events: each event schedules one invitation per campaign (0 measures storing alone)")
	flag.BoolVar(&o.alwaysOpen, "always-open", false, "give the campaigns a send window open at all hours every day, so no invitation is moved into its window (default: the product's 9:00-19:00 Monday to Saturday)")
	flag.IntVar(&o.customers, "customers", 0, "distinct customers (default events/2: most customers get two events)")
	flag.BoolVar(&o.keep, "keep", false, "keep the benchmark schema")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the timed pass of new events to this file")
	flag.StringVar(&o.databaseURL, "database-url", benchenv.Env("FOLLOWUP_DATABASE_URL", "postgres://followup:followup@127.0.0.1:5432/followup?sslmode=disable"), "PostgreSQL URL")
	flag.StringVar(&o.redisURL, "redis-url", benchenv.Env("FOLLOWUP_REDIS_URL", "redis://127.0.0.1:6379/0"), "Redis URL")
	flag.Parse()
	if o.customers <= 0 {
		o.customers = max(1, o.events/2)
	}
	if o.batch < 1 || o.batch > 10_000 || o.events < o.batch || o.concurrency < 1 || o.campaigns < 0 {
		return errors.New("want 1 <= -batch <= 10000, -events >= -batch, -concurrency >= 1, -campaigns >= 0")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	schema, err := benchenv.NewSchema(ctx, o.databaseURL)
	if err != nil {
		return fmt.Errorf("benchmark schema (is PostgreSQL up? make services): %w", err)
	}
	if o.keep {
		fmt.Printf("schema kept: %s\n", schema.URL)
	} else {
		defer schema.Drop()
	}
	runID := schema.Name

	a, ln, token, err := startServer(ctx, o, schema.URL, runID)
	if err != nil {
		return err
	}
	defer a.Close()
	runCtx, stopServer := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- a.Run(runCtx, app.Roles{HTTP: true}, app.Extras{Listener: ln}) }()
	defer func() { stopServer(); <-served }() //nolint:errcheck // the run stopped by us ends with its context
	base := "http://" + ln.Addr().String() + "/api/v1/events"

	client := &http.Client{Timeout: 5 * time.Minute,
		Transport: bearer{token: token, next: &http.Transport{MaxIdleConnsPerHost: o.concurrency}}}
	occurred := time.Now().Add(-time.Hour).UTC()

	// Warm up: connections, prepared plans, the zone cache.
	warmN := min(o.batch, 1000)
	warm := encodeBatches(runID+"-warm", warmN, warmN, o.customers, occurred)
	if _, err := post(ctx, client, base, warm, 1, 0); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}

	bodies := encodeBatches(runID, o.events, o.batch, o.customers, occurred)
	size := 0
	for _, b := range bodies {
		size += len(b)
	}
	fmt.Printf("bench-ingest: %s\n", benchenv.Machine())
	window := "9:00-19:00 Monday to Saturday"
	if o.alwaysOpen {
		window = "always open"
	}
	fmt.Printf("bench-ingest: %d events in %d batches of %d (%.1f MB of JSON), %d customers, %d active campaign(s) (window %s), %d in flight, GOMAXPROCS %d\n",
		o.events, len(bodies), o.batch, float64(size)/1e6, o.customers, o.campaigns, window, o.concurrency, runtime.GOMAXPROCS(0))

	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	before := sampleCPU(ctx, a.DB)
	first, err := post(ctx, client, base, bodies, o.concurrency, o.batch)
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	after := sampleCPU(ctx, a.DB)
	first.print("new events", o.events)
	cpuBetween(before, after).print(o.events, runtime.NumCPU())

	again, err := post(ctx, client, base, bodies, o.concurrency, 0)
	if err != nil {
		return err
	}
	again.print("same batches resent (all duplicates)", o.events)
	cpuBetween(after, sampleCPU(ctx, a.DB)).print(o.events, runtime.NumCPU())

	var events, invitations int
	db := a.DB
	if err := db.GetContext(ctx, &events, `SELECT count(*) FROM service_events`); err != nil {
		return err
	}
	if err := db.GetContext(ctx, &invitations, `SELECT count(*) FROM invitations`); err != nil {
		return err
	}
	want := o.events + warmN
	fmt.Printf("check: %d events and %d invitations stored (want %d and %d)\n", events, invitations, want, want*o.campaigns)
	if events != want || invitations != want*o.campaigns {
		return errors.New("the database does not hold what was sent")
	}
	return nil
}

// result is one timed pass over the batches.
type result struct {
	elapsed   time.Duration
	latencies []time.Duration
}

func (r result) print(what string, events int) {
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration { return r.latencies[int(p*float64(len(r.latencies)-1))] }
	fmt.Printf("%-38s %8.0f events/s  (%d events in %s; per batch p50 %s, p95 %s, max %s)\n", what+":",
		float64(events)/r.elapsed.Seconds(), events, r.elapsed.Round(time.Millisecond),
		pct(0.5).Round(time.Millisecond), pct(0.95).Round(time.Millisecond), r.latencies[len(r.latencies)-1].Round(time.Millisecond))
}

// post sends every body with n in flight. wantStored > 0 checks each answer
// stored that many events.
func post(ctx context.Context, client *http.Client, url string, bodies [][]byte, n, wantStored int) (result, error) {
	jobs := make(chan []byte)
	var mu sync.Mutex
	var res result
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for body := range jobs {
				t := time.Now()
				err := postOne(ctx, client, url, body, wantStored)
				mu.Lock()
				res.latencies = append(res.latencies, time.Since(t))
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	for _, b := range bodies {
		jobs <- b
	}
	close(jobs)
	wg.Wait()
	res.elapsed = time.Since(start)
	return res, firstErr
}

func postOne(ctx context.Context, client *http.Client, url string, body []byte, wantStored int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Error    string `json:"error"`
		Stored   int    `json:"stored"`
		Rejected int    `json:"rejected"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return fmt.Errorf("status %d: %w", resp.StatusCode, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusAccepted || out.Rejected != 0 || (wantStored > 0 && out.Stored != wantStored) {
		return fmt.Errorf("status %d, %d stored, %d rejected: %s", resp.StatusCode, out.Stored, out.Rejected, out.Error)
	}
	return nil
}

var (
	zones   = []string{"Europe/Paris", "America/Montreal", "America/Toronto", "Europe/Brussels", "UTC"}
	locales = []string{"fr", "en", "fr-CA", "en-GB"}
	kinds   = []string{"delivery", "delivery", "delivery", "ticket_closed"}
)

type benchCustomer struct {
	ExternalRef      string `json:"external_ref"`
	Email            string `json:"email"`
	Name             string `json:"name"`
	Locale           string `json:"locale"`
	TimeZone         string `json:"time_zone"`
	Segment          string `json:"segment"`
	AnnualValueCents int64  `json:"annual_value_cents"`
}

type benchEvent struct {
	ExternalID string            `json:"external_id"`
	Kind       string            `json:"kind"`
	OccurredAt string            `json:"occurred_at"`
	Channel    string            `json:"channel"`
	Touchpoint string            `json:"touchpoint"`
	Team       string            `json:"team"`
	Attributes map[string]string `json:"attributes"`
	Customer   benchCustomer     `json:"customer"`
}

// encodeBatches builds the JSON bodies of n events, batch per body: three
// deliveries for one ticket closure, all listened to by the benchmark
// campaign, so that every event schedules one invitation.
func encodeBatches(prefix string, n, batch, customers int, occurred time.Time) [][]byte {
	var out [][]byte
	evs := make([]benchEvent, 0, batch)
	for i := 0; i < n; i++ {
		c := i % customers
		evs = append(evs, benchEvent{
			ExternalID: fmt.Sprintf("%s-%d", prefix, i),
			Kind:       kinds[i%len(kinds)],
			OccurredAt: occurred.Add(time.Duration(i) * time.Millisecond).Format(time.RFC3339Nano),
			Channel:    "web", Touchpoint: "courier", Team: "logistics-east",
			Attributes: map[string]string{"order": fmt.Sprint(100000 + i)},
			Customer: benchCustomer{
				ExternalRef: fmt.Sprintf("%s-cust-%d", prefix, c), Email: fmt.Sprintf("customer%d@example.com", c),
				Name: fmt.Sprintf("Customer %d", c), Locale: locales[c%len(locales)], TimeZone: zones[c%len(zones)],
				Segment: "retail", AnnualValueCents: int64(c%50) * 10_000,
			},
		})
		if len(evs) == batch || i == n-1 {
			b, err := json.Marshal(evs)
			if err != nil {
				panic(err) // plain structs always encode
			}
			out = append(out, b)
			evs = evs[:0]
		}
	}
	return out
}

// bearer calls the API with a token.
type bearer struct {
	token string
	next  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.next.RoundTrip(r)
}

// startServer builds followup on the benchmark schema with o.campaigns
// active campaigns on every event kind sent, and an API token of a
// marketing user (who may post events).
func startServer(ctx context.Context, o options, schemaURL, runID string) (a *app.App, ln net.Listener, token string, err error) {
	ln, err = net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, "", err
	}
	u, err := url.Parse(schemaURL)
	if err != nil {
		ln.Close()
		return nil, nil, "", err
	}
	q := u.Query()
	q.Set("application_name", applicationName)
	u.RawQuery = q.Encode()
	env := map[string]string{
		"FOLLOWUP_DATABASE_URL": u.String(),
		"FOLLOWUP_REDIS_URL":    o.redisURL,
		"FOLLOWUP_QUEUE_PREFIX": runID,
		"FOLLOWUP_SECRET":       randomHex(32),
		"FOLLOWUP_HTTP_ADDR":    ln.Addr().String(),
		"FOLLOWUP_BASE_URL":     "http://" + ln.Addr().String(),
		"FOLLOWUP_LOG_LEVEL":    "warn",
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	config.Register(fs)
	cfg, err := config.Load(fs, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, config.Options{RequireSecret: true})
	if err != nil {
		ln.Close()
		return nil, nil, "", err
	}
	a, err = app.New(ctx, cfg, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), app.Options{})
	if err != nil {
		ln.Close()
		return nil, nil, "", err
	}
	sv, err := a.Surveys.EnsureDefault(ctx)
	for i := 0; err == nil && i < o.campaigns; i++ {
		c := scheduler.Campaign{Name: fmt.Sprintf("bench %d: after delivery or ticket", i+1), SurveyID: sv.ID,
			State: scheduler.StateActive, EventKinds: []string{"delivery", "ticket_closed"}, Delay: time.Hour}
		if o.alwaysOpen {
			c.Window = scheduler.SendWindow{StartHour: 0, EndHour: 24, Weekdays: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}
		}
		_, err = a.Scheduler.CreateEventCampaign(ctx, c)
	}
	if err != nil {
		a.Close()
		ln.Close()
		return nil, nil, "", fmt.Errorf("seed the campaign: %w", err)
	}
	user, err := a.Users.Create(ctx, users.NewUser{Email: "bench-ingest@example.com", Name: "bench-ingest", Role: users.Marketing, Password: randomHex(16)})
	if err == nil {
		_, token, err = a.Users.NewToken(ctx, user.ID, "bench-ingest")
	}
	if err != nil {
		a.Close()
		ln.Close()
		return nil, nil, "", fmt.Errorf("API token: %w", err)
	}
	return a, ln, token, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
