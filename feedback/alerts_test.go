package feedback_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/followup/followup/feedback"
	"github.com/followup/followup/internal/testenv"
)

// TestUndeliveredHasNoAgeLimit: an alert a channel still owes is listed
// however old it is. Only a webhook configured after the fact is spared
// the history: an alert handled in full without a webhook (email
// delivered, no failure) is owed to it for a week, no longer.
func TestUndeliveredHasNoAgeLimit(t *testing.T) {
	t.Parallel()
	schema := testenv.NewSchema(t)
	store := feedback.NewStore(schema.DB)
	ctx := context.Background()
	now := time.Now()
	day := 24 * time.Hour
	raise := func(id string, age time.Duration, emailed bool, lastError string) {
		t.Helper()
		if _, err := store.Raise(ctx, schema.DB, feedback.Alert{ID: id, Kind: "complaint_opened", Text: id, CreatedAt: now.Add(-age)}); err != nil {
			t.Fatal(err)
		}
		if emailed {
			if err := store.MarkEmailDelivered(ctx, id, now.Add(-age)); err != nil {
				t.Fatal(err)
			}
		}
		if lastError != "" {
			if _, err := schema.DB.Exec(`UPDATE alerts SET last_error = $2, attempts = 1 WHERE id = $1`, id, lastError); err != nil {
				t.Fatal(err)
			}
		}
	}
	raise("never-sent", 30*day, false, "")
	raise("emailed-long-ago", 30*day, true, "")
	raise("webhook-failed", 30*day, true, "webhook: 503")
	raise("emailed-this-week", 2*day, true, "")
	raise("fresh", time.Second, false, "")

	for _, tc := range []struct {
		webhook bool
		want    []string
	}{
		{false, []string{"never-sent"}},
		{true, []string{"never-sent", "webhook-failed", "emailed-this-week"}},
	} {
		got, err := store.Undelivered(ctx, now.Add(-time.Minute), tc.webhook, true, 100)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		slices.Sort(tc.want)
		if !slices.Equal(got, tc.want) {
			t.Errorf("webhook %v: undelivered %v, want %v", tc.webhook, got, tc.want)
		}
		oldest, err := store.OldestUndelivered(ctx, now, tc.webhook, true)
		if err != nil || oldest.Sub(now.Add(-30*day)).Abs() > time.Millisecond {
			t.Errorf("webhook %v: oldest undelivered %v (%v), want 30 days ago", tc.webhook, oldest, err)
		}
	}
}
