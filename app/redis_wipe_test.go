package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/scheduler"
)

// TestRedisWipedMidCampaign empties the deployment's Redis while a campaign
// is being sent: PostgreSQL knows what is due or in flight, the reconciler
// enqueues it again, and every invitation is still sent exactly once. The
// mail server holds every email after the 40th until Redis is wiped, so the
// wipe falls mid-campaign, with sends in flight, however fast or slow the
// machine.
//
// The deployment runs on a Redis database of its own (testenv.FlushRedisDB)
// and the wipe is a real FLUSHDB of it. FLUSHALL would also empty database
// 0, under every other test running in parallel; for a deployment alone in
// its database, FLUSHDB is the same event: every key it has is gone (queues,
// scheduled and retried tasks, task-id locks, servers, the rate limit).
func TestRedisWipedMidCampaign(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Queues: testenv.NewFlushableQueues(t), Env: map[string]string{
		"FOLLOWUP_SEND_BATCH_SIZE": "10", "FOLLOWUP_RECONCILE_INTERVAL": "500ms", "FOLLOWUP_WORKER_CONCURRENCY": "3",
	}})
	if !strings.HasSuffix(h.Queues.RedisURL, fmt.Sprintf("/%d", testenv.FlushRedisDB)) {
		t.Fatalf("the deployment uses Redis %s, not database %d of its own", h.Queues.RedisURL, testenv.FlushRedisDB)
	}
	// The mail server takes 40 emails, then holds the next ones until Redis
	// is wiped: the campaign is still going when it is.
	const beforeWipe = 40
	var arrived atomic.Int64
	wiped := make(chan struct{})
	var release sync.Once
	wipeDone := func() { release.Do(func() { close(wiped) }) }
	t.Cleanup(wipeDone) // a test failing before the wipe must not hold the senders
	h.Capture.OnData(func(string) error {
		if arrived.Add(1) > beforeWipe {
			<-wiped
		}
		return nil
	})
	ctx := context.Background()
	sv, err := h.App.Surveys.EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Paused while the events come in (invitations are still scheduled), then resumed.
	camp, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{Name: "blast", SurveyID: sv.ID, State: scheduler.StatePaused,
		EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen(), Delay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	for i := 0; i < n; i++ {
		if _, err := h.App.Intake.Record(ctx, customers.EventInput{ExternalID: fmt.Sprintf("e%d", i), Kind: "delivery",
			OccurredAt: time.Now().Add(-2 * time.Hour), Customer: customers.CustomerInput{ExternalRef: fmt.Sprintf("c%d", i), Email: fmt.Sprintf("c%d@x.test", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.App.Scheduler.Transition(ctx, camp.ID, "resume", time.Now()); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := h.Capture.WaitFor(wctx, beforeWipe); err != nil {
		t.Fatal(err)
	}
	keys, err := h.Queues.Redis.DBSize(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Queues.Redis.FlushDB(ctx).Err(); err != nil {
		t.Fatalf("FLUSHDB: %v", err)
	}
	sentAtWipe := h.Capture.Count()
	wipeDone()
	t.Logf("FLUSHDB on Redis database %d: %d keys gone with %d of %d emails sent", testenv.FlushRedisDB, keys, sentAtWipe, n)
	if keys == 0 {
		t.Fatalf("nothing in Redis database %d to wipe: the deployment is not using it", testenv.FlushRedisDB)
	}
	if sentAtWipe >= n {
		t.Fatalf("the campaign finished before the wipe; slow the mail server down")
	}
	if _, err := h.Capture.WaitFor(wctx, n); err != nil {
		t.Fatalf("after the wipe: %v", err)
	}
	// A duplicate would come from a batch queued again after it was sent:
	// wait until PostgreSQL has every invitation sent, then for a
	// reconciliation pass begun after that (the last chance to queue one
	// again), then for the worker to process whatever was queued.
	eventually(t, "every invitation marked sent", func() bool { return sentCount(t, h) == n })
	allSent := time.Now()
	h.WaitReconciled(t, "begun once every invitation was sent", func(p scheduler.Reconciliation) bool { return p.At.After(allSent) })
	h.WaitIdle(t)
	got := map[string]int{}
	for _, m := range h.Capture.Messages() {
		got[strings.Trim(m.To[0], "<>")]++
	}
	if len(got) != n {
		t.Errorf("%d customers reached, want %d", len(got), n)
	}
	for addr, k := range got {
		if k != 1 {
			t.Errorf("%s received %d emails", addr, k)
		}
	}
	if sent := sentCount(t, h); sent != n {
		t.Errorf("%d invitations marked sent, want %d", sent, n)
	}
}

// sentCount is how many invitations are marked sent.
func sentCount(t *testing.T, h *apptest.Harness) int {
	t.Helper()
	var n int
	if err := h.Schema.DB.Get(&n, `SELECT count(*) FROM invitations WHERE state = 'sent'`); err != nil {
		t.Fatal(err)
	}
	return n
}
