package staff

import (
	"testing"
	"time"

	"github.com/followup/followup/corrections"
)

// TestReadingBox says which part of the reply decided it was negative, each
// signal with the model's confidence as a percentage (none for a rule's or
// an agent's), and the corrections in words.
func TestReadingBox(t *testing.T) {
	for _, tc := range []struct {
		name, reasons, signals string
		decided                string
		confidences            []string
	}{
		{"ratings", `[{"kind":"low_score","dimension":"overall","score":20,"threshold":50}]`, `[]`, "the ratings", nil},
		{"comment", `[{"kind":"signal","signal":"public","evidence":"Facebook","confidence":0.874}]`,
			`[{"kind":"public","term":"facebook","evidence":"Facebook","confidence":0.874}]`, "the comment", []string{"87 %"}},
		{"both", `[{"kind":"detractor","score":2},{"kind":"signal","signal":"anger"}]`,
			`[{"kind":"anger","term":"inacceptable","evidence":"inacceptable"},{"kind":"leave","evidence":"je pars","confidence":0.5}]`,
			"the ratings and the comment", []string{"", "50 %"}},
		{"not negative", `[]`, `[]`, "", nil},
		{"not scored yet", ``, ``, "", nil},
	} {
		rd := newReading(7, []byte(tc.reasons), []byte(tc.signals), nil, "/cx/replies")
		if rd.DecidedBy != tc.decided || len(rd.Signals) != len(tc.confidences) || len(rd.Kinds) != 4 {
			t.Errorf("%s: %+v", tc.name, rd)
			continue
		}
		for i, c := range tc.confidences {
			if rd.Signals[i].Confidence != c {
				t.Errorf("%s: signal %d confidence %q, want %q", tc.name, i, rd.Signals[i].Confidence, c)
			}
		}
	}
	rd := newReading(7, nil, nil, []corrections.Correction{{Kind: corrections.MissedLegal, By: "Sam",
		CreatedAt: time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)}}, "/cx/complaints/3")
	if len(rd.Corrections) != 1 || rd.Corrections[0] != (correctionRow{Kind: "missed_legal", What: "Missed: legal", By: "Sam", When: "2026-12-03 09:30 UTC"}) {
		t.Errorf("corrections: %+v", rd.Corrections)
	}
	if got := correctionsSummary("en", map[corrections.Kind]int{corrections.NotComplaint: 3, corrections.MissedPublic: 2}); got !=
		"3 not a complaint, 2 missed going public, 0 missed legal action, 0 missed leaving" {
		t.Errorf("summary: %q", got)
	}
}
