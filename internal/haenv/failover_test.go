package haenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/benchenv"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/worker"
)

// TestSentinelFailoverMidCampaign runs followup as a deployment on more
// than one machine would: three `followup worker`, two `followup
// scheduler` and one `followup serve`, OS processes on one PostgreSQL
// schema and a Redis primary with a replica watched by three Sentinels
// (redis-sentinel:// URL). A campaign of 20,000 invitations (2,000 with
// -short) is sent to an SMTP sink and the primary fails over mid-campaign,
// once with SENTINEL FAILOVER and once by SIGKILL of the primary. Every
// invitation must reach the sink exactly once (by Message-ID, and
// PostgreSQL must agree), negative replies submitted before, during and
// after the failover must each be stored, scored and open a complaint,
// and nothing may be left waiting in PostgreSQL or Redis.
func TestSentinelFailoverMidCampaign(t *testing.T) {
	n, rate := 20000, 1000.0
	if testing.Short() {
		n, rate = 2000, 250
	}
	bin := filepath.Join(t.TempDir(), "followup")
	if err := benchenv.BuildFollowup(bin); err != nil {
		t.Fatal(err)
	}
	for _, fault := range []struct {
		name string
		do   func(*Sentinels, context.Context) (string, error)
	}{
		{"sentinel failover", (*Sentinels).Failover},
		{"primary killed", (*Sentinels).KillPrimary},
	} {
		t.Run(fault.name, func(t *testing.T) {
			failoverMidCampaign(t, bin, n, rate, fault.do)
		})
	}
}

func failoverMidCampaign(t *testing.T, bin string, n int, rate float64, fault func(*Sentinels, context.Context) (string, error)) {
	ctx := context.Background()
	dir := t.TempDir()
	ps := NewProcs()
	t.Cleanup(ps.KillAll)
	sentinels, err := StartSentinels(ctx, ps, dir)
	if err != nil {
		t.Fatal(err)
	}
	schema, blast, sink, secret, prefix := campaignWorld(ctx, t, n, "ha")
	fleet, err := NewFleet(ps, FleetConfig{Bin: bin, Dir: dir, DatabaseURL: schema.URL, RedisURL: sentinels.URL(), QueuePrefix: prefix,
		Secret: secret, SMTPPort: sink.Port(), Concurrency: 4, Pool: 4, Batch: 100, Rate: rate,
		Extra: map[string]string{
			// Six processes and the rest of the test suite share one PostgreSQL.
			"FOLLOWUP_DATABASE_POOL": "6",
			// What a failover loses in Redis comes back from PostgreSQL.
			"FOLLOWUP_RECONCILE_INTERVAL": "2s",
			"FOLLOWUP_SWEEP_INTERVAL":     "200ms",
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, line := range fleet.Logs(60, "level=ERROR", "level=WARN", "READONLY", "panic") {
				t.Log(line)
			}
		}
	})
	if err := fleet.Start(ctx, 3, 2, true); err != nil {
		t.Fatal(err)
	}
	rdb, err := app.OpenRedis(sentinels.URL(), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Client.Close() })
	insp := asynq.NewInspectorFromRedisClient(rdb.Client)
	replier, err := NewReplier(schema.DB, blast.CampaignID, []byte(secret), fleet.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	alive := func() bool {
		if err := fleet.Exited(); err != nil {
			t.Fatal(err)
		}
		return true
	}
	unique := func() int { _, u := sink.Counts(); return u }

	if _, err := scheduler.NewStore(schema.DB).Transition(ctx, blast.CampaignID, "resume", time.Now()); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, 2*time.Minute, "30 % of the campaign at the sink", func() bool { return alive() && unique() >= n*3/10 })
	for i := 0; i < 5; i++ {
		if _, err := replier.Submit(ctx); err != nil {
			t.Fatal(err)
		}
	}

	// The fault, with customers replying all through it.
	old, err := sentinels.Primary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	atFault := unique()
	start := time.Now()
	done := make(chan error, 1)
	var primary string
	go func() {
		var err error
		primary, err = fault(sentinels, ctx)
		done <- err
	}()
	// Customers keep coming, 20 replies a second, until the Sentinels
	// have switched.
	arrivals := time.NewTicker(50 * time.Millisecond)
	defer arrivals.Stop()
	during := 0
	for waiting := true; waiting; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			waiting = false
		case <-arrivals.C:
			if _, err := replier.Submit(ctx); err != nil {
				t.Fatal(err)
			}
			during++
		}
	}
	t.Logf("primary %s → %s in %s (every Sentinel named it after %s), %d of %d invitations at the sink then, %d replies submitted meanwhile",
		old, primary, time.Since(start).Round(time.Millisecond), sentinels.Switched.Round(time.Millisecond), atFault, n, during)
	if atFault >= n {
		t.Errorf("the campaign was over before the failover (%d of %d at the sink): not mid-campaign", atFault, n)
	}
	for i := 0; i < 5; i++ {
		if _, err := replier.Submit(ctx); err != nil {
			t.Fatal(err)
		}
	}

	// The campaign ends on the new primary.
	wait.Until(t, 5*time.Minute, "every invitation settled in PostgreSQL", func() bool {
		s, err := CampaignStates(ctx, schema.DB, blast.CampaignID)
		return alive() && err == nil && s.Pending == 0
	})
	t.Logf("campaign settled %s after the failover", time.Since(start).Round(time.Millisecond))
	// The known later point: no task left in Redis that could still send
	// or score anything; the three workers heartbeat on the new primary.
	// A task finished on the old primary after the replica was promoted
	// (its completion was never replicated) stays active on the new one
	// until its lease (30 s) runs out and asynq's recoverer, which looks
	// every minute for leases expired 30 s ago, retries it: the handler
	// finds its batch sent and does nothing. Hence the patience.
	queues := worker.Queues{Prefix: prefix}
	left := ""
	t.Cleanup(func() {
		if t.Failed() && left != "" {
			t.Log("left in the queues: " + left)
			q := "asynq:{" + queues.Default() + "}"
			ids, _ := rdb.Client.LRange(ctx, q+":active", 0, -1).Result()
			for _, id := range ids {
				lease, lerr := rdb.Client.ZScore(ctx, q+":lease", id).Result()
				h, _ := rdb.Client.HGetAll(ctx, q+":t:"+id).Result()
				t.Logf("DEBUG active %s lease %v (%v) state %q", id, lease, lerr, h["state"])
			}
			for _, line := range fleet.Logs(200, "survey:send:17", "survey:send:18", "survey:send:19", "switch", "sentinel") {
				t.Log(line)
			}
		}
	})
	wait.Until(t, 4*time.Minute, "the queues empty on the new primary", func() bool {
		left = ""
		for _, q := range []string{queues.Critical(), queues.Default(), queues.Low()} {
			info, err := insp.GetQueueInfo(q)
			if err != nil && !strings.Contains(err.Error(), "does not exist") {
				left += fmt.Sprintf("%s: %v; ", q, err)
				continue
			}
			// Scheduled tasks are work planned for later (acknowledgements
			// of the complaints), not stuck.
			if err == nil && (info.Pending+info.Active+info.Retry+info.Aggregating > 0 || info.Archived > 0) {
				left += fmt.Sprintf("%s: %d pending, %d active, %d retry, %d archived; ", q,
					info.Pending, info.Active, info.Retry, info.Archived)
			}
		}
		return alive() && left == ""
	})
	servers, err := insp.Servers()
	if err != nil {
		t.Fatal(err)
	}
	if len(servers) != 3 {
		t.Errorf("%d asynq servers heartbeat on the new primary, want the 3 workers", len(servers))
	}

	tally, err := Count(ctx, schema.DB, blast.CampaignID, sink)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(tally)
	if tally.Expected != n || tally.Lost != 0 || tally.Dups != 0 || tally.SentNotReceived != 0 || tally.ReceivedNotSent != 0 ||
		tally.PG.Failed != 0 || tally.PG.Pending != 0 {
		t.Errorf("want each of the %d invitations sent exactly once: %s", n, tally)
	}
	if f := replier.Failures(); len(f) > 0 {
		t.Errorf("%d replies were not taken: %v", len(f), f)
	}
	answered := len(replier.Answered())
	wait.Until(t, time.Minute, "every reply scored with its complaint open", func() bool {
		o, err := replier.Outcome(ctx)
		return err == nil && o.Scored == answered && o.Complaints == answered
	})
	o, err := replier.Outcome(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if o.Stored != answered || o.Negative != answered {
		t.Errorf("%d replies submitted: %d stored, %d negative, want every one", answered, o.Stored, o.Negative)
	}
	if readonly := fleet.Logs(5, "READONLY"); len(readonly) > 0 {
		t.Logf("writes refused by the demoted primary (retried): %v", readonly)
	}
}

// campaignWorld is what both tests set up beside their Redis: a schema
// with a campaign of n due invitations, a sink counting Message-IDs, a
// signing secret and a queue prefix starting with prefix.
func campaignWorld(ctx context.Context, t *testing.T, n int, prefix string) (*testenv.Schema, benchenv.Blast, *Sink, string, string) {
	t.Helper()
	schema := testenv.NewSchema(t)
	blast, err := benchenv.SeedBlast(ctx, schema.DB, n)
	if err != nil {
		t.Fatal(err)
	}
	sink, err := StartSink()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sink.Close)
	random := make([]byte, 32)
	_, _ = rand.Read(random)
	return schema, blast, sink, hex.EncodeToString(random), prefix + hex.EncodeToString(random[:4])
}
