package scheduler_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/scheduler"
)

// logBuffer keeps what a logger wrote, for tests that check log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// take returns the lines written since the last take.
func (b *logBuffer) take() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := strings.TrimSpace(b.buf.String())
	b.buf.Reset()
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// reconciledLines are the lines that claim a reconciliation.
func reconciledLines(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.Contains(l, "msg=reconciled") {
			out = append(out, l)
		}
	}
	return out
}

// TestReconcileSaysOnlyWhatItChanged: a pass that finds its work's tasks
// still queued logs nothing and counts them as already queued; a pass that
// queues lost work or revives an archived task says so, per kind of work.
func TestReconcileSaysOnlyWhatItChanged(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	clk := clock.NewFake(time.Now())
	f.campaign(t, "c", scheduler.StateActive, "delivery")
	f.events(t, "delivery", 4, clk.Now().Add(-2*time.Hour))
	logs := &logBuffer{}
	var passes []scheduler.Reconciliation
	r := scheduler.NewRunner(scheduler.RunnerConfig{BatchSize: 2, Grace: time.Second, ReconcileInterval: time.Hour,
		Reconciled: func(p scheduler.Reconciliation) { passes = append(passes, p) }},
		f.store, f.sv, f.client, scheduler.NewLeader(f.schema.DB, "followup.scheduler"), clk, slog.New(slog.NewTextHandler(logs, nil)))
	r.Tick(ctx) // leads, sweeps two batches
	clk.Advance(2 * time.Second)
	logs.take()

	// Both batches' tasks are queued: the pass changes nothing, and says nothing.
	if err := r.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	last := passes[len(passes)-1]
	if got := last.Work[scheduler.WorkSendBatches]; got != (scheduler.Tally{AlreadyQueued: 2}) {
		t.Errorf("pass with every task queued: %+v, want 2 already queued", got)
	}
	if lines := reconciledLines(logs.take()); len(lines) != 0 {
		t.Errorf("a pass that changed nothing logged %q", lines)
	}

	// One task lost, the other archived: one queued, one revived.
	tasks := f.pending(t)
	if len(tasks) != 2 {
		t.Fatalf("%d tasks, want 2", len(tasks))
	}
	queue := f.client.Queues().Default()
	insp := asynq.NewInspectorFromRedisClient(f.queues.Redis)
	if err := insp.DeleteTask(queue, tasks[0]); err != nil {
		t.Fatal(err)
	}
	if err := insp.ArchiveTask(queue, tasks[1]); err != nil {
		t.Fatal(err)
	}
	if err := r.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	last = passes[len(passes)-1]
	if got := last.Work[scheduler.WorkSendBatches]; got != (scheduler.Tally{Queued: 1, Revived: 1}) {
		t.Errorf("pass after a loss and an archive: %+v, want 1 queued and 1 revived", got)
	}
	lines := reconciledLines(logs.take())
	if len(lines) != 1 || !strings.Contains(lines[0], "work=send_batches queued=1 revived=1") {
		t.Errorf("log lines %q, want one saying one batch queued and one revived", lines)
	}
	if n := len(f.pending(t)); n != 2 {
		t.Errorf("%d tasks pending after the pass, want both batches", n)
	}

	// And again nothing.
	if err := r.Reconcile(ctx); err != nil {
		t.Fatal(err)
	}
	if lines := reconciledLines(logs.take()); len(lines) != 0 {
		t.Errorf("a pass that changed nothing logged %q", lines)
	}
}

// TestStallIsReportedOncePerStall: a watch whose oldest work waits past its
// threshold reports a stall once, however many passes see it; the stall
// ends when the work is back under the threshold, and a new one is reported
// again. A report that fails is tried again at the next pass.
func TestStallIsReportedOncePerStall(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	clk := clock.NewFake(time.Now())
	var since time.Time // when the oldest work waits since; zero: none waits
	var stalls []scheduler.Stall
	failNext := false
	logs := &logBuffer{}
	var passes []scheduler.Reconciliation
	r := scheduler.NewRunner(scheduler.RunnerConfig{Grace: time.Second, ReconcileInterval: time.Hour,
		Watches: map[string]scheduler.Watch{"alerts": {After: time.Hour, Oldest: func(context.Context, time.Time) (time.Time, error) { return since, nil }}},
		Stalled: func(_ context.Context, s scheduler.Stall) error {
			if failNext {
				failNext = false
				return errors.New("database down")
			}
			stalls = append(stalls, s)
			return nil
		},
		Reconciled: func(p scheduler.Reconciliation) { passes = append(passes, p) }},
		f.store, f.sv, f.client, scheduler.NewLeader(f.schema.DB, "followup.scheduler"), clk, slog.New(slog.NewTextHandler(logs, nil)))
	pass := func() scheduler.Waiting {
		t.Helper()
		_ = r.Reconcile(ctx)
		return passes[len(passes)-1].Waiting["alerts"]
	}
	if w := pass(); w.Age != 0 || w.Stalled {
		t.Errorf("nothing waiting: %+v", w)
	}
	since = clk.Now().Add(-30 * time.Minute)
	if w := pass(); w.Age != 30*time.Minute || w.Stalled || len(stalls) != 0 {
		t.Errorf("under the threshold: %+v, %d stalls", w, len(stalls))
	}
	clk.Advance(40 * time.Minute)
	failNext = true
	if w := pass(); !w.Stalled || len(stalls) != 0 || passes[len(passes)-1].Err == nil {
		t.Errorf("a stall whose report failed: %+v, %d stalls, err %v", w, len(stalls), passes[len(passes)-1].Err)
	}
	for i := 0; i < 3; i++ {
		clk.Advance(time.Minute)
		pass()
	}
	if len(stalls) != 1 || stalls[0].Work != "alerts" || !stalls[0].Since.Equal(since) || stalls[0].After != time.Hour ||
		stalls[0].Waited != 71*time.Minute {
		t.Errorf("stalls %+v, want one, reported at the pass after the failed one", stalls)
	}
	since = time.Time{} // delivered
	pass()
	since = clk.Now().Add(-2 * time.Hour)
	pass()
	pass()
	if len(stalls) != 2 {
		t.Errorf("%d stalls, want a second one after the first ended", len(stalls))
	}
	out := strings.Join(logs.take(), "\n")
	if strings.Count(out, "msg=\"work stalled\"") != 3 || strings.Count(out, "msg=\"work flowing again\"") != 1 {
		t.Errorf("log:\n%s\nwant a warning per stall (and one for the failed report) and one line when it ended", out)
	}
}
