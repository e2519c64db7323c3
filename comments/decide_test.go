package comments

import (
	"math"
	"slices"
	"testing"
)

func TestRatingsWeight(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		r    Ratings
		want float64
	}{
		{"no ratings", Ratings{}, 0},
		{"the middle of every scale", Ratings{Known: true, Score: 55}, 0},
		{"the low edge of the middle", Ratings{Known: true, Score: lowBand}, 0},
		{"the high edge of the middle", Ratings{Known: true, Score: highBand}, 0},
		{"the best", Ratings{Known: true, Score: 100}, -highPull},
		{"halfway to the best", Ratings{Known: true, Score: 85}, -highPull / 2},
		{"the worst", Ratings{Known: true, Score: 0}, lowPush},
		{"halfway to the worst", Ratings{Known: true, Score: 20}, lowPush / 2},
	}
	for _, tc := range cases {
		if got := tc.r.Weight(); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: weight %v, want %v", tc.name, got, tc.want)
		}
	}
}

// reading builds a Reading from probabilities, every threshold at 0.5.
func reading(neg, pub, legal, leave, incivility, esc float64, threats ...Signal) Reading {
	r := Reading{Prob: [nOut]float64{neg, pub, legal, leave, incivility, esc}, threats: threats}
	for l := range nOut {
		r.Threshold[l] = 0.5
	}
	r.evidence = func(l int) Signal { return Signal{Kind: labelKinds[l], Evidence: "words"} }
	return r
}

func TestDecide(t *testing.T) {
	t.Parallel()
	middle := Ratings{Known: true, Score: 55}
	best := Ratings{Known: true, Score: 100}
	worst := Ratings{Known: true, Score: 0}
	threat := Signal{Kind: SignalThreat, Evidence: "you'll regret"}
	cases := []struct {
		name string
		r    Reading
		rt   Ratings
		want []SignalKind
	}{
		{"nothing passes", reading(0.2, 0.1, 0.1, 0.1, 0.1, 0.1), middle, nil},
		{"a label at its threshold counts", reading(0.5, 0.1, 0.1, 0.1, 0.1, 0.1), middle, []SignalKind{SignalAnger}},
		{"most serious first", reading(0.9, 0.9, 0.9, 0.9, 0.9, 0.9), middle,
			[]SignalKind{SignalLegal, SignalPublic, SignalIncivility, SignalLeave, SignalAnger}},
		{"best ratings pull a likely reading under", reading(0.8, 0.8, 0.1, 0.1, 0.1, 0.8), best, nil},
		{"best ratings keep a clear one", reading(0.97, 0.98, 0.1, 0.1, 0.1, 0.98), best, []SignalKind{SignalPublic, SignalAnger}},
		{"worst ratings push a doubtful one over", reading(0.4, 0.1, 0.1, 0.1, 0.1, 0.1), worst, []SignalKind{SignalAnger}},
		{"escalation alone reports the likelier of public and legal", reading(0.9, 0.3, 0.45, 0.1, 0.1, 0.7), middle,
			[]SignalKind{SignalLegal, SignalAnger}},
		{"praise that names a network is no escalation", reading(0.2, 0.9, 0.9, 0.1, 0.1, 0.9), middle, nil},
		{"a threat counts in a negative comment", reading(0.9, 0.1, 0.1, 0.1, 0.1, 0.1, threat), middle,
			[]SignalKind{SignalThreat, SignalAnger}},
		{"a threat alone in praise does not", reading(0.1, 0.1, 0.1, 0.1, 0.1, 0.1, threat), middle, nil},
		{"an empty comment says nothing", Reading{empty: true}, worst, nil},
	}
	for _, tc := range cases {
		var got []SignalKind
		for _, s := range tc.r.Decide(tc.rt) {
			got = append(got, s.Kind)
			if s.Kind != SignalThreat && (s.Confidence <= 0 || s.Confidence > 1) {
				t.Errorf("%s: %s has confidence %v", tc.name, s.Kind, s.Confidence)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: signals %v, want %v", tc.name, got, tc.want)
		}
	}
}
