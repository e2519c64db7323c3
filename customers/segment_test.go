package customers

import "testing"

func TestSegmentOf(t *testing.T) {
	cases := []struct {
		name        string
		segment     string
		cents       int64
		want        string
		wantDerived bool
	}{
		{"the data's segment wins", "retail", 5_000_000, "retail", false},
		{"no value, no segment", "", 0, "", false},
		{"one cent is small", "", 1, SegmentSmall, true},
		{"just under standard", "", 49_999, SegmentSmall, true},
		{"500.00 is standard", "", 50_000, SegmentStandard, true},
		{"just under high", "", 199_999, SegmentStandard, true},
		{"2,000.00 is high", "", 200_000, SegmentHigh, true},
		{"just under key", "", 999_999, SegmentHigh, true},
		{"10,000.00 is a key account", "", 1_000_000, SegmentKey, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, derived := SegmentOf(c.segment, c.cents)
			if got != c.want || derived != c.wantDerived {
				t.Errorf("SegmentOf(%q, %d) = %q, %v; want %q, %v", c.segment, c.cents, got, derived, c.want, c.wantDerived)
			}
		})
	}
}
