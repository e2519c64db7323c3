package scheduler_test

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestRecoveryCampaignEnsuredByProcessesStartingTogether: every role
// ensures the recovery campaign at start, so replicas started together on a
// fresh database race to create it. None may fail, and all get one campaign.
func TestRecoveryCampaignEnsuredByProcessesStartingTogether(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	for round := 0; round < 10; round++ {
		if _, err := f.schema.DB.Exec(`DELETE FROM campaigns WHERE trigger_kind = 'recovery'`); err != nil {
			t.Fatal(err)
		}
		const n = 8
		ids := make([]int64, n)
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				ids[i], errs[i] = f.store.EnsureRecoveryCampaign(ctx, f.survey.ID, time.Now())
			}()
		}
		close(start)
		wg.Wait()
		for i := range n {
			if errs[i] != nil {
				t.Fatalf("round %d: caller %d: %v", round, i, errs[i])
			}
			if ids[i] != ids[0] {
				t.Fatalf("round %d: callers got campaigns %v, want one", round, ids)
			}
		}
		var count int
		if err := f.schema.DB.Get(&count, `SELECT count(*) FROM campaigns WHERE trigger_kind = 'recovery'`); err != nil {
			t.Fatal(err)
		}
		if count != 1 {
			t.Fatalf("round %d: %d recovery campaigns, want 1", round, count)
		}
	}
}
