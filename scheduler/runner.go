package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/surveys"
)

// DefaultSendingLease is how long a send batch stays held after its worker
// last renewed its lease; the worker renews it several times a lease while
// it sends, so a batch whose worker died is taken over within a minute.
const DefaultSendingLease = time.Minute

// RunnerConfig tunes a Runner.
type RunnerConfig struct {
	// SweepInterval is the pause between sweeps when nothing was due.
	SweepInterval time.Duration
	// ReconcileInterval is how often the reconciler runs.
	ReconcileInterval time.Duration
	// BatchSize is how many invitations one send task carries.
	BatchSize int
	// MaxBatchesPerSweep bounds one sweep, so leadership and shutdown are
	// checked often even under a large backlog.
	MaxBatchesPerSweep int
	// Claimers is how many claims run at once (default 2).
	Claimers int
	// Grace is how long queued work may wait for its task before the
	// reconciler enqueues it again.
	Grace time.Duration
	// SendingLease is how long a batch stays held after its worker last
	// renewed its lease; past it the worker is deemed dead and the batch is
	// sent again. It must match the workers' lease.
	SendingLease time.Duration
	// Reconcilers re-enqueue other kinds of lost work (alerts...) at each
	// reconciliation, by kind of work (WorkAlerts...); each tallies what
	// its requeues did.
	Reconcilers map[string]Reconciler
	// Watches measure, at each reconciliation, how long the oldest pending
	// work of each kind (WorkSendBatches...) has waited.
	Watches map[string]Watch
	// Stalled, when set, is told of each stall once, when a watch first
	// finds its work waiting past its threshold (a new leader tells again
	// of a stall still going: make it idempotent). An error is retried at
	// the next pass.
	Stalled func(ctx context.Context, s Stall) error
	// Periodic jobs run by the leader (deadline checks, reports...).
	Periodic []Periodic
	// Reconciled, when set, is called after every reconciliation pass. It
	// lets a test wait for a pass that would have re-enqueued some work
	// (instead of sleeping), then check that nothing was sent twice. It runs
	// on the scheduler's goroutine: keep it short.
	Reconciled func(Reconciliation)
}

// Reconciliation describes a finished reconciliation pass.
type Reconciliation struct {
	// At is when the pass began, on the scheduler's clock.
	At time.Time
	// Cutoff is the grace cutoff: work pending since before it was enqueued
	// again by this pass.
	Cutoff time.Time
	// Work is what the pass's requeues did, per kind of work.
	Work map[string]Tally
	// Waiting is how long each watched kind's oldest work had waited.
	Waiting map[string]Waiting
	// Err is what went wrong, if anything.
	Err error
}

// Periodic is a job the leading scheduler runs every so often. It usually
// enqueues a task whose id names the period, so a job run twice (a new
// leader after a fail-over) queues its work once.
type Periodic struct {
	Name  string
	Every time.Duration
	// Run does the job; now is the scheduler's clock.
	Run func(ctx context.Context, now time.Time) error
}

// Reconciler finds work PostgreSQL says is pending since before cutoff and
// puts it back on the queue (task ids make that a no-op for queued work),
// tallying what each requeue did.
type Reconciler func(ctx context.Context, cutoff time.Time) (Tally, error)

func (c *RunnerConfig) defaults() {
	if c.SweepInterval <= 0 {
		c.SweepInterval = time.Second
	}
	if c.ReconcileInterval <= 0 {
		c.ReconcileInterval = 30 * time.Second
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 200
	}
	if c.MaxBatchesPerSweep <= 0 {
		c.MaxBatchesPerSweep = 500
	}
	if c.Claimers <= 0 {
		c.Claimers = 2
	}
	if c.Grace <= 0 {
		c.Grace = 30 * time.Second
	}
	if c.SendingLease <= 0 {
		c.SendingLease = DefaultSendingLease
	}
}

// Runner is the scheduler role: while it holds leadership it sweeps due
// invitations into send batches and reconciles lost or stuck work.
type Runner struct {
	cfg      RunnerConfig
	store    *Store
	surveys  *surveys.Store
	enqueuer Enqueuer
	leader   *Leader
	clock    clock.Clock
	log      *slog.Logger

	lastReconcile time.Time
	lastPeriodic  map[string]time.Time
	// stalled are the kinds of work whose stall was reported and is not
	// over yet.
	stalled map[string]bool
}

// NewRunner returns a Runner. The clock drives what is due; the pacing of
// the loop itself uses real time.
func NewRunner(cfg RunnerConfig, store *Store, sv *surveys.Store, enq Enqueuer, leader *Leader, clk clock.Clock, log *slog.Logger) *Runner {
	cfg.defaults()
	return &Runner{cfg: cfg, store: store, surveys: sv, enqueuer: enq, leader: leader, clock: clk, log: log, stalled: map[string]bool{}}
}

// Run loops until ctx is cancelled, then releases leadership.
func (r *Runner) Run(ctx context.Context) error {
	defer r.leader.Release(context.Background())
	for {
		busy := r.Tick(ctx)
		if busy {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(r.cfg.SweepInterval):
		}
	}
}

// Tick runs one round: acquire or confirm leadership, sweep, and reconcile
// when due. It returns true when the sweep stopped at its bound with more
// work due, so the caller loops again at once.
func (r *Runner) Tick(ctx context.Context) bool {
	was := r.leader.Held()
	leading, err := r.leader.TryAcquire(ctx)
	if err != nil && ctx.Err() == nil {
		r.log.Warn("scheduler leadership", "err", err)
	}
	if leading != was {
		r.log.Info("scheduler leadership changed", "leading", leading)
	}
	if !leading {
		return false
	}
	if time.Since(r.lastReconcile) >= r.cfg.ReconcileInterval {
		r.lastReconcile = time.Now()
		if err := r.Reconcile(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("reconcile", "err", err)
		}
	}
	if runs, err := r.store.RunAudiences(ctx, r.clock.Now()); err != nil && ctx.Err() == nil {
		r.log.Error("audience campaigns", "err", err)
	} else {
		for _, run := range runs {
			r.log.Info("audience invited", "campaign", run.CampaignID, "occurrence", run.Occurrence, "invitations", run.Scheduled)
		}
	}
	r.runPeriodic(ctx)
	more, err := r.Sweep(ctx)
	if err != nil && ctx.Err() == nil {
		r.log.Error("sweep", "err", err)
		return false
	}
	return more
}

// Sweep claims due invitations into batches and enqueues one send task per
// batch, after the claim has committed. Claimers run in parallel (they skip
// each other's locked rows), each with its own cursor. It returns true when
// it stopped at MaxBatchesPerSweep with more possibly due.
func (r *Runner) Sweep(ctx context.Context) (bool, error) {
	now := r.clock.Now()
	var mu sync.Mutex
	batches := 0
	more := false
	var firstErr error
	var wg sync.WaitGroup
	for w := 0; w < r.cfg.Claimers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var cur Cursor
			for {
				mu.Lock()
				stop := firstErr != nil || batches >= r.cfg.MaxBatchesPerSweep
				if batches >= r.cfg.MaxBatchesPerSweep {
					more = true
				}
				mu.Unlock()
				if stop || ctx.Err() != nil || cur.Done {
					return
				}
				batch, n, err := r.store.ClaimDueAfter(ctx, now, r.cfg.BatchSize, &cur)
				if err == nil && n > 0 {
					// After the claim committed. Should this fail, the batch stays
					// queued in PostgreSQL and the reconciler retries.
					if err = r.enqueuer.EnqueueSendBatch(ctx, batch); err != nil {
						err = fmt.Errorf("enqueue batch %d: %w", batch, err)
					}
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if n > 0 {
					batches++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return more && firstErr == nil, firstErr
}

// Reconcile re-enqueues what PostgreSQL says is due or stuck: batches whose
// task was lost or whose worker died, responses never scored, and what the
// Reconcilers find. Task ids make it a no-op for work still queued; work
// whose task was archived is revived. It logs only what it changed, then
// measures how long each watched kind of work has waited.
func (r *Runner) Reconcile(ctx context.Context) error {
	now := r.clock.Now()
	cutoff := now.Add(-r.cfg.Grace)
	work, err := r.reconcile(ctx, now, cutoff)
	waiting, werr := r.watch(ctx, now)
	err = errors.Join(err, werr)
	if r.cfg.Reconciled != nil {
		r.cfg.Reconciled(Reconciliation{At: now, Cutoff: cutoff, Work: work, Waiting: waiting, Err: err})
	}
	return err
}

func (r *Runner) reconcile(ctx context.Context, now, cutoff time.Time) (map[string]Tally, error) {
	var errs []error
	work := map[string]Tally{}
	batches, err := r.store.StaleBatches(ctx, cutoff, now.Add(-r.cfg.SendingLease), 10000)
	errs = append(errs, err)
	work[WorkSendBatches] = requeueAll(ctx, batches, r.enqueuer.RequeueSendBatch, &errs)
	if _, err := r.store.PruneBatches(ctx, now.Add(-7*24*time.Hour)); err != nil {
		errs = append(errs, err)
	}
	if n, err := r.store.ExpireInvitations(ctx, now); err != nil {
		errs = append(errs, err)
	} else if n > 0 {
		r.log.Info("invitations expired", "count", n)
	}
	unscored, err := r.surveys.Unscored(ctx, cutoff, 10000)
	errs = append(errs, err)
	work[WorkResponses] = requeueAll(ctx, unscored, r.enqueuer.RequeueScore, &errs)
	for name, rec := range r.cfg.Reconcilers {
		t, err := rec(ctx, cutoff)
		errs = append(errs, err)
		work[name] = t
	}
	for _, name := range slices.Sorted(maps.Keys(work)) {
		if t := work[name]; t.Changed() > 0 {
			r.log.Info("reconciled", "work", name, "queued", t.Queued, "revived", t.Revived)
		}
	}
	return work, errors.Join(errs...)
}

// requeueAll requeues each id, tallying the outcomes and collecting errors.
func requeueAll(ctx context.Context, ids []int64, requeue func(context.Context, int64) (Outcome, error), errs *[]error) Tally {
	var t Tally
	for _, id := range ids {
		o, err := requeue(ctx, id)
		if err != nil {
			*errs = append(*errs, err)
			continue
		}
		t.Add(o)
	}
	return t
}

// watch measures how long each watched kind of work has waited, and
// reports a stall when one begins (once: not at every pass while it lasts).
func (r *Runner) watch(ctx context.Context, now time.Time) (map[string]Waiting, error) {
	if len(r.cfg.Watches) == 0 {
		return nil, nil
	}
	var errs []error
	out := make(map[string]Waiting, len(r.cfg.Watches))
	for _, name := range slices.Sorted(maps.Keys(r.cfg.Watches)) {
		w := r.cfg.Watches[name]
		since, err := w.Oldest(ctx, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("oldest pending %s: %w", name, err))
			continue
		}
		wt := Waiting{Since: since, After: w.After}
		if !since.IsZero() && now.After(since) {
			wt.Age = now.Sub(since)
		}
		wt.Stalled = w.After > 0 && wt.Age > w.After
		out[name] = wt
		switch {
		case wt.Stalled && !r.stalled[name]:
			r.log.Warn("work stalled", "work", name, "waiting_since", since, "waited", wt.Age.Round(time.Second), "expected_within", w.After)
			if r.cfg.Stalled != nil {
				if err := r.cfg.Stalled(ctx, Stall{Work: name, Since: since, Waited: wt.Age, After: w.After}); err != nil {
					errs = append(errs, fmt.Errorf("report the stall of %s: %w", name, err))
					continue // told again at the next pass
				}
			}
			r.stalled[name] = true
		case !wt.Stalled && r.stalled[name]:
			r.log.Info("work flowing again", "work", name, "waited", wt.Age.Round(time.Second))
			delete(r.stalled, name)
		}
	}
	return out, errors.Join(errs...)
}

// runPeriodic runs the periodic jobs that are due, by real time.
func (r *Runner) runPeriodic(ctx context.Context) {
	if r.lastPeriodic == nil {
		r.lastPeriodic = map[string]time.Time{}
	}
	for _, p := range r.cfg.Periodic {
		if last, ok := r.lastPeriodic[p.Name]; ok && time.Since(last) < p.Every {
			continue
		}
		r.lastPeriodic[p.Name] = time.Now()
		if err := p.Run(ctx, r.clock.Now()); err != nil && ctx.Err() == nil {
			r.log.Error("periodic job", "job", p.Name, "err", err)
		}
	}
}
