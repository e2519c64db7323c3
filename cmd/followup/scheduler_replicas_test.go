package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/lib/pq"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/worker"
)

// TestTwoSchedulerProcessesNeverEnqueueTheSameWork runs the real binary as
// two `followup scheduler` OS processes against one schema and one queue
// prefix. PostgreSQL's advisory lock elects one: every due invitation lands
// in exactly one send batch with exactly one task in Redis, and only one
// process ever holds the lock. Then the leader is killed with SIGKILL (no
// chance to release anything): the survivor takes the lock over and queues
// the work that comes due next, once.
func TestTwoSchedulerProcessesNeverEnqueueTheSameWork(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skips building the followup binary and running two scheduler processes")
	}
	t.Parallel()
	bin := buildFollowup(t)
	schema := testenv.NewSchema(t)
	queues := testenv.NewQueues(t)
	ctx := context.Background()

	sv, err := surveys.NewStore(schema.DB).EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	store := scheduler.NewStore(schema.DB)
	if _, err := store.CreateEventCampaign(ctx, scheduler.Campaign{Name: "after delivery", SurveyID: sv.ID, State: scheduler.StateActive,
		EventKinds: []string{"delivery"}, Delay: time.Hour, Window: scheduler.AlwaysOpen()}); err != nil {
		t.Fatal(err)
	}
	intake := scheduler.NewIntake(schema.DB, customers.NewStore(schema.DB), store)
	seed := func(from, n int) {
		t.Helper()
		for i := from; i < from+n; i++ {
			if _, err := intake.Record(ctx, customers.EventInput{ExternalID: fmt.Sprintf("e%d", i), Kind: "delivery",
				OccurredAt: time.Now().Add(-2 * time.Hour), // due an hour ago
				Customer:   customers.CustomerInput{ExternalRef: fmt.Sprintf("c%d", i), Email: fmt.Sprintf("c%d@x.test", i)}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Due before either process starts, so both race for it from their first tick.
	seed(0, 40)

	// Each process connects under its own application_name, so pg_locks
	// says which one holds the scheduler lock.
	tag := schema.Name[len(schema.Name)-8:]
	procs := []*schedulerProc{
		startScheduler(t, bin, schema, queues, "followup-sched-a-"+tag),
		startScheduler(t, bin, schema, queues, "followup-sched-b-"+tag),
	}
	ins := asynq.NewInspectorFromRedisClient(queues.Redis)
	sendQueue := worker.Queues{Prefix: queues.Prefix}.Default()

	// Phase 1: both running, one leads.
	holders := map[string]bool{}
	waitFor(t, 20*time.Second, procs, "40 invitations queued while both processes run", func() bool {
		if h := lockHolder(t, schema, procs); h != "" {
			holders[h] = true
		}
		return queuedCount(t, schema) == 40 && connected(t, schema, procs) == 2
	})
	leader := holderProc(t, schema, procs)
	holders[leader.app] = true
	if len(holders) != 1 {
		t.Errorf("the lock moved between processes that were both alive: held by %v", holders)
	}
	checkEnqueuedOnce(t, schema, ins, sendQueue, 40)
	standby := procs[0]
	if standby == leader {
		standby = procs[1]
	}
	if !strings.Contains(leader.log.String(), "leading=true") {
		t.Errorf("%s holds the lock but never logged taking the lead", leader.app)
	}
	if strings.Contains(standby.log.String(), "leading=true") {
		t.Errorf("%s logged taking the lead while %s held the lock", standby.app, leader.app)
	}

	// Phase 2: the leader dies without releasing anything; more work comes due.
	leader.kill()
	t.Logf("killed the leader %s (pid %d) with SIGKILL", leader.app, leader.cmd.Process.Pid)
	start := time.Now()
	seed(40, 20)
	waitFor(t, 15*time.Second, []*schedulerProc{standby}, "the survivor to queue the 20 new invitations", func() bool {
		return queuedCount(t, schema) == 60
	})
	t.Logf("%s took over and queued the new work in %s", standby.app, time.Since(start).Round(time.Millisecond))
	if h := lockHolder(t, schema, procs); h != standby.app {
		t.Errorf("scheduler lock held by %q after the fail-over, want %s", h, standby.app)
	}
	if !strings.Contains(standby.log.String(), "leading=true") {
		t.Errorf("%s queued work without logging taking the lead", standby.app)
	}
	checkEnqueuedOnce(t, schema, ins, sendQueue, 60)
}

// buildFollowup builds this command into the test's temporary directory.
func buildFollowup(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "followup")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build ./cmd/followup: %v\n%s", err, out)
	}
	return bin
}

// schedulerProc is a running `followup scheduler`.
type schedulerProc struct {
	app  string // its PostgreSQL application_name
	cmd  *exec.Cmd
	log  *syncBuffer
	done chan struct{}
}

// startScheduler starts `followup scheduler` on the test's schema and queue
// prefix. The process is killed when the test ends; its log is printed if
// the test failed.
func startScheduler(t *testing.T, bin string, schema *testenv.Schema, queues *testenv.Queues, app string) *schedulerProc {
	t.Helper()
	u, err := url.Parse(schema.URL) // search_path is the test's schema
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	p := &schedulerProc{app: app, cmd: exec.Command(bin, "scheduler"), log: &syncBuffer{}, done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(),
		"FOLLOWUP_DATABASE_URL="+u.String(), "FOLLOWUP_REDIS_URL="+queues.RedisURL, "FOLLOWUP_QUEUE_PREFIX="+queues.Prefix,
		"FOLLOWUP_SECRET="+testenv.Secret, "FOLLOWUP_SWEEP_INTERVAL=100ms", "FOLLOWUP_SEND_BATCH_SIZE=7",
		"FOLLOWUP_HTTP_ADDR=127.0.0.1:0", "FOLLOWUP_METRICS_ADDR=", "FOLLOWUP_LOG_LEVEL=info", "FOLLOWUP_LOG_FORMAT=text",
		"FOLLOWUP_BAROMETER=none", "FOLLOWUP_REPORT_SCHEDULE=off")
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start followup scheduler: %v", err)
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("log of followup scheduler %s (pid %d):\n%s", app, p.cmd.Process.Pid, p.log.String())
		}
	})
	return p
}

// kill sends SIGKILL and waits for the process to be gone.
func (p *schedulerProc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	<-p.done
}

// waitFor polls cond until it holds, failing the test after timeout or as
// soon as one of procs exits.
func waitFor(t *testing.T, timeout time.Duration, procs []*schedulerProc, what string, cond func() bool) {
	t.Helper()
	wait.Until(t, timeout, what, func() bool {
		if cond() {
			return true
		}
		for _, p := range procs {
			select {
			case <-p.done:
				t.Fatalf("followup scheduler %s exited (%s) while waiting for %s", p.app, p.cmd.ProcessState, what)
			default:
			}
		}
		return false
	})
}

func queuedCount(t *testing.T, schema *testenv.Schema) int {
	t.Helper()
	var n int
	if err := schema.DB.Get(&n, `SELECT count(*) FROM invitations WHERE state = 'queued'`); err != nil {
		t.Fatal(err)
	}
	return n
}

func appNames(procs []*schedulerProc) []string {
	names := make([]string, len(procs))
	for i, p := range procs {
		names[i] = p.app
	}
	return names
}

// connected counts the processes with a session open on PostgreSQL.
func connected(t *testing.T, schema *testenv.Schema, procs []*schedulerProc) int {
	t.Helper()
	var n int
	if err := schema.DB.Get(&n, `SELECT count(DISTINCT application_name) FROM pg_stat_activity WHERE application_name = ANY($1)`,
		pq.Array(appNames(procs))); err != nil {
		t.Fatal(err)
	}
	return n
}

// lockHolder is the application_name of the session holding the scheduler's
// advisory lock (scheduler.Leader's key for this schema), or "".
func lockHolder(t *testing.T, schema *testenv.Schema, procs []*schedulerProc) string {
	t.Helper()
	var held []string
	if err := schema.DB.Select(&held, `
WITH k AS (SELECT hashtextextended('followup.scheduler' || '.' || current_schema(), 0) AS key)
SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid, k
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.classid::bigint = (k.key >> 32) & 4294967295 AND l.objid::bigint = k.key & 4294967295
  AND a.application_name = ANY($1)`, pq.Array(appNames(procs))); err != nil {
		t.Fatal(err)
	}
	if len(held) > 1 {
		t.Fatalf("the scheduler lock is held by %v at once", held)
	}
	if len(held) == 0 {
		return ""
	}
	return held[0]
}

func holderProc(t *testing.T, schema *testenv.Schema, procs []*schedulerProc) *schedulerProc {
	t.Helper()
	h := lockHolder(t, schema, procs)
	for _, p := range procs {
		if p.app == h {
			return p
		}
	}
	t.Fatalf("no scheduler process holds the lock (holder %q)", h)
	return nil
}

// checkEnqueuedOnce checks that each of the want invitations is in exactly
// one send batch (PostgreSQL) and that each batch has exactly one send task
// waiting in Redis (no worker runs in this test), and no other task.
func checkEnqueuedOnce(t *testing.T, schema *testenv.Schema, ins *asynq.Inspector, queue string, want int) {
	t.Helper()
	var rows []struct {
		ID      int64 `db:"id"`
		Batches int   `db:"batches"`
	}
	if err := schema.DB.Select(&rows, `SELECT i.id, count(b.id) AS batches FROM invitations i
		LEFT JOIN send_batches b ON i.id = ANY(b.invitation_ids) GROUP BY i.id ORDER BY i.id`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != want {
		t.Errorf("%d invitations, want %d", len(rows), want)
	}
	for _, r := range rows {
		if r.Batches != 1 {
			t.Errorf("invitation %d is in %d send batches, want 1", r.ID, r.Batches)
		}
	}
	var batches []int64
	if err := schema.DB.Select(&batches, `SELECT id FROM send_batches ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	wantTasks := make([]string, len(batches))
	for i, b := range batches {
		wantTasks[i] = worker.TypeSurveySend + ":" + strconv.FormatInt(b, 10)
	}
	tasks, err := ins.ListPendingTasks(queue, asynq.PageSize(10000))
	if err != nil {
		t.Fatalf("list pending tasks of %s: %v", queue, err)
	}
	var got []string
	for _, task := range tasks {
		got = append(got, task.ID)
	}
	slices.Sort(got)
	slices.Sort(wantTasks)
	if !slices.Equal(got, wantTasks) {
		t.Errorf("send tasks in Redis %v, want one per send batch %v", got, wantTasks)
	}
}

// syncBuffer is a bytes.Buffer safe for a process's output and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
