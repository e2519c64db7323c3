package mail

import (
	"testing"
	"time"
)

// TestSizerGrowsWhileThroughputHolds walks a sizer through a blast: it
// grows while the throughput holds or rises, stops when a growth lowered
// it, probes again later, and a relay's push-back takes it down.
func TestSizerGrowsWhileThroughputHolds(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s := newSizer(2, 40)
	send := func(n int) {
		for range n {
			s.accepted()
		}
	}
	steps := []struct {
		name   string
		at     time.Duration
		sent   int // accepted since the previous step
		grows  bool
		size   int
		shrink int // shrink by this before asking
	}{
		{"first wait: twice as many", 0, 0, true, 4, 0},
		{"too soon after the last growth", 100 * time.Millisecond, 50, false, 4, 0},
		{"senders wait: twice as many", 300 * time.Millisecond, 50, true, 8, 0},
		{"a short window judges nothing", 600 * time.Millisecond, 10, true, 16, 0},
		{"a second on: 400/s, judged against the last figure (none yet)", 1600 * time.Millisecond, 400, true, 32, 0},
		{"a second on: 300/s against 400: stop", 2600 * time.Millisecond, 300, false, 32, 0},
		{"still down a while later", 6 * time.Second, 1000, false, 32, 0},
		{"probe after 10 s however low, up to the ceiling, never past it", 12600 * time.Millisecond, 2900, true, 40, 0},
		{"at the ceiling", 14 * time.Second, 1000, false, 40, 0},
		{"the relay pushed back: down 3, no growth for 30 s", 21 * time.Second, 0, false, 37, 3},
		{"never under the floor", 22 * time.Second, 0, false, 2, 50},
		{"after the push-back, growth again", 52 * time.Second, 10000, true, 4, 0},
	}
	for _, st := range steps {
		send(st.sent)
		if st.shrink > 0 {
			s.shrink(st.shrink, t0.Add(st.at).Add(pushBack))
			for s.settleOne() { // the connections closed as they came back
			}
		}
		before := s.size()
		if more := s.grow(t0.Add(st.at)); (more > 0) != st.grows || s.size() != st.size || before+more != s.size() {
			t.Fatalf("%s: %d more, size %d after %d; want growth %v to %d, the more what the size gained", st.name, more, s.size(), before, st.grows, st.size)
		}
	}
}

func TestSizerFloorAndCeiling(t *testing.T) {
	for _, tc := range []struct{ floor, ceiling, want int }{
		{2, 16, 2}, {0, 16, 1}, {20, 16, 16}, {1, 1, 1},
	} {
		if got := newSizer(tc.floor, tc.ceiling).size(); got != tc.want {
			t.Errorf("newSizer(%d, %d) starts at %d, want %d", tc.floor, tc.ceiling, got, tc.want)
		}
	}
}
