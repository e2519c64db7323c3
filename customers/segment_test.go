package customers

import "testing"

func TestSegmentOf(t *testing.T) {
	cases := []struct {
		name        string
		segment     string
		cents       int64
		keyFrom     int64
		want        string
		wantDerived bool
	}{
		{"the data's segment wins", "retail", 5_000_000, 250_000, "retail", false},
		{"no value, no segment", "", 0, 250_000, "", false},
		{"one cent is small", "", 1, 250_000, SegmentSmall, true},
		{"just under a tenth", "", 24_999, 250_000, SegmentSmall, true},
		{"a tenth of the key threshold is standard", "", 25_000, 250_000, SegmentStandard, true},
		{"just under half", "", 124_999, 250_000, SegmentStandard, true},
		{"half is high value", "", 125_000, 250_000, SegmentHigh, true},
		{"just under key", "", 249_999, 250_000, SegmentHigh, true},
		{"the threshold is a key account", "", 250_000, 250_000, SegmentKey, true},
		{"another threshold: a quarter of it is standard", "", 250_000, 1_000_000, SegmentStandard, true},
		{"no threshold: the default", "", 250_000, 0, SegmentKey, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, derived := SegmentOf(c.segment, c.cents, c.keyFrom)
			if got != c.want || derived != c.wantDerived {
				t.Errorf("SegmentOf(%q, %d, %d) = %q, %v; want %q, %v", c.segment, c.cents, c.keyFrom, got, derived, c.want, c.wantDerived)
			}
		})
	}
}
