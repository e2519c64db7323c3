package complaints

import (
	"testing"
	"time"

	"github.com/followup/followup/surveys"
)

func TestPriorityFollowsTheLowestScore(t *testing.T) {
	p := DefaultPolicy()
	cases := []struct {
		scores map[surveys.Dimension]float64
		want   Priority
	}{
		{map[surveys.Dimension]float64{surveys.Procedural: 0, surveys.Overall: 70}, P1},
		{map[surveys.Dimension]float64{surveys.Interactional: 19.99}, P1},
		{map[surveys.Dimension]float64{surveys.Interactional: 20}, P2},
		{map[surveys.Dimension]float64{surveys.Distributive: 34.9, surveys.Overall: 80}, P2},
		{map[surveys.Dimension]float64{surveys.Distributive: 35}, P3},
		{map[surveys.Dimension]float64{surveys.Overall: 49}, P3},
		{map[surveys.Dimension]float64{surveys.Overall: 60, surveys.Procedural: 75}, P4},
		{map[surveys.Dimension]float64{}, P4},
	}
	for _, tc := range cases {
		if got := p.Priority(surveys.Result{Scores: tc.scores}); got != tc.want {
			t.Errorf("scores %v: %s, want %s", tc.scores, got, tc.want)
		}
	}
}

func TestDeadlines(t *testing.T) {
	opened := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	def := DefaultPolicy()
	custom := Policy{Deadlines: map[Priority]time.Duration{P1: time.Hour}}
	cases := []struct {
		p    Policy
		pr   Priority
		want time.Duration
	}{
		{def, P1, 4 * time.Hour}, {def, P2, 24 * time.Hour}, {def, P3, 72 * time.Hour}, {def, P4, 7 * 24 * time.Hour},
		{custom, P1, time.Hour}, {custom, P3, 72 * time.Hour},
	}
	for _, tc := range cases {
		if got := tc.p.Deadline(tc.pr, opened).Sub(opened); got != tc.want {
			t.Errorf("%s: deadline after %s, want %s", tc.pr, got, tc.want)
		}
	}
}
