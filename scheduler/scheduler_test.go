package scheduler_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/worker"
)

type fixture struct {
	schema *testenv.Schema
	queues *testenv.Queues
	store  *scheduler.Store
	intake *scheduler.Intake
	sv     *surveys.Store
	client *worker.Client
	survey *surveys.Survey
}

func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{schema: testenv.NewSchema(t), queues: testenv.NewQueues(t)}
	f.store = scheduler.NewStore(f.schema.DB)
	f.intake = scheduler.NewIntake(f.schema.DB, customers.NewStore(f.schema.DB), f.store)
	f.sv = surveys.NewStore(f.schema.DB)
	f.client = worker.NewClient(f.queues.Redis, worker.ClientConfig{Queues: worker.Queues{Prefix: f.queues.Prefix}})
	var err error
	if f.survey, err = f.sv.EnsureDefault(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) campaign(t *testing.T, name, state string, kinds ...string) scheduler.Campaign {
	t.Helper()
	c, err := f.store.CreateEventCampaign(context.Background(), scheduler.Campaign{Name: name, SurveyID: f.survey.ID, State: state, EventKinds: kinds, Delay: time.Hour, Window: scheduler.AlwaysOpen()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) events(t *testing.T, kind string, n int, occurred time.Time) {
	t.Helper()
	for i := 0; i < n; i++ {
		ref := kind + "-" + time.Now().Format("150405.000000000") + "-" + string(rune('a'+i%26))
		_, err := f.intake.Record(context.Background(), customers.EventInput{ExternalID: ref, Kind: kind, OccurredAt: occurred,
			Customer: customers.CustomerInput{ExternalRef: ref, Email: "x@example.com"}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func (f *fixture) runner(clk clock.Clock, batch int) *scheduler.Runner {
	return scheduler.NewRunner(scheduler.RunnerConfig{BatchSize: batch, Grace: time.Second, SendingLease: time.Minute, ReconcileInterval: time.Hour},
		f.store, f.sv, f.client, scheduler.NewLeader(f.schema.DB, "followup.scheduler"), clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// pending lists the send tasks waiting in Redis. It reads asynq's list
// directly: after a wipe the inspector no longer knows the queue (the client
// registers a queue name once per process), though the tasks are there.
func (f *fixture) pending(t *testing.T) []string {
	t.Helper()
	ids, err := f.queues.Redis.LRange(context.Background(), "asynq:{"+f.client.Queues().Default()+"}:pending", 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestSweepClaimsDueInvitationsOfActiveCampaignsInBatches(t *testing.T) {
	t.Parallel()
	f := setup(t)
	now := time.Now()
	f.campaign(t, "active", scheduler.StateActive, "delivery")
	paused := f.campaign(t, "paused", scheduler.StatePaused, "ticket_closed")
	f.campaign(t, "draft", scheduler.StateDraft, "delivery")
	f.events(t, "delivery", 5, now.Add(-2*time.Hour))      // due an hour ago
	f.events(t, "delivery", 2, now.Add(-30*time.Minute))   // due in half an hour
	f.events(t, "ticket_closed", 3, now.Add(-2*time.Hour)) // due, but paused
	var scheduled int
	if err := f.schema.DB.Get(&scheduled, `SELECT count(*) FROM invitations`); err != nil {
		t.Fatal(err)
	}
	if scheduled != 10 {
		t.Fatalf("%d invitations scheduled, want 10 (paused campaigns keep scheduling, drafts do not)", scheduled)
	}

	r := f.runner(clock.NewFake(now), 2)
	if r.Tick(context.Background()) {
		t.Error("the sweep should have finished the due work")
	}
	tasks := f.pending(t)
	if len(tasks) != 3 { // 5 due in batches of 2
		t.Fatalf("%d send tasks, want 3", len(tasks))
	}
	var queued int
	if err := f.schema.DB.Get(&queued, `SELECT count(*) FROM invitations WHERE state = 'queued'`); err != nil {
		t.Fatal(err)
	}
	if queued != 5 {
		t.Errorf("%d queued, want 5", queued)
	}
	// Resuming the paused campaign makes its invitations claimable.
	if err := f.store.SetState(context.Background(), paused.ID, scheduler.StateActive); err != nil {
		t.Fatal(err)
	}
	r.Tick(context.Background())
	if n := len(f.pending(t)); n != 5 {
		t.Errorf("%d send tasks after resume, want 5", n)
	}
}

func TestOnlyOneSchedulerLeads(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	a := scheduler.NewLeader(f.schema.DB, "followup.scheduler")
	b := scheduler.NewLeader(f.schema.DB, "followup.scheduler")
	var wg sync.WaitGroup
	results := make([]bool, 2)
	for i, l := range []*scheduler.Leader{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := l.TryAcquire(ctx)
			if err != nil {
				t.Error(err)
			}
			results[i] = ok
		}()
	}
	wg.Wait()
	if results[0] == results[1] {
		t.Fatalf("leadership %v: exactly one must lead", results)
	}
	leader, follower := a, b
	if results[1] {
		leader, follower = b, a
	}
	if ok, _ := follower.TryAcquire(ctx); ok {
		t.Fatal("the follower took the lock while the leader holds it")
	}
	// Another deployment (schema) has its own election.
	other := testenv.NewSchema(t)
	if ok, _ := scheduler.NewLeader(other.DB, "followup.scheduler").TryAcquire(ctx); !ok {
		t.Error("a scheduler in another schema must lead its own deployment")
	}
	// The leader dies: its session ends, the follower takes over.
	var pid int
	if err := f.schema.DB.Get(&pid, `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid() AND
		objid = (hashtextextended('followup.scheduler.' || current_schema(), 0) & 4294967295)::oid LIMIT 1`); err != nil {
		t.Fatalf("find the leader's session: %v", err)
	}
	if _, err := f.schema.DB.Exec(`SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
	if ok, _ := leader.TryAcquire(ctx); ok {
		t.Error("a leader whose session died must notice it lost the lock")
	}
	wait.Until(t, 5*time.Second, "the follower to take over", func() bool {
		ok, _ := follower.TryAcquire(ctx)
		return ok
	})
	follower.Release(ctx)
}

func TestReconcileRestoresWhatRedisLost(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	clk := clock.NewFake(time.Now())
	f.campaign(t, "c", scheduler.StateActive, "delivery")
	f.events(t, "delivery", 4, clk.Now().Add(-2*time.Hour))
	r := f.runner(clk, 3)
	r.Tick(ctx)
	if n := len(f.pending(t)); n != 2 {
		t.Fatalf("%d tasks, want 2", n)
	}
	// Redis is wiped; the invitations are still queued in PostgreSQL.
	testenv.DeleteQueueKeys(ctx, f.queues.Redis, f.queues.Prefix)
	if n := len(f.pending(t)); n != 0 {
		t.Fatalf("wipe left %d tasks", n)
	}
	// Reconciling too early (inside the grace period) does nothing...
	if err := r.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(f.pending(t)); n != 0 {
		t.Fatalf("reconcile re-enqueued fresh work: %d", n)
	}
	// ... after it, both batches come back, once each, even reconciling twice.
	clk.Advance(2 * time.Second)
	for i := 0; i < 2; i++ {
		if err := r.Reconcile(ctx); err != nil {
			t.Fatal(err)
		}
	}

	if n := len(f.pending(t)); n != 2 {
		t.Fatalf("%d tasks after reconcile, want 2", n)
	}

	// A worker died while sending one batch: no one else may take it during
	// its lease; after it, the batch is enqueued again and can be taken.
	var batch int64
	if err := f.schema.DB.Get(&batch, `SELECT min(batch_id) FROM invitations`); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := f.store.ClaimBatch(ctx, batch, clk.Now(), clk.Now().Add(-time.Minute)); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if _, ok, _ := f.store.ClaimBatch(ctx, batch, clk.Now(), clk.Now().Add(-time.Minute)); ok {
		t.Fatal("a batch held by a live worker was claimed again")
	}
	testenv.DeleteQueueKeys(ctx, f.queues.Redis, f.queues.Prefix)
	clk.Advance(30 * time.Second)
	if err := r.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(f.pending(t)); n != 1 {
		t.Errorf("inside the lease: %d tasks, want only the never-started batch", n)
	}
	clk.Advance(2 * time.Minute)
	if err := r.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(f.pending(t)); n != 2 {
		t.Errorf("after the lease: %d tasks, want 2", n)
	}
	out, ok, err := f.store.ClaimBatch(ctx, batch, clk.Now(), clk.Now().Add(-time.Minute))
	if err != nil || !ok || len(out) == 0 {
		t.Errorf("the abandoned batch could not be taken over: %v %v %d", ok, err, len(out))
	}
}

// countingEnqueuer records which batches each runner enqueued.
type countingEnqueuer struct {
	scheduler.Enqueuer
	mu      sync.Mutex
	batches map[int64]int
}

func (c *countingEnqueuer) EnqueueSendBatch(ctx context.Context, b int64) error {
	c.mu.Lock()
	c.batches[b]++
	c.mu.Unlock()
	return c.Enqueuer.EnqueueSendBatch(ctx, b)
}

func TestTwoSchedulersNeverEnqueueTheSameWork(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	clk := clock.NewFake(time.Now())
	f.campaign(t, "c", scheduler.StateActive, "delivery")
	f.events(t, "delivery", 25, clk.Now().Add(-2*time.Hour))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	enqs := []*countingEnqueuer{{Enqueuer: f.client, batches: map[int64]int{}}, {Enqueuer: f.client, batches: map[int64]int{}}}
	runners := make([]*scheduler.Runner, 2)
	leaders := make([]*scheduler.Leader, 2)
	for i := range runners {
		leaders[i] = scheduler.NewLeader(f.schema.DB, "followup.scheduler")
		runners[i] = scheduler.NewRunner(scheduler.RunnerConfig{BatchSize: 3, Grace: time.Hour, ReconcileInterval: time.Hour},
			f.store, f.sv, enqs[i], leaders[i], clk, log)
	}
	var wg sync.WaitGroup
	for i := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				runners[i].Tick(ctx)
			}
		}()
	}
	wg.Wait()
	total := map[int64]int{}
	active := 0
	for _, e := range enqs {
		if len(e.batches) > 0 {
			active++
		}
		for b, n := range e.batches {
			total[b] += n
		}
	}
	if active != 1 {
		t.Errorf("%d schedulers enqueued work, want only the leader", active)
	}
	for b, n := range total {
		if n != 1 {
			t.Errorf("batch %d enqueued %d times", b, n)
		}
	}
	var queued, batches int
	if err := f.schema.DB.Get(&queued, `SELECT count(*) FROM invitations WHERE state = 'queued'`); err != nil {
		t.Fatal(err)
	}
	if err := f.schema.DB.Get(&batches, `SELECT count(*) FROM send_batches`); err != nil {
		t.Fatal(err)
	}
	if queued != 25 || batches != 9 || len(total) != 9 {
		t.Errorf("%d invitations queued in %d batches, %d enqueued; want 25 in 9, all enqueued", queued, batches, len(total))
	}
	// The leader stops: the other takes over and sweeps what comes due next.
	leader := 0
	if len(enqs[1].batches) > 0 {
		leader = 1
	}
	leaders[leader].Release(ctx)
	f.events(t, "delivery", 2, clk.Now().Add(-2*time.Hour))
	other := 1 - leader
	runners[other].Tick(ctx)
	if len(enqs[other].batches) != 1 {
		t.Errorf("the standby did not take over: %v", enqs[other].batches)
	}
}

// TestReconciledReportsEveryPass: the Reconciled hook hears of each pass,
// with the scheduler clock's time and the grace cutoff it used, once the
// pass's work is enqueued; tests wait on it instead of sleeping.
func TestReconciledReportsEveryPass(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	clk := clock.NewFake(time.Now())
	f.campaign(t, "c", scheduler.StateActive, "delivery")
	f.events(t, "delivery", 2, clk.Now().Add(-2*time.Hour))
	var passes []scheduler.Reconciliation
	var pendingAtPass []int
	r := scheduler.NewRunner(scheduler.RunnerConfig{BatchSize: 1, Grace: time.Second, ReconcileInterval: time.Hour,
		Reconciled: func(p scheduler.Reconciliation) {
			passes = append(passes, p)
			pendingAtPass = append(pendingAtPass, len(f.pending(t)))
		}},
		f.store, f.sv, f.client, scheduler.NewLeader(f.schema.DB, "followup.scheduler"), clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r.Tick(ctx) // leads, reconciles (nothing lost yet), sweeps two batches
	testenv.DeleteQueueKeys(ctx, f.queues.Redis, f.queues.Prefix)
	clk.Advance(2 * time.Second)
	if err := r.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	if len(passes) != 2 {
		t.Fatalf("%d passes reported, want 2 (the tick's and the direct one)", len(passes))
	}
	last := passes[1]
	if !last.At.Equal(clk.Now()) || !last.Cutoff.Equal(clk.Now().Add(-time.Second)) || last.Err != nil {
		t.Errorf("pass %+v; want at the fake clock's now, cutoff a grace earlier, no error", last)
	}
	if pendingAtPass[1] != 2 {
		t.Errorf("%d tasks queued when the pass was reported; want the 2 lost batches already enqueued", pendingAtPass[1])
	}
}
