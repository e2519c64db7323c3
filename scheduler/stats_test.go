package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/followup/followup/internal/campaignfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/scheduler"
)

// TestStatsCountEveryFate plays a fortnight of a campaign (see campaignfix)
// and checks every figure marketing reads: what waits, what went, what was
// withheld and why, what failed and why, the answers, the rates, and the
// days, empty ones included.
func TestStatsCountEveryFate(t *testing.T) {
	t.Parallel()
	schema := testenv.NewSchema(t)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	fx := campaignfix.Build(t, schema.DB, now)
	store := scheduler.NewStore(schema.DB)
	ctx := context.Background()

	got, err := store.Stats(ctx, fx.CampaignID, 7, now)
	if err != nil {
		t.Fatal(err)
	}
	want := fx.Want()
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"invited", got.Invited, want.Invited},
		{"scheduled", got.Scheduled, want.Scheduled},
		{"sent", got.Sent, want.Sent},
		{"reminders sent", got.RemindersSent, want.RemindersSent},
		{"answered", got.Answered, want.Answered},
		{"negative", got.Negative, want.Negative},
		{"completed", got.Completed, want.Completed},
		{"partial", got.Partial, want.Partial},
		{"failed", got.Failed, want.Failed},
		{"expired", got.Expired, want.Expired},
		{"suppressed by reason", got.Suppressed, want.Suppressed},
		{"failed by cause", got.FailedBy, want.FailedBy},
		{"response rate", got.ResponseRate, want.ResponseRate},
		{"negative rate", got.NegativeRate, want.NegativeRate},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("%s: %v, want %v", f.name, f.got, f.want)
		}
	}
	if len(got.Days) != len(want.Days) {
		t.Fatalf("%d days in the series, want %d: %+v", len(got.Days), len(want.Days), got.Days)
	}
	for i := range want.Days {
		if got.Days[i] != want.Days[i] {
			t.Errorf("day %d: %+v, want %+v", i, got.Days[i], want.Days[i])
		}
	}

	// Thirty days reach the first two sends; every day is there, oldest first.
	got, err = store.Stats(ctx, fx.CampaignID, 30, now)
	if err != nil {
		t.Fatal(err)
	}
	sent := map[string]int{}
	for i, d := range got.Days {
		if want := fx.Day(i - 29); d.Day != want {
			t.Fatalf("day %d is %s, want %s", i, d.Day, want)
		}
		if d.Sent > 0 {
			sent[d.Day] = d.Sent
		}
	}
	wantSent := map[string]int{fx.Day(-15): 1, fx.Day(-10): 1, fx.Day(-5): 3, fx.Day(-3): 4, fx.Day(-1): 2}
	if len(got.Days) != 30 || !reflect.DeepEqual(sent, wantSent) {
		t.Errorf("30 days: %d entries, sends per day %v, want %v", len(got.Days), sent, wantSent)
	}

	// The other campaign keeps its own figures.
	other, err := store.Stats(ctx, fx.OtherID, 7, now)
	if err != nil {
		t.Fatal(err)
	}
	if other.Sent != 1 || other.Answered != 1 || other.Negative != 1 || other.NegativeRate != 1 || other.ResponseRate != 1 ||
		fmt.Sprint(other.Days[3]) != fmt.Sprintf("{%s 0 1 1}", fx.Day(-3)) {
		t.Errorf("the other campaign: %+v", other)
	}

	if _, err := store.Stats(ctx, 424242, 7, now); !errors.Is(err, scheduler.ErrNotFound) {
		t.Errorf("stats of an unknown campaign: %v, want ErrNotFound", err)
	}
}
