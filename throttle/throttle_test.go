package throttle_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/throttle"
)

// TestLimiter: a key fails Attempts times, then waits about Per/Attempts;
// Wait records nothing; keys and limiters are apart; Reset forgives; off
// is nil and never waits.
func TestLimiter(t *testing.T) {
	t.Parallel()
	q := testenv.NewQueues(t)
	ctx := context.Background()
	l := throttle.New(q.Redis, q.Prefix, "test", throttle.Limit{Attempts: 3, Per: 30 * time.Minute})
	must := func(d time.Duration, err error) time.Duration {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for i := 1; i <= 2; i++ {
		if w := must(l.Fail(ctx, "ann@example.com")); w != 0 {
			t.Fatalf("failure %d: wait %v, want none", i, w)
		}
	}
	for range 5 {
		if w := must(l.Wait(ctx, "ann@example.com")); w != 0 {
			t.Fatalf("Wait after 2 failures: %v, want none (Wait records nothing)", w)
		}
	}
	w := must(l.Fail(ctx, "ann@example.com"))
	if w < 9*time.Minute || w > 10*time.Minute {
		t.Errorf("third failure: wait %v, want about 10 minutes (30m/3)", w)
	}
	if w := must(l.Wait(ctx, "ann@example.com")); w < 9*time.Minute {
		t.Errorf("Wait once locked: %v, want about 10 minutes", w)
	}
	if w := must(l.Wait(ctx, "bob@example.com")); w != 0 {
		t.Errorf("another key: %v, want none", w)
	}
	other := throttle.New(q.Redis, q.Prefix, "other", throttle.Limit{Attempts: 3, Per: time.Minute})
	if w := must(other.Wait(ctx, "ann@example.com")); w != 0 {
		t.Errorf("another limiter: %v, want none", w)
	}
	keys, err := q.Redis.Keys(ctx, "*"+q.Prefix+throttle.KeyPrefix+"*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("keys: %v %v", keys, err)
	}
	for _, k := range keys {
		if len(k) > 0 && (strings.Contains(k, "ann") || strings.Contains(k, "example.com")) {
			t.Errorf("Redis key %q names the person", k)
		}
	}
	if err := l.Reset(ctx, "ann@example.com"); err != nil {
		t.Fatal(err)
	}
	if w := must(l.Wait(ctx, "ann@example.com")); w != 0 {
		t.Errorf("after Reset: %v, want none", w)
	}
	off := throttle.New(q.Redis, q.Prefix, "off", throttle.Limit{})
	if off != nil {
		t.Fatal("a limit of 0 attempts should be off (nil)")
	}
	if w := must(off.Fail(ctx, "x")); w != 0 {
		t.Errorf("off: %v", w)
	}
}
