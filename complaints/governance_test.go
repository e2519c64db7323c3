package complaints_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/followup/followup/complaints"
)

// TestGovernanceDecide: a grant waits for a manager above the advice's
// range or the role's limit (all grants on the complaint together); a
// manager grants above the advice within their own limit.
func TestGovernanceDecide(t *testing.T) {
	g := complaints.DefaultGovernance()
	gesture := complaints.Advice{Kind: complaints.AdviceGesture, MinCents: 1500, MaxCents: 15000}
	bigGesture := complaints.Advice{Kind: complaints.AdviceGesture, MinCents: 2500, MaxCents: 25000}
	apology := complaints.Advice{Kind: complaints.AdviceApology}
	for _, c := range []struct {
		name      string
		role      string
		advice    complaints.Advice
		committed int64
		cents     int64
		want      []string
		why       string
	}{
		{"agent within the advice and the limit", "cx", gesture, 0, 15000, nil, ""},
		{"agent within the range, a cent over in all", "cx", gesture, 5000, 10001, []string{complaints.ApprovalAboveLimit, complaints.ApprovalAboveAdvice}, "150.01 EUR in all"},
		{"agent within the limit, above the advice", "cx", complaints.Advice{MaxCents: 5000}, 0, 6000, []string{complaints.ApprovalAboveAdvice}, "above the advised range 0.00 EUR–50.00 EUR"},
		{"agent within the advice, above the limit", "cx", bigGesture, 0, 20000, []string{complaints.ApprovalAboveLimit}, "above the cx limit of 150.00 EUR"},
		{"agent on an apology", "cx", apology, 0, 100, []string{complaints.ApprovalAboveAdvice}, "the advice is an apology"},
		{"the story's 9,999.00", "cx", gesture, 0, 999900, []string{complaints.ApprovalAboveLimit, complaints.ApprovalAboveAdvice}, "9,999.00 EUR in all"},
		{"manager above the advice within their limit", "manager", gesture, 0, 50000, nil, ""},
		{"manager above their limit", "manager", gesture, 90000, 20000, []string{complaints.ApprovalAboveLimit}, "above the manager limit of 1,000.00 EUR"},
		{"admin as a manager", "admin", apology, 0, 100000, nil, ""},
		{"a role without a limit", "marketing", gesture, 0, 100, []string{complaints.ApprovalAboveLimit}, "limit of 0.00 EUR"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := g.Decide(c.role, c.advice, c.committed, c.cents, "EUR")
			if !slices.Equal(d.Reasons, c.want) || d.NeedsApproval != (len(c.want) > 0) {
				t.Errorf("reasons %v (approval %v), want %v", d.Reasons, d.NeedsApproval, c.want)
			}
			if !strings.Contains(d.Why, c.why) {
				t.Errorf("why %q, want it to say %q", d.Why, c.why)
			}
		})
	}
}

func TestValidCurrency(t *testing.T) {
	for code, want := range map[string]bool{"EUR": true, "CAD": true, "eur": false, "EURO": false, "": false, "€": false} {
		if got := complaints.ValidCurrency(code); got != want {
			t.Errorf("%q: %v", code, got)
		}
	}
}
