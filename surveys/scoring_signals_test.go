package surveys

import (
	"slices"
	"testing"
)

// TestScoreWeighsRatingsAndComment: a reply's negativity weighs its
// ratings and its comment together. High ratings with praise that names a
// network, a review site or a lawyer open nothing; high ratings with a
// clear threat or complaint still do; low ratings with no comment do; a
// comment in the middle decides alone. Risks come from the choice question
// and the comment, each with its evidence.
func TestScoreWeighsRatingsAndComment(t *testing.T) {
	t.Parallel()
	sv := Default()
	reply := func(likert, rating int, comment string, wrong ...string) Answers {
		a := agreeAll(likert)
		a["overall"] = Answer{Value: ptr(rating)}
		if comment != "" {
			a["comment"] = Answer{Text: comment}
		}
		if len(wrong) > 0 {
			a["what_went_wrong"] = Answer{Choices: wrong}
		}
		return a
	}
	best := func(comment string, wrong ...string) Answers { return reply(5, 10, comment, wrong...) }
	middle := func(comment string) Answers { return reply(3, 7, comment) }
	worst := func(comment string) Answers { return reply(1, 1, comment) }
	cases := []struct {
		name      string
		answers   Answers
		negative  bool
		decidedBy string
		// signals must all be there (others may come with them, such as
		// anger beside a threat); absent must not.
		signals, absent []SignalKind
		risks           []Risk
		sources         []string
	}{
		{"best ratings, praise naming networks", best("found you on Google and Facebook, great service"), false, "", nil,
			[]SignalKind{SignalPublic, SignalAnger}, nil, nil},
		{"best ratings, a lawyer's recommendation", best("my lawyer recommended you"), false, "", nil,
			[]SignalKind{SignalLegal, SignalAnger}, nil, nil},
		{"best ratings, five stars promised", best("Merci, super service, je vous ai mis 5 étoiles sur Google !"), false, "", nil,
			[]SignalKind{SignalPublic}, nil, nil},
		{"best ratings, a clear legal threat", best("If my refund isn't here by Friday I'm taking you to small claims court."), true,
			DecidedByComment, []SignalKind{SignalLegal}, nil, []Risk{RiskFinancial}, []string{"comment"}},
		{"best ratings, a clear complaint", best("The technician never showed up and nobody called me back."), true,
			DecidedByComment, []SignalKind{SignalAnger}, nil, nil, nil},
		{"best ratings, no comment", best(""), false, "", nil, []SignalKind{SignalAnger}, nil, nil},
		{"worst ratings, no comment", worst(""), true, DecidedByRatings, nil, []SignalKind{SignalAnger}, nil, nil},
		{"worst ratings, 'no comment'", worst("no comment"), true, DecidedByRatings, nil, nil, nil, nil},
		{"worst ratings and going public", worst("Je vais tout raconter sur Facebook."), true, DecidedByBoth,
			[]SignalKind{SignalPublic}, nil, nil, nil},
		{"middle ratings, going public", middle("Sinon je le mets sur Facebook."), true, DecidedByComment, []SignalKind{SignalPublic}, nil, nil, nil},
		{"middle ratings, legal intent", middle("I have contacted my lawyer."), true, DecidedByComment, []SignalKind{SignalLegal}, nil, nil, nil},
		{"middle ratings, pas du tout satisfait", middle("Je ne suis pas du tout satisfait."), true, DecidedByComment, []SignalKind{SignalAnger}, nil, nil, nil},
		{"middle ratings, insults", middle("Vous êtes des connards."), true, DecidedByComment, []SignalKind{SignalIncivility}, nil, nil, nil},
		{"middle ratings, leaving", middle("Résiliation demandée, je passe chez la concurrence."), true, DecidedByComment, []SignalKind{SignalLeave}, nil, nil, nil},
		{"middle ratings, praise", middle("Very friendly staff, thank you."), false, "", nil, []SignalKind{SignalAnger}, nil, nil},
		{"risks from choice and comment", best("The parcel arrived damaged but you refunded me the same day, thank you!", "delays"), false, "", nil, nil,
			[]Risk{RiskFinancial, RiskSecurity, RiskTemporal}, []string{"choice", "comment", "comment"}},
		{"the same risk from both is tagged once", best("Quick refund, thanks.", "money"), false, "", nil, nil,
			[]Risk{RiskFinancial}, []string{"choice"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := sv.Score(tc.answers)
			if res.Negative != tc.negative {
				t.Errorf("negative %v, want %v (reasons %+v)", res.Negative, tc.negative, res.Reasons)
			}
			if got := res.DecidedBy(); got != tc.decidedBy {
				t.Errorf("decided by %q, want %q (reasons %+v)", got, tc.decidedBy, res.Reasons)
			}
			var kinds []SignalKind
			for _, s := range res.Signals {
				kinds = append(kinds, s.Kind)
				if s.Evidence == "" || s.Confidence <= 0 || s.Confidence > 1 {
					t.Errorf("signal %+v has no evidence or a confidence out of 0–1", s)
				}
			}
			for _, k := range tc.signals {
				if !slices.Contains(kinds, k) {
					t.Errorf("signals %v, want %s among them", kinds, k)
				}
				found := false
				for _, r := range res.Reasons {
					found = found || (r.Kind == ReasonSignal && r.Signal == k && r.Evidence != "")
				}
				if !found {
					t.Errorf("no %s reason with evidence in %+v", k, res.Reasons)
				}
			}
			for _, k := range tc.absent {
				if slices.Contains(kinds, k) {
					t.Errorf("signals %v, want no %s", kinds, k)
				}
			}
			if tc.risks != nil || tc.sources != nil {
				if !slices.Equal(res.Risks, tc.risks) {
					t.Errorf("risks %v, want %v", res.Risks, tc.risks)
				}
				var sources []string
				for _, e := range res.RiskEvidence {
					sources = append(sources, e.Source)
				}
				if !slices.Equal(sources, tc.sources) {
					t.Errorf("risk evidence %+v, want sources %v", res.RiskEvidence, tc.sources)
				}
			}
		})
	}
}
