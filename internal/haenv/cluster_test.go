package haenv

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/followup/followup/internal/benchenv"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/scheduler"
)

// TestClusterCarriesACampaign runs `followup worker` and `followup
// scheduler` processes on a Redis Cluster of three primaries through a
// redis-cluster:// URL: the queue and the shared SMTP rate limit work
// across its slots, and every invitation of the campaign is sent once.
func TestClusterCarriesACampaign(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the Sentinel failover test covers the processes; this one adds a Redis Cluster of three nodes")
	}
	n := 1000
	ctx := context.Background()
	dir := t.TempDir()
	bin := filepath.Join(dir, "followup")
	if err := benchenv.BuildFollowup(bin); err != nil {
		t.Fatal(err)
	}
	ps := NewProcs()
	t.Cleanup(ps.KillAll)
	cluster, err := StartCluster(ctx, ps, dir)
	if err != nil {
		t.Fatal(err)
	}
	schema, blast, sink, secret, prefix := campaignWorld(ctx, t, n, "cl")
	fleet, err := NewFleet(ps, FleetConfig{Bin: bin, Dir: dir, DatabaseURL: schema.URL, RedisURL: cluster.URL(),
		QueuePrefix: prefix, Secret: secret, SMTPPort: sink.Port(),
		Concurrency: 4, Pool: 4, Batch: 50, Rate: 500, Extra: map[string]string{"FOLLOWUP_DATABASE_POOL": "6"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, line := range fleet.Logs(40, "level=ERROR", "level=WARN") {
				t.Log(line)
			}
		}
	})
	if err := fleet.Start(ctx, 2, 1, false); err != nil {
		t.Fatal(err)
	}
	if _, err := scheduler.NewStore(schema.DB).Transition(ctx, blast.CampaignID, "resume", time.Now()); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, 3*time.Minute, "every invitation settled", func() bool {
		if err := fleet.Exited(); err != nil {
			t.Fatal(err)
		}
		s, err := CampaignStates(ctx, schema.DB, blast.CampaignID)
		return err == nil && s.Pending == 0
	})
	tally, err := Count(ctx, schema.DB, blast.CampaignID, sink)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(tally)
	if tally.Expected != n || tally.Lost != 0 || tally.Dups != 0 || tally.PG.Failed != 0 || tally.SentNotReceived != 0 {
		t.Errorf("want each of the %d invitations sent exactly once: %s", n, tally)
	}
}
