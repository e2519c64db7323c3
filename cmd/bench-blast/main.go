package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/followup/followup/internal/benchenv"
	"github.com/followup/followup/internal/latency"
	"github.com/followup/followup/scheduler"
)

type options struct {
	n, concurrency, pool, batch, sessions int
	dbURL, redisURL                       string
	skipSource                            bool
	rate                                  float64
	cpuProfile                            string
	rtt                                   time.Duration
	connections                           int
	pipelining                            bool
}

func main() {
	var o options
	flag.IntVar(&o.n, "n", 100000, "invitations in the blast")
	flag.IntVar(&o.concurrency, "concurrency", 8, "worker concurrency (send batches in parallel)")
	flag.IntVar(&o.pool, "pool", 20, "SMTP connections the worker keeps open (as many as smtp-source's sessions: the comparison is per connection)")
	flag.IntVar(&o.batch, "batch", 500, "invitations per send batch")
	flag.IntVar(&o.sessions, "sessions", 20, "parallel sessions of smtp-source")
	flag.BoolVar(&o.skipSource, "skip-smtp-source", false, "do not run the smtp-source comparison")
	flag.DurationVar(&o.rtt, "rtt", 0, "round-trip time a latency proxy (started by the tool) puts between the SMTP clients, followup's and smtp-source's alike, and the sink; 0: straight to the sink on loopback")
	flag.IntVar(&o.connections, "connections", 0, "SMTP connections for followup (its pool's ceiling) and smtp-source (sessions) alike; overrides -pool and -sessions (a batch is sent over every connection, so -concurrency need not follow)")
	flag.BoolVar(&o.pipelining, "pipelining", true, "FOLLOWUP_SMTP_PIPELINING for the worker")
	defRate, _ := strconv.ParseFloat(benchenv.Env("FOLLOWUP_SMTP_RATE", "0"), 64)
	flag.Float64Var(&o.rate, "rate", defRate, "FOLLOWUP_SMTP_RATE for the worker: the deployment's limit in messages per second, shared through Redis (0: none)")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write the worker's CPU profile to this file (go tool pprof)")
	flag.StringVar(&o.dbURL, "database-url", benchenv.Env("FOLLOWUP_DATABASE_URL", "postgres://followup:followup@127.0.0.1:5432/followup?sslmode=disable"), "PostgreSQL")
	flag.StringVar(&o.redisURL, "redis-url", benchenv.Env("FOLLOWUP_REDIS_URL", "redis://127.0.0.1:6379/0"), "Redis")
	flag.Parse()
	if o.connections > 0 {
		o.pool, o.sessions = o.connections, o.connections
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "bench-blast:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "bench-blast")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "followup")
	fmt.Println("building followup...")
	if err := benchenv.BuildFollowup(bin); err != nil {
		return err
	}

	port, err := benchenv.FreePort()
	if err != nil {
		return err
	}
	sink, err := startSink(port)
	if err != nil {
		return err
	}
	defer stop(sink)
	// Every SMTP client goes through the proxy, which adds the round-trip
	// time (none with -rtt 0) and counts the round trips.
	proxy, err := latency.Start("127.0.0.1:0", fmt.Sprintf("127.0.0.1:%d", port), o.rtt)
	if err != nil {
		return err
	}
	defer proxy.Close()
	port = proxy.Port()

	schema, err := benchenv.NewSchema(ctx, o.dbURL)
	if err != nil {
		return err
	}
	defer schema.Drop()
	fmt.Printf("seeding %d due invitations...\n", o.n)
	seeded := time.Now()
	camp, err := benchenv.SeedBlast(ctx, schema.DB, o.n)
	if err != nil {
		return err
	}
	fmt.Printf("seeded in %s\n", time.Since(seeded).Round(time.Millisecond))
	store := scheduler.NewStore(schema.DB)
	msgSize, err := sampleSize(ctx, schema, bin)
	if err != nil {
		return err
	}

	secret := make([]byte, 24)
	_, _ = rand.Read(secret)
	env := append(os.Environ(),
		"FOLLOWUP_DATABASE_URL="+schema.URL, "FOLLOWUP_REDIS_URL="+o.redisURL, "FOLLOWUP_QUEUE_PREFIX="+schema.Name+"-",
		"FOLLOWUP_SECRET="+hex.EncodeToString(secret), "FOLLOWUP_SMTP_HOST=127.0.0.1", "FOLLOWUP_SMTP_PORT="+strconv.Itoa(port),
		"FOLLOWUP_SMTP_TLS=none", "FOLLOWUP_SMTP_POOL="+strconv.Itoa(o.pool), "FOLLOWUP_WORKER_CONCURRENCY="+strconv.Itoa(o.concurrency),
		"FOLLOWUP_SEND_BATCH_SIZE="+strconv.Itoa(o.batch), "FOLLOWUP_SWEEP_INTERVAL=100ms", "FOLLOWUP_LOG_LEVEL=warn",
		"FOLLOWUP_HTTP_ADDR=127.0.0.1:0", "FOLLOWUP_SMTP_RATE="+strconv.FormatFloat(o.rate, 'f', -1, 64),
		"FOLLOWUP_SMTP_PIPELINING="+onOff(o.pipelining),
		// The throwaway schema has no replies: the barometer would only warn.
		"FOLLOWUP_BAROMETER=none", "FOLLOWUP_REPORT_SCHEDULE=off")
	workerEnv := env
	if o.cpuProfile != "" {
		abs, _ := filepath.Abs(o.cpuProfile)
		workerEnv = append(append([]string{}, env...), "FOLLOWUP_CPU_PROFILE="+abs)
	}
	workerCmd, err := startProcess(bin, workerEnv, "worker")
	if err != nil {
		return err
	}
	defer stop(workerCmd)
	schedCmd, err := startProcess(bin, env, "scheduler")
	if err != nil {
		return err
	}
	defer stop(schedCmd)
	time.Sleep(time.Second) // both roles up

	fmt.Println("blast: resuming the campaign, all invitations are due now")
	cpuBefore := cpuByRole(workerCmd, schedCmd, sink)
	writesBefore, err := schema.ReadWrites(ctx, false)
	if err != nil {
		return err
	}
	turnsBefore := proxy.Turns()
	start := time.Now()
	if _, err := store.Transition(ctx, camp.CampaignID, "resume", time.Now()); err != nil {
		return err
	}
	var settled int
	var rssSamples []int64
	for settled < o.n {
		time.Sleep(100 * time.Millisecond)
		// Invitations in batches whose task is done: a few rows, where
		// counting the sent invitations would scan the table ten times a
		// second and charge PostgreSQL's CPU with the tool's own work.
		if err := schema.DB.GetContext(ctx, &settled, `SELECT COALESCE(sum(cardinality(invitation_ids)), 0) FROM send_batches WHERE state = 'done'`); err != nil {
			return err
		}
		rssSamples = append(rssSamples, memKB(workerCmd.Process.Pid, "VmRSS"))
		if time.Since(start) > 30*time.Minute {
			return fmt.Errorf("only %d of %d settled after 30 minutes", settled, o.n)
		}
		if workerCmd.ProcessState != nil {
			return fmt.Errorf("the worker exited")
		}
	}
	elapsed := time.Since(start)
	cpuAfter := cpuByRole(workerCmd, schedCmd, sink)
	turns := float64(proxy.Turns()-turnsBefore) / float64(o.n)
	peak := memKB(workerCmd.Process.Pid, "VmHWM")
	var failed int
	if err := schema.DB.GetContext(ctx, &failed, `SELECT count(*) FROM invitations WHERE state <> 'sent'`); err != nil {
		return fmt.Errorf("count unsent invitations: %w", err)
	}
	rate := float64(o.n) / elapsed.Seconds()
	writes, err := schema.ReadWrites(ctx, true)
	if err != nil {
		return err
	}

	fmt.Printf("\nmachine:            %s\n", benchenv.Machine())
	fmt.Printf("message size:       %d bytes (text and HTML parts, headers included)\n", msgSize)
	fmt.Printf("followup blast:     %d invitations due → accepted by smtp-sink in %s: %.0f emails/s (%d not sent)\n",
		o.n, elapsed.Round(time.Millisecond), rate, failed)
	fmt.Printf("worker memory:      peak %.1f MB resident (median sample %.1f MB)\n", float64(peak)/1024, float64(median(rssSamples))/1024)
	limit := "no rate limit"
	if o.rate > 0 {
		limit = fmt.Sprintf("rate limit %g/s (shared through Redis)", o.rate)
	}
	fmt.Printf("settings:           concurrency %d, %d SMTP connections, batches of %d, %s, pipelining %s, round trip %s\n",
		o.concurrency, o.pool, o.batch, limit, onOff(o.pipelining), rttWords(o.rtt))
	fmt.Printf("round trips:        %.2f per email (followup)\n", turns)
	var parts []string
	total := 0.0
	for _, role := range []string{"worker", "scheduler", "smtp-sink", "postgres", "redis"} {
		us := (cpuAfter[role] - cpuBefore[role]) / float64(o.n) * 1e6
		total += us
		parts = append(parts, fmt.Sprintf("%s %.0f", role, us))
	}
	fmt.Printf("CPU per email:      %.0f µs (%s); 2 cores would carry %.0f emails/s\n", total, strings.Join(parts, ", "), 2e6/total)
	fmt.Printf("PostgreSQL writes:  per email, %s\n", writes.Since(writesBefore, o.n))
	if o.skipSource {
		return nil
	}
	stop(workerCmd)
	stop(schedCmd)
	turnsBefore = proxy.Turns()
	srcElapsed, err := runSource(port, o.n, o.sessions, msgSize)
	if err != nil {
		return err
	}
	srcRate := float64(o.n) / srcElapsed.Seconds()
	fmt.Printf("smtp-source -d:     %d messages of %d bytes over %d reused sessions in %s: %.0f messages/s, %.2f round trips per message\n",
		o.n, msgSize, o.sessions, srcElapsed.Round(time.Millisecond), srcRate, float64(proxy.Turns()-turnsBefore)/float64(o.n))
	fmt.Printf("ratio:              %.2f of smtp-source\n", rate/srcRate)
	return nil
}

// sampleSize sends one invitation of the campaign to a throwaway capture
// of the composed message, through the real binary: followup's
// "compose-sample" is not a command, so measure with a local SMTP listener.
func sampleSize(ctx context.Context, schema *benchenv.Schema, bin string) (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	size := make(chan int, 1)
	go func() { size <- captureOne(ln) }()
	// A second campaign's invitation, sent by a worker process pointed at the listener.
	var custID int64
	if err := schema.DB.GetContext(ctx, &custID, `SELECT id FROM customers ORDER BY id LIMIT 1`); err != nil {
		return 0, err
	}
	var versionID int64
	if err := schema.DB.GetContext(ctx, &versionID, `SELECT id FROM survey_versions LIMIT 1`); err != nil {
		return 0, err
	}
	var surveyID int64
	if err := schema.DB.GetContext(ctx, &surveyID, `SELECT id FROM surveys LIMIT 1`); err != nil {
		return 0, err
	}
	store := scheduler.NewStore(schema.DB)
	c, err := store.CreateEventCampaign(ctx, scheduler.Campaign{Name: "sample", SurveyID: surveyID, State: scheduler.StateActive,
		EventKinds: []string{"sample"}, Window: scheduler.AlwaysOpen(), FrequencyCapDays: 0})
	if err != nil {
		return 0, err
	}
	if _, err := schema.DB.ExecContext(ctx, `WITH ins AS (INSERT INTO invitations (campaign_id, customer_id, survey_version_id, occurrence, scheduled_for)
		VALUES ($1, $2, $3, now(), now() - interval '1 second') RETURNING id, campaign_id, customer_id, scheduled_for)
		INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
		SELECT id, 'invitation', scheduled_for, campaign_id, customer_id FROM ins`, c.ID, custID, versionID); err != nil {
		return 0, err
	}
	secret := make([]byte, 24)
	_, _ = rand.Read(secret)
	port := ln.Addr().(*net.TCPAddr).Port
	cmd := exec.Command(bin, "all")
	cmd.Env = append(os.Environ(), "FOLLOWUP_DATABASE_URL="+schema.URL, "FOLLOWUP_QUEUE_PREFIX="+schema.Name+"-s-",
		"FOLLOWUP_SECRET="+hex.EncodeToString(secret), "FOLLOWUP_SMTP_HOST=127.0.0.1", "FOLLOWUP_SMTP_PORT="+strconv.Itoa(port),
		"FOLLOWUP_SMTP_TLS=none", "FOLLOWUP_SWEEP_INTERVAL=100ms", "FOLLOWUP_LOG_LEVEL=error", "FOLLOWUP_HTTP_ADDR=127.0.0.1:0")
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	// Best-effort cleanup: the schema is thrown away after the run anyway.
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
		_, _ = schema.DB.ExecContext(ctx, `DELETE FROM invitations WHERE campaign_id = $1`, c.ID)
		_, _ = schema.DB.ExecContext(ctx, `DELETE FROM due_sends WHERE campaign_id = $1`, c.ID)
		_, _ = schema.DB.ExecContext(ctx, `DELETE FROM customer_contacts`)
		_, _ = schema.DB.ExecContext(ctx, `DELETE FROM send_batches`)
		_, _ = schema.DB.ExecContext(ctx, `DELETE FROM campaigns WHERE id = $1`, c.ID)
	}()
	select {
	case n := <-size:
		return n, nil
	case <-time.After(30 * time.Second):
		return 0, fmt.Errorf("no sample message arrived")
	}
}

// captureOne speaks just enough SMTP to receive one message and returns its size.
func captureOne(ln net.Listener) int {
	c, err := ln.Accept()
	if err != nil {
		return 0
	}
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 sample ESMTP\r\n")
	var body bytes.Buffer
	inData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return body.Len()
		}
		if inData {
			if line == ".\r\n" {
				fmt.Fprint(c, "250 ok\r\n")
				return body.Len()
			}
			body.WriteString(line)
			continue
		}
		switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			fmt.Fprint(c, "250-sample\r\n250 8BITMIME\r\n")
		case cmd == "DATA":
			inData = true
			fmt.Fprint(c, "354 go ahead\r\n")
		case cmd == "QUIT":
			fmt.Fprint(c, "221 bye\r\n")
			return body.Len()
		default:
			fmt.Fprint(c, "250 ok\r\n")
		}
	}
}

// postfixTool finds a Postfix program: on the PATH, else in /usr/sbin,
// where Debian installs them, off a normal user's PATH.
func postfixTool(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p := filepath.Join("/usr/sbin", name); fileExists(p) {
		return p
	}
	return name
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func rttWords(d time.Duration) string {
	if d == 0 {
		return "none (loopback)"
	}
	return d.String() + " (latency proxy)"
}

func startSink(port int) (*exec.Cmd, error) {
	args := []string{}
	if os.Geteuid() == 0 {
		args = append(args, "-u", "root")
	}
	args = append(args, "-m", "1000", fmt.Sprintf("127.0.0.1:%d", port), "1000")
	cmd := exec.Command(postfixTool("smtp-sink"), args...)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start smtp-sink (apt-get install postfix, \"No configuration\"): %w", err)
	}
	for i := 0; i < 50; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			return cmd, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop(cmd)
	return nil, fmt.Errorf("smtp-sink did not start")
}

func runSource(port, n, sessions, size int) (time.Duration, error) {
	start := time.Now()
	out, err := exec.Command(postfixTool("smtp-source"), "-d", "-s", strconv.Itoa(sessions), "-m", strconv.Itoa(n), "-l", strconv.Itoa(size),
		"-f", "surveys@bench.example", "-t", "customer@bench.example", fmt.Sprintf("127.0.0.1:%d", port)).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("smtp-source: %v\n%s", err, out)
	}
	return time.Since(start), nil
}

func startProcess(bin string, env []string, role string) (*exec.Cmd, error) {
	cmd := exec.Command(bin, role)
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start followup %s: %w", role, err)
	}
	return cmd, nil
}

func stop(cmd *exec.Cmd) {
	if cmd == nil || cmd.Process == nil || cmd.ProcessState != nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// memKB reads a memory figure (VmRSS, VmHWM) of a process, in KiB.
func memKB(pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, field+":")), "%d", &kb); err != nil {
				return 0
			}
			return kb
		}
	}
	return 0
}

func median(v []int64) int64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]int64(nil), v...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[len(s)/2]
}

// cpuByRole reads the CPU seconds used so far by each party of the blast.
func cpuByRole(worker, sched, sink *exec.Cmd) map[string]float64 {
	out := map[string]float64{
		"worker":    cpuSeconds(worker.Process.Pid),
		"scheduler": cpuSeconds(sched.Process.Pid),
		"smtp-sink": cpuSeconds(sink.Process.Pid),
	}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		switch strings.TrimSpace(string(comm)) {
		case "postgres":
			out["postgres"] += cpuSeconds(pid)
		case "redis-server":
			out["redis"] += cpuSeconds(pid)
		}
	}
	return out
}

// cpuSeconds is a process's user and system time.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(fields) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(fields[11], 64)
	st, _ := strconv.ParseFloat(fields[12], 64)
	return (ut + st) / 100 // clock ticks
}
