package surveys

import (
	"slices"
	"testing"
)

// TestScoreReadsTheComment: signals in the comment make a reply negative
// even when every score is fair; a negated complaint does not; risks come
// from both the choice question and the comment, each with its evidence.
func TestScoreReadsTheComment(t *testing.T) {
	t.Parallel()
	sv := Default()
	fair := func(comment string, wrong ...string) Answers {
		a := agreeAll(4)
		a["overall"] = Answer{Value: ptr(8)}
		if comment != "" {
			a["comment"] = Answer{Text: comment}
		}
		if len(wrong) > 0 {
			a["what_went_wrong"] = Answer{Choices: wrong}
		}
		return a
	}
	cases := []struct {
		name     string
		answers  Answers
		negative bool
		signals  []SignalKind
		risks    []Risk
		sources  []string
	}{
		{"fair scores, no comment", fair(""), false, nil, nil, nil},
		{"fair scores, going public", fair("Sinon je le mets sur Facebook."), true, []SignalKind{SignalPublic}, nil, nil},
		{"fair scores, legal intent", fair("I have contacted my lawyer."), true, []SignalKind{SignalLegal}, nil, nil},
		{"fair scores, pas du tout satisfait", fair("Je ne suis pas du tout satisfait."), true, []SignalKind{SignalAnger}, nil, nil},
		{"fair scores, not unhappy", fair("I am not unhappy."), false, nil, nil, nil},
		{"fair scores, insults", fair("Vous êtes des connards."), true, []SignalKind{SignalIncivility}, nil, nil},
		{"risks from choice and comment", fair("The parcel was damaged and I waited for weeks.", "money"), false, nil,
			[]Risk{RiskFinancial, RiskSecurity, RiskTemporal}, []string{"choice", "comment", "comment"}},
		{"the same risk from both is tagged once", fair("Still waiting for my refund.", "money"), false, nil,
			[]Risk{RiskFinancial, RiskTemporal}, []string{"choice", "comment"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := sv.Score(tc.answers)
			if res.Negative != tc.negative {
				t.Errorf("negative %v, want %v (reasons %+v)", res.Negative, tc.negative, res.Reasons)
			}
			var kinds []SignalKind
			for _, s := range res.Signals {
				kinds = append(kinds, s.Kind)
				if s.Evidence == "" {
					t.Errorf("signal %+v has no evidence", s)
				}
			}
			if !slices.Equal(kinds, tc.signals) {
				t.Errorf("signals %v, want %v", kinds, tc.signals)
			}
			for _, k := range tc.signals {
				found := false
				for _, r := range res.Reasons {
					found = found || (r.Kind == ReasonSignal && r.Signal == k && r.Evidence != "")
				}
				if !found {
					t.Errorf("no %s reason with evidence in %+v", k, res.Reasons)
				}
			}
			want := tc.risks
			if want == nil {
				want = []Risk{}
			}
			if !slices.Equal(res.Risks, want) {
				t.Errorf("risks %v, want %v", res.Risks, want)
			}
			var sources []string
			for _, e := range res.RiskEvidence {
				sources = append(sources, e.Source)
			}
			if !slices.Equal(sources, tc.sources) {
				t.Errorf("risk evidence %+v, want sources %v", res.RiskEvidence, tc.sources)
			}
		})
	}
}
