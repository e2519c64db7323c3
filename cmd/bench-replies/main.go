package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/lib/pq"
	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/app"
	"github.com/followup/followup/config"
	"github.com/followup/followup/internal/benchenv"
	"github.com/followup/followup/surveys"
)

type options struct {
	databaseURL, redisURL string
	replies               int
	concurrency           int
	negative              float64
	rate                  int
	rateSeconds           int
	keep                  bool
	syncCommitOff         bool
	cpuProfile            string
	direct                bool
}

func main() {
	var o options
	flag.StringVar(&o.databaseURL, "database-url", "postgres://followup:followup@127.0.0.1:5432/followup_test?sslmode=disable", "PostgreSQL database; a fresh schema is created in it and dropped after")
	flag.StringVar(&o.redisURL, "redis-url", "redis://127.0.0.1:6379/0", "Redis (a private queue prefix is used and cleaned)")
	flag.IntVar(&o.replies, "replies", 20000, "replies sent in the throughput phase")
	flag.IntVar(&o.concurrency, "concurrency", 32, "concurrent submitters in the throughput phase")
	flag.Float64Var(&o.negative, "negative", 0.30, "share of negative replies")
	flag.IntVar(&o.rate, "rate", 500, "replies per second in the latency phase (0 skips it)")
	flag.IntVar(&o.rateSeconds, "rate-seconds", 20, "duration of the latency phase")
	flag.BoolVar(&o.keep, "keep", false, "keep the schema for inspection")
	flag.BoolVar(&o.syncCommitOff, "synchronous-commit-off", false, "run with synchronous_commit=off (faster commits; a crash may lose the last few hundred ms)")
	flag.BoolVar(&o.direct, "direct", false, "throughput phase without HTTP: call the page's code path (verify link, load invitation, parse, submit) in-process, to split HTTP costs from storage costs")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the throughput phase to this file")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench-replies:", err)
		os.Exit(1)
	}
}

// throughputPhase submits o.replies replies as fast as o.concurrency
// submitters go, and prints the rate, the latencies, the transactions and
// the CPU used per reply.
func throughputPhase(ctx context.Context, o options, a *app.App, client *http.Client, links []string,
	pick func(int) (url.Values, bool), out io.Writer) (result, error) {
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return result{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return result{}, err
		}
	}
	before := a.Replies.BatchStats()
	cpu0 := sampleCPU(ctx, a.DB)
	do := func(ctx context.Context, link string, form url.Values) error { return post(ctx, client, link, form) }
	if o.direct {
		do = func(ctx context.Context, link string, form url.Values) error { return submitDirect(ctx, a, link, form) }
	}
	res := throughput(ctx, do, links[:o.replies], pick, o.concurrency)
	if o.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	after := a.Replies.BatchStats()
	cpu1 := sampleCPU(ctx, a.DB)
	mode := "over HTTP"
	if o.direct {
		mode = "in-process, no HTTP"
	}
	fmt.Fprintf(out, "\nthroughput (%s): %d replies (%d negative) in %s with %d submitters: %.0f replies/s, errors %d\n",
		mode, res.n, res.negatives, res.elapsed.Round(time.Millisecond), o.concurrency, float64(res.n)/res.elapsed.Seconds(), res.errors)
	printLatency(out, "  submit -> committed (all)", res.all)
	printLatency(out, "  submit -> complaint committed", res.neg)
	fmt.Fprintf(out, "  transactions: %d for %d replies (%.1f replies per transaction)\n", after.Batches-before.Batches,
		after.Replies-before.Replies, float64(after.Replies-before.Replies)/float64(max(1, after.Batches-before.Batches)))
	if res.n > 0 {
		self, pg := cpu1.self-cpu0.self, cpu1.postgres-cpu0.postgres
		fmt.Fprintf(out, "  CPU per reply: %s in this process (load generator + followup), %s in its PostgreSQL backends (%.1f of %d cores busy on average)\n",
			(self / time.Duration(res.n)).Round(time.Microsecond), (pg / time.Duration(res.n)).Round(time.Microsecond),
			(self+pg).Seconds()/res.elapsed.Seconds(), runtime.NumCPU())
	}
	return res, nil
}

func run(ctx context.Context, o options, out io.Writer) error {
	if o.replies < 1 || o.concurrency < 1 || o.negative < 0 || o.negative > 1 || o.rate < 0 || o.rateSeconds < 1 {
		return errors.New("-replies and -concurrency must be positive, -negative between 0 and 1, -rate not negative")
	}
	base := o.databaseURL
	if o.syncCommitOff {
		u, err := url.Parse(base)
		if err != nil {
			return fmt.Errorf("-database-url: %w", err)
		}
		q := u.Query()
		q.Set("synchronous_commit", "off") // sent as a run-time parameter at connection start
		u.RawQuery = q.Encode()
		base = u.String()
	}
	if u, err := url.Parse(base); err == nil {
		q := u.Query()
		q.Set("application_name", appName)
		u.RawQuery = q.Encode()
		base = u.String()
	}
	sc, err := benchenv.NewSchema(ctx, base)
	if err != nil {
		return err
	}
	schema, dbURL := sc.Name, sc.URL
	prefix := "bench" + randomHex(3)
	defer cleanup(sc, o, prefix)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	env := map[string]string{
		"FOLLOWUP_DATABASE_URL": dbURL, "FOLLOWUP_REDIS_URL": o.redisURL, "FOLLOWUP_QUEUE_PREFIX": prefix,
		"FOLLOWUP_SECRET": "bench-secret-0123456789abcdef0123456789", "FOLLOWUP_BASE_URL": "http://" + ln.Addr().String(),
		"FOLLOWUP_WORKER_CONCURRENCY": "10", "FOLLOWUP_LOG_LEVEL": "warn",
		// The acknowledgements are queued with each complaint and go out
		// later: sending email is the blast benchmark's subject, not this one.
		"FOLLOWUP_ACK_DELAY": "1h",
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	config.Register(fs)
	_ = fs.Parse(nil)
	cfg, err := config.Load(fs, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, config.Options{RequireSecret: true})
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	total := o.replies + o.rate*o.rateSeconds
	fmt.Fprintf(out, "reply storm: seeding %d customers with sent invitations, and as many earlier replies (30 %% with a complaint), in schema %s\n", total, schema)
	links, err := seed(ctx, a, total, total)
	if err != nil {
		return err
	}
	runCtx, stopApp := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(runCtx, app.Roles{HTTP: true, Worker: true}, app.Extras{Listener: ln}) }()
	defer func() { stopApp(); <-done }() //nolint:errcheck // Run's error after a stop is the stop's
	if err := waitReady(ctx, "http://"+ln.Addr().String()+"/healthz"); err != nil {
		return err
	}

	client := &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 0, IdleConnTimeout: time.Minute},
	}
	positive, negative := forms()
	pick := func(i int) (url.Values, bool) {
		// Spread negatives evenly: reply i is negative when the running
		// share would otherwise fall behind the target.
		neg := int(float64(i+1)*o.negative) > int(float64(i)*o.negative)
		if neg {
			return negative, true
		}
		return positive, false
	}
	fmt.Fprintf(out, "machine: %s, GOMAXPROCS %d\n", benchenv.Machine(), runtime.GOMAXPROCS(0))
	if bg, ok := backgroundLoad(2 * time.Second); ok {
		fmt.Fprintf(out, "background load before the run (other processes on this machine): %.0f%% of all CPUs\n", bg*100)
	}

	// Phase 1: throughput.
	res, err := throughputPhase(ctx, o, a, client, links, pick, out)
	if err != nil {
		return err
	}

	// The internal loop: every complaint's alert goes through the worker
	// (no webhook or recipient here: the delivery is recorded). Wait for
	// the backlog, so the fixed rate runs on a drained queue.
	drain, err := waitAlerts(ctx, a)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "  internal loop: every complaint's alert handled by the worker %s after the last reply\n", drain.Round(time.Millisecond))

	// Phase 2: latency at a fixed rate.
	var lat result
	if o.rate > 0 {
		before := a.Replies.BatchStats()
		lat = fixedRate(ctx, client, links[o.replies:], pick, o.rate, time.Duration(o.rateSeconds)*time.Second)
		after := a.Replies.BatchStats()
		fmt.Fprintf(out, "\nfixed rate: %d replies/s for %ds: %d sent (%d negative), errors %d, achieved %.0f replies/s\n",
			o.rate, o.rateSeconds, lat.n, lat.negatives, lat.errors, float64(lat.n)/lat.elapsed.Seconds())
		printLatency(out, "  submit -> committed (all)", lat.all)
		printLatency(out, "  submit -> complaint committed", lat.neg)
		fmt.Fprintf(out, "  transactions: %d for %d replies (%.1f replies per transaction)\n", after.Batches-before.Batches,
			after.Replies-before.Replies, float64(after.Replies-before.Replies)/float64(max(1, after.Batches-before.Batches)))
	}

	// Verify in PostgreSQL.
	negatives := res.negatives + lat.negatives
	var v struct {
		Responses  int `db:"responses"`
		Scored     int `db:"scored"`
		Negative   int `db:"negative"`
		Complaints int `db:"complaints"`
		Orphans    int `db:"orphans"`
	}
	if err := a.DB.GetContext(ctx, &v, `SELECT count(*) AS responses, count(scored_at) AS scored,
		count(*) FILTER (WHERE negative) AS negative,
		(SELECT count(*) FROM complaints) AS complaints,
		(SELECT count(*) FROM responses r WHERE r.negative AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.response_id = r.id)) AS orphans
		FROM responses`); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nverified in PostgreSQL: %d responses, %d scored, %d negative, %d complaints, %d negative without complaint\n",
		v.Responses, v.Scored, v.Negative, v.Complaints, v.Orphans)
	if v.Scored != v.Responses || v.Complaints != v.Negative || v.Orphans != 0 {
		return errors.New("the database does not match: see the counts above")
	}
	var loop struct {
		Alerts int `db:"alerts"`
		Acks   int `db:"acks"`
	}
	if err := a.DB.GetContext(ctx, &loop, `SELECT (SELECT count(DISTINCT complaint_id) FROM alerts WHERE kind = 'complaint_opened') AS alerts,
		(SELECT count(DISTINCT complaint_id) FROM complaint_messages WHERE kind = 'acknowledgement') AS acks`); err != nil {
		return err
	}
	fmt.Fprintf(out, "internal loop: %d complaints alerted, %d acknowledgements queued (for the %d complaints opened during the run)\n",
		loop.Alerts, loop.Acks, negatives)
	if loop.Alerts != negatives || loop.Acks != negatives {
		return errors.New("a complaint of the run lacks its alert or its acknowledgement")
	}
	return nil
}

type result struct {
	n, negatives, errors int
	elapsed              time.Duration
	all, neg             []time.Duration
}

// waitAlerts waits until every alert is recorded as handled and returns how
// long that took.
func waitAlerts(ctx context.Context, a *app.App) (time.Duration, error) {
	start := time.Now()
	for {
		var pending int
		if err := a.DB.GetContext(ctx, &pending, `SELECT count(*) FROM alerts WHERE email_delivered_at IS NULL`); err != nil {
			return 0, err
		}
		if pending == 0 {
			return time.Since(start), nil
		}
		if time.Since(start) > 5*time.Minute {
			return 0, fmt.Errorf("%d alerts still pending after 5 minutes", pending)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func post(ctx context.Context, client *http.Client, link string, form url.Values) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, link, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// submitDirect does what the survey page does for a POST, without HTTP.
func submitDirect(ctx context.Context, a *app.App, link string, form url.Values) error {
	token := link[strings.LastIndex(link, "/")+1:]
	claims, err := a.Signer.Verify(surveys.PurposeSurvey, token, time.Now())
	if err != nil {
		return err
	}
	inv, err := a.Surveys.Invitation(ctx, claims.InvitationID)
	if err != nil {
		return err
	}
	sv, err := a.Surveys.Version(ctx, inv.SurveyVersionID)
	if err != nil {
		return err
	}
	answers, problems := sv.ParseForm(form)
	if len(problems) > 0 {
		return fmt.Errorf("problems %v", problems)
	}
	_, err = a.Replies.Submit(ctx, inv, sv, answers, inv.Locale)
	return err
}

func throughput(ctx context.Context, do func(context.Context, string, url.Values) error, links []string, pick func(int) (url.Values, bool), workers int) result {
	var next atomic.Int64
	var mu sync.Mutex
	var r result
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var all, neg []time.Duration
			var n, negs, errs int
			for {
				i := int(next.Add(1)) - 1
				if i >= len(links) || ctx.Err() != nil {
					break
				}
				form, isNeg := pick(i)
				t0 := time.Now()
				err := do(ctx, links[i], form)
				d := time.Since(t0)
				n++
				if err != nil {
					errs++
					continue
				}
				all = append(all, d)
				if isNeg {
					negs++
					neg = append(neg, d)
				}
			}
			mu.Lock()
			r.n += n
			r.negatives += negs
			r.errors += errs
			r.all = append(r.all, all...)
			r.neg = append(r.neg, neg...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	return r
}

func fixedRate(ctx context.Context, client *http.Client, links []string, pick func(int) (url.Values, bool), rate int, dur time.Duration) result {
	n := min(len(links), int(float64(rate)*dur.Seconds()))
	interval := time.Second / time.Duration(rate)
	var mu sync.Mutex
	var r result
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < n && ctx.Err() == nil; i++ {
		due := start.Add(time.Duration(i) * interval)
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		form, isNeg := pick(i)
		wg.Add(1)
		go func(link string) {
			defer wg.Done()
			err := post(ctx, client, link, form)
			d := time.Since(due) // from the scheduled time: a slow server is not hidden
			mu.Lock()
			defer mu.Unlock()
			r.n++
			if err != nil {
				r.errors++
				return
			}
			r.all = append(r.all, d)
			if isNeg {
				r.negatives++
				r.neg = append(r.neg, d)
			}
		}(links[i])
	}
	wg.Wait()
	r.elapsed = time.Since(start)
	return r
}

func printLatency(out io.Writer, label string, ds []time.Duration) {
	if len(ds) == 0 {
		fmt.Fprintf(out, "%s: no sample\n", label)
		return
	}
	slices.Sort(ds)
	q := func(p float64) time.Duration { return ds[min(len(ds)-1, int(p*float64(len(ds))))] }
	fmt.Fprintf(out, "%s: p50 %s  p90 %s  p99 %s  max %s  (n=%d)\n", label,
		q(0.50).Round(10*time.Microsecond), q(0.90).Round(10*time.Microsecond), q(0.99).Round(10*time.Microsecond),
		ds[len(ds)-1].Round(10*time.Microsecond), len(ds))
}

// forms returns a positive and a negative answer to the default survey; the
// negative one carries signals in its comment, so the text analysis runs.
func forms() (positive, negative url.Values) {
	positive, negative = url.Values{"overall": {"9"}}, url.Values{"overall": {"2"}}
	for _, q := range surveys.Default().Questions {
		if q.Kind == surveys.Likert5 {
			p, n := 5, 1
			if q.Reverse {
				p, n = 1, 5
			}
			positive.Set(q.Key, strconv.Itoa(p))
			negative.Set(q.Key, strconv.Itoa(n))
		}
	}
	positive.Set("comment", "Delivery on time, friendly driver, thank you!")
	negative.Set("comment", "Parcel arrived broken, nobody answers and I am still waiting for my refund. I will post this on Facebook and call my lawyer.")
	negative["what_went_wrong"] = []string{"damage", "no_follow_up"}
	return positive, negative
}

// seed creates n customers, each with a delivery event and an invitation
// already sent, and a history of earlier replies (30 % of them with a
// resolved complaint) from another h customers, in bulk, and returns the n
// survey links.
func seed(ctx context.Context, a *app.App, n, h int) ([]string, error) {
	sv, err := a.Surveys.EnsureDefault(ctx)
	if err != nil {
		return nil, err
	}
	var campaign int64
	if err := a.DB.GetContext(ctx, &campaign, `INSERT INTO campaigns (name, survey_id, state, event_kinds)
		VALUES ('bench', $1, 'active', '{delivery}') RETURNING id`, sv.ID); err != nil {
		return nil, fmt.Errorf("seed campaign: %w", err)
	}
	expires := time.Now().Add(7 * 24 * time.Hour).Truncate(time.Second)
	stmts := []string{
		`INSERT INTO customers (external_ref, email, name, locale, annual_value_cents)
		 SELECT 'bench-' || g, 'bench' || g || '@example.com', 'Bench ' || g, CASE WHEN g % 2 = 0 THEN 'fr' ELSE 'en' END, (g % 50) * 10000
		 FROM generate_series(1, $1::int) g`,
		`INSERT INTO service_events (external_id, customer_id, kind, occurred_at, prejudice_cents)
		 SELECT 'bench-e-' || c.id, c.id, 'delivery', now() - interval '1 day', CASE WHEN c.id % 5 = 0 THEN 4500 END FROM customers c`,
	}
	for _, s := range stmts {
		args := []any{}
		if strings.Contains(s, "$1") {
			args = append(args, n+h)
		}
		if _, err := a.DB.ExecContext(ctx, s, args...); err != nil {
			return nil, fmt.Errorf("seed: %w", err)
		}
	}
	var ids []int64
	if err := a.DB.SelectContext(ctx, &ids, `INSERT INTO invitations (campaign_id, customer_id, event_id, survey_version_id, state,
			scheduled_for, sent_at, expires_at)
		SELECT $1, e.customer_id, e.id, $2, 'sent', now(), now(), $3 FROM service_events e ORDER BY e.id RETURNING id`,
		campaign, sv.VersionID, expires); err != nil {
		return nil, fmt.Errorf("seed invitations: %w", err)
	}
	// A deployment has history: earlier replies and complaints, answered on
	// the invitations beyond the n the benchmark will use. Without it the
	// planner would see empty tables and plan table scans.
	history := []string{
		`INSERT INTO responses (invitation_id, customer_id, survey_version_id, locale, answers, comment, submitted_at,
			scored_at, score_overall, negative, reasons)
		 SELECT i.id, i.customer_id, i.survey_version_id, 'en', '{"overall": 5}', 'earlier reply', now() - interval '30 days',
			now() - interval '30 days', 50, i.id % 10 < 3, '[]'
		 FROM invitations i WHERE i.id > $1`,
		`UPDATE invitations SET state = 'answered', answered_at = now() - interval '30 days' WHERE id > $1`,
		`INSERT INTO complaints (response_id, customer_id, state, priority, opened_at, due_at, resolved_at)
		 SELECT r.id, r.customer_id, 'resolved', 3, r.submitted_at, r.submitted_at + interval '3 days', r.submitted_at + interval '1 day'
		 FROM responses r WHERE r.negative`,
		`INSERT INTO complaint_events (complaint_id, kind, created_at) SELECT id, 'opened', opened_at FROM complaints`,
		`ANALYZE`,
	}
	for _, q := range history {
		args := []any{}
		if strings.Contains(q, "$1") {
			args = append(args, ids[n-1])
		}
		if _, err := a.DB.ExecContext(ctx, q, args...); err != nil {
			return nil, fmt.Errorf("seed history: %w", err)
		}
	}
	ids = ids[:n]
	links := make([]string, len(ids))
	for i, id := range ids {
		links[i] = a.Links.Survey(id, expires)
	}
	return links, nil
}

// backgroundLoad samples /proc/stat while this program idles: the share of
// the machine other processes use, which the figures below compete with.
func backgroundLoad(d time.Duration) (float64, bool) {
	read := func() (busy, total float64, ok bool) {
		b, err := os.ReadFile("/proc/stat")
		if err != nil {
			return 0, 0, false
		}
		line, _, _ := strings.Cut(string(b), "\n")
		f := strings.Fields(line)
		if len(f) < 8 || f[0] != "cpu" {
			return 0, 0, false
		}
		for i, v := range f[1:8] {
			n, _ := strconv.ParseFloat(v, 64)
			total += n
			if i != 3 && i != 4 { // idle, iowait
				busy += n
			}
		}
		return busy, total, true
	}
	b1, t1, ok1 := read()
	time.Sleep(d)
	b2, t2, ok2 := read()
	if !ok1 || !ok2 || t2 <= t1 {
		return 0, false
	}
	return (b2 - b1) / (t2 - t1), true
}

func waitReady(ctx context.Context, u string) error {
	for i := 0; i < 100; i++ {
		resp, err := http.Get(u)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return errors.New("the HTTP server did not start")
}

func cleanup(sc *benchenv.Schema, o options, prefix string) {
	if o.keep {
		fmt.Printf("kept schema %s\n", sc.Name)
		sc.DB.Close()
	} else {
		sc.Drop()
	}
	opt, err := redis.ParseURL(o.redisURL)
	if err != nil {
		return
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, "asynq:{"+prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		rdb.Del(ctx, iter.Val())
	}
	for _, q := range []string{"critical", "default", "low"} {
		rdb.SRem(ctx, "asynq:queues", prefix+q)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
