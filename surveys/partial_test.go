package surveys

import (
	"testing"
)

// TestScorePartialReplies scores replies that answered only part of the
// survey: a dimension with no answer has no score (never 0), overall is
// the rating when given, and a partial reply is negative on what it says.
func TestScorePartialReplies(t *testing.T) {
	sv := Default()
	cases := []struct {
		name      string
		answers   Answers
		scores    map[Dimension]float64 // exactly these dimensions are scored
		negative  bool
		completed bool
	}{
		{"nothing", Answers{}, map[Dimension]float64{}, false, false},
		{"the rating alone, detractor", Answers{"overall": {Value: ptr(2)}},
			map[Dimension]float64{Overall: 20}, true, false},
		{"the rating alone, promoter", Answers{"overall": {Value: ptr(9)}},
			map[Dimension]float64{Overall: 90}, false, false},
		{"rating and one procedural item", Answers{"overall": {Value: ptr(8)}, "quick": {Value: ptr(1)}},
			map[Dimension]float64{Overall: 80, Procedural: 0}, true, false},
		{"one item per dimension, no rating", Answers{"fair_outcome": {Value: ptr(5)}, "reach": {Value: ptr(3)}, "courtesy": {Value: ptr(4)}},
			map[Dimension]float64{Distributive: 100, Procedural: 50, Interactional: 75, Overall: 75}, false, false},
		{"a reverse item alone", Answers{"overall": {Value: ptr(7)}, "bounced": {Value: ptr(5)}},
			map[Dimension]float64{Overall: 70, Procedural: 0}, true, false},
		{"a comment and a choice only", Answers{"comment": {Text: "ok"}, "what_went_wrong": {Choices: []string{"delays"}}},
			map[Dimension]float64{}, false, false},
		{"every scale question", Merge(agreeAll(4), Answers{"overall": {Value: ptr(8)}}),
			map[Dimension]float64{Overall: 80, Distributive: 75, Procedural: 75, Interactional: 75}, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := sv.Score(tc.answers)
			if len(res.Scores) != len(tc.scores) {
				t.Errorf("scores %v, want exactly %v", res.Scores, tc.scores)
			}
			for d, want := range tc.scores {
				if got, ok := res.Score(d); !ok || got != want {
					t.Errorf("%s = %v (scored %v), want %v", d, got, ok, want)
				}
			}
			if res.Negative != tc.negative {
				t.Errorf("negative %v, want %v (reasons %+v)", res.Negative, tc.negative, res.Reasons)
			}
			if got := sv.Completed(tc.answers); got != tc.completed {
				t.Errorf("completed %v, want %v", got, tc.completed)
			}
		})
	}
}

// TestScorePartialReplyWithAComment: the one-click rating and a comment
// threatening to go public make a negative reply with its signal.
func TestScorePartialReplyWithAComment(t *testing.T) {
	sv := Default()
	res := sv.ScoreIn(Answers{"overall": {Value: ptr(2)}, "comment": {Text: "I will post this on Facebook, what a disgrace."}}, "en")
	if !res.Negative || !HasSignal(res.Signals, SignalPublic) {
		t.Fatalf("negative %v signals %+v", res.Negative, res.Signals)
	}
	for _, d := range JusticeDimensions {
		if _, ok := res.Score(d); ok {
			t.Errorf("%s scored with no answer", d)
		}
	}
}

func TestMergeKeepsEarlierAnswers(t *testing.T) {
	earlier := Answers{"overall": {Value: ptr(2)}, "comment": {Text: "late"}}
	later := Answers{"quick": {Value: ptr(1)}, "comment": {Text: "late, and rude"}}
	got := Merge(earlier, later)
	if *got["overall"].Value != 2 || *got["quick"].Value != 1 || got["comment"].Text != "late, and rude" || len(got) != 3 {
		t.Errorf("merged %+v", got)
	}
	if len(earlier) != 2 {
		t.Errorf("Merge changed its input: %+v", earlier)
	}
}
