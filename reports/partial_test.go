package reports_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/reports"
)

// TestReportsWithPartialReplies: a reply that answered only the rating (or
// only some items) counts as a reply; a dimension it did not answer is
// missing from that dimension's mean, never a zero; Cronbach's alpha reads
// only the replies that answered every item of the dimension.
func TestReportsWithPartialReplies(t *testing.T) {
	cases := []struct {
		name    string
		replies []reportfix.Reply
		// want: replies, negative, the means (nil: no score), and per
		// dimension the replies alpha read (0: no alpha row expected).
		replies2, negative int
		sd, sp, si, so     *float64
		alphaReplies       map[string]int
	}{
		{
			name: "the rating alone",
			replies: []reportfix.Reply{
				{Overall: s(20), Negative: true, Answers: map[string]any{"overall": 2, "comment": "I will post this on Facebook"}},
				{Overall: s(80), Answers: map[string]any{"overall": 8}},
			},
			replies2: 2, negative: 1, so: s(50),
		},
		{
			name: "a partial reply beside complete ones",
			replies: []reportfix.Reply{
				{Distributive: s(100), Procedural: s(50), Interactional: s(75), Overall: s(90), Answers: full(5, 4, 3)},
				{Distributive: s(50), Procedural: s(25), Interactional: s(50), Overall: s(60), Answers: full(3, 2, 1)},
				{Distributive: s(75), Procedural: s(0), Interactional: s(25), Overall: s(30), Answers: full(4, 1, 2)},
				// Only the rating and one process item: the outcome and
				// treatment means are the three complete replies'.
				{Procedural: s(0), Overall: s(10), Negative: true, Answers: map[string]any{"overall": 1, "quick": 1}},
			},
			replies2: 4, negative: 1, sd: s(75), sp: s(18.75), si: s(50), so: s(47.5),
			alphaReplies: map[string]int{"distributive": 3, "procedural": 3, "interactional": 3},
		},
		{
			name: "partial replies only: no alpha",
			replies: []reportfix.Reply{
				{Distributive: s(100), Overall: s(90), Answers: map[string]any{"overall": 9, "fair_outcome": 5}},
				{Distributive: s(0), Overall: s(10), Negative: true, Answers: map[string]any{"overall": 1, "fair_outcome": 1, "deserved": 1}},
			},
			replies2: 2, negative: 1, sd: s(50), so: s(50),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := testenv.NewSchema(t).DB
			fx := reportfix.New(t, db)
			base := at("2026-03-02T09:00:00Z")
			for i, r := range tc.replies {
				r.At = base.Add(time.Duration(i) * time.Hour)
				fx.Reply(r)
			}
			q := reports.Query{From: at("2026-03-02T00:00:00Z"), To: at("2026-03-03T00:00:00Z"), Grain: reports.Day, Location: time.UTC}
			store := reports.NewStore(db)
			tr, err := store.Trend(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			p := tr.Points[0]
			if p.Replies != tc.replies2 || p.Negative != tc.negative {
				t.Errorf("replies %d negative %d, want %d %d", p.Replies, p.Negative, tc.replies2, tc.negative)
			}
			for _, m := range []struct {
				name      string
				got, want *float64
			}{{"distributive", p.Distributive, tc.sd}, {"procedural", p.Procedural, tc.sp}, {"interactional", p.Interactional, tc.si}, {"overall", p.Overall, tc.so}} {
				switch {
				case m.want == nil && m.got != nil:
					t.Errorf("%s mean %v, want none: no reply answered it", m.name, *m.got)
				case m.want != nil && (m.got == nil || math.Abs(*m.got-*m.want) > 0.005):
					t.Errorf("%s mean %v, want %v", m.name, deref(m.got), *m.want)
				}
			}
			rel, err := store.Reliability(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, r := range rel {
				if r.Alpha != nil {
					got[r.Dimension] = r.Replies
				}
			}
			if len(got) != len(tc.alphaReplies) {
				t.Errorf("alpha over %v, want %v", got, tc.alphaReplies)
			}
			for d, n := range tc.alphaReplies {
				if got[d] != n {
					t.Errorf("%s: alpha over %d replies, want %d (complete cases)", d, got[d], n)
				}
			}
		})
	}
}

// full answers every item of the built-in survey: a for the outcome items
// (lost_out mirrored), p for the process ones (bounced mirrored), i for
// the treatment ones.
func full(a, p, i int) map[string]any {
	return map[string]any{"overall": 7, "fair_outcome": a, "deserved": a, "put_right": a, "lost_out": 6 - a,
		"quick": p, "flexible": p, "reach": p, "bounced": 6 - p, "courtesy": i, "empathy": i, "honesty": i}
}
