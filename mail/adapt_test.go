package mail

import (
	"testing"
	"time"
)

// TestSizerGrowsWhileThroughputGrows walks a sizer through a blast: it
// grows while each connection added raises the throughput, stops when one
// does not, probes again later, and a relay's push-back takes it down.
func TestSizerGrowsWhileThroughputGrows(t *testing.T) {
	t0 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	s := newSizer(2, 9)
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
		{"first wait: no figure yet, grow by one (half of 2)", 0, 0, true, 3, 0},
		{"too soon after the last growth", 100 * time.Millisecond, 50, false, 3, 0},
		{"it helped (rate 300/s against 0): half as many more", 500 * time.Millisecond, 100, true, 4, 0},
		{"it helped again (400/s against 300)", time.Second, 200, true, 6, 0},
		{"flat (400/s against 400): stop", 1500 * time.Millisecond, 200, false, 6, 0},
		{"still flat a while later", 5 * time.Second, 1400, false, 6, 0},
		{"probe after 10 s however flat: up to the ceiling", 11500 * time.Millisecond, 4000, true, 9, 0},
		{"never past the ceiling", 20 * time.Second, 10000, false, 9, 0},
		{"the relay pushed back: down 3, no growth for 30 s", 21 * time.Second, 0, false, 6, 3},
		{"never under the floor", 22 * time.Second, 0, false, 2, 5},
		{"after the push-back, growth again", 52 * time.Second, 10000, true, 3, 0},
	}
	for _, st := range steps {
		send(st.sent)
		if st.shrink > 0 {
			s.shrink(st.shrink, t0.Add(st.at).Add(pushBack))
			for s.settleOne() { // the connections closed as they came back
			}
		}
		if got := s.grow(t0.Add(st.at)); got != st.grows || s.size() != st.size {
			t.Fatalf("%s: grow %v, size %d; want %v, %d", st.name, got, s.size(), st.grows, st.size)
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
