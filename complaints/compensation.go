package complaints

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/followup/followup/surveys"
)

// Kinds of compensation advice.
const (
	// AdviceApology is an apology and an explanation, nothing paid.
	AdviceApology = "apology"
	// AdviceGesture is a goodwill gesture sized on severity and customer
	// value, when the prejudice is not known.
	AdviceGesture = "gesture"
	// AdviceReimbursement is 70–80 % of a known prejudice.
	AdviceReimbursement = "reimbursement"
)

// Prejudice shares: ideally 70–80 % of the prejudice (DOMAIN.md).
const (
	PrejudiceShareLow  = 0.70
	PrejudiceShareHigh = 0.80
)

// Gesture is the goodwill gesture of one severity when the prejudice is not
// known: a share of the customer's annual value, kept within bounds.
type Gesture struct {
	// Percent of the customer's annual value.
	Percent float64
	// MinCents and MaxCents bound the gesture.
	MinCents, MaxCents int64
}

// DefaultGestures is the gesture table used when none is configured.
var DefaultGestures = map[Severity]Gesture{
	Critical: {Percent: 5, MinCents: 2500, MaxCents: 25000},
	Major:    {Percent: 3, MinCents: 1500, MaxCents: 15000},
	Moderate: {Percent: 1, MinCents: 1000, MaxCents: 5000},
	Minor:    {},
}

// Consequence is a harm the failure did to the customer.
type Consequence string

// Consequences that weigh on compensation.
const (
	// ConsequenceFinancial: the customer lost money (the financial risk).
	ConsequenceFinancial Consequence = "financial"
	// ConsequenceSecurity: something was damaged, lost or unsafe (the
	// security risk).
	ConsequenceSecurity Consequence = "security"
)

// ConsequencesOf reads the consequences a reply shows from its risks.
func ConsequencesOf(r surveys.Result) []Consequence {
	var out []Consequence
	if slices.Contains(r.Risks, surveys.RiskFinancial) {
		out = append(out, ConsequenceFinancial)
	}
	if slices.Contains(r.Risks, surveys.RiskSecurity) {
		out = append(out, ConsequenceSecurity)
	}
	return out
}

// Advice is the compensation the CX agent may grant within policy, and why.
// Amounts are in cents of the customer's currency.
type Advice struct {
	Kind           string        `json:"kind"`
	MinCents       int64         `json:"min_cents"`
	MaxCents       int64         `json:"max_cents"`
	SuggestedCents int64         `json:"suggested_cents"`
	Reasons        []Explanation `json:"reasons"`
}

// Advise sizes the compensation from the severity of the failure, its
// consequences for the customer and the customer's value. It takes nothing
// that tells the customer's tone, so the tone cannot weigh on it.
//
// A known prejudice is reimbursed at 70–80 %: 80 % suggested when the
// failure was critical or major or the customer is a key account, 75 % when
// moderate, 70 % otherwise. An unknown prejudice gets the gesture of the
// severity (one step worse when the customer lost money or had something
// damaged), a share of their annual value within the table's bounds; a
// minor failure without consequence gets an apology.
func (p Policy) Advise(sev Severity, cons []Consequence, f Facts) Advice {
	a := Advice{Kind: AdviceApology, Reasons: []Explanation{{"apology",
		"Apologise, say concretely what was done and by when; the intent matters more than the amount."}}}
	key := p.KeyCustomerCents > 0 && f.AnnualValueCents >= p.KeyCustomerCents
	if f.PrejudiceCents != nil && *f.PrejudiceCents > 0 {
		prej := *f.PrejudiceCents
		a.Kind = AdviceReimbursement
		a.MinCents = share(prej, PrejudiceShareLow)
		a.MaxCents = share(prej, PrejudiceShareHigh)
		pct := 70.0
		why := "a minor failure"
		switch {
		case sev == Critical || sev == Major:
			pct, why = 80, "a "+string(sev)+" failure"
		case key:
			pct, why = 80, "a key customer"
		case sev == Moderate:
			pct, why = 75, "a moderate failure"
		}
		a.SuggestedCents = share(prej, pct/100)
		a.Reasons = append(a.Reasons, Explanation{"prejudice",
			fmt.Sprintf("The prejudice is known (%s): reimburse 70–80 %% of it, %s–%s; %.0f %% suggested for %s.",
				money(prej), money(a.MinCents), money(a.MaxCents), pct, why)})
		return a
	}
	row := sev
	if len(cons) > 0 && sev != Critical {
		row = sev.worse()
		a.Reasons = append(a.Reasons, Explanation{"consequences",
			fmt.Sprintf("Consequences for the customer (%s): sized as a %s failure rather than %s.", joinCons(cons), row, sev)})
	}
	g, ok := p.Gestures[row]
	if !ok {
		g = DefaultGestures[row]
	}
	if g.Percent <= 0 && g.MaxCents <= 0 {
		a.Reasons = append(a.Reasons, Explanation{"no_gesture",
			fmt.Sprintf("A %s failure without known prejudice or consequence: an apology and a concrete answer are the compensation.", row)})
		return a
	}
	amount := share(f.AnnualValueCents, g.Percent/100)
	amount = min(max(amount, g.MinCents), g.MaxCents)
	a.Kind = AdviceGesture
	a.MinCents, a.MaxCents, a.SuggestedCents = g.MinCents, g.MaxCents, amount
	a.Reasons = append(a.Reasons, Explanation{"gesture",
		fmt.Sprintf("The prejudice is not known: a goodwill gesture for a %s failure, %.4g %% of the customer's annual value (%s), kept within %s–%s: %s suggested.",
			row, g.Percent, money(f.AnnualValueCents), money(g.MinCents), money(g.MaxCents), money(amount))})
	if key {
		a.Reasons = append(a.Reasons, Explanation{"key_customer", "A key customer: the upper end may be granted if the first contact does not restore trust."})
	}
	return a
}

func share(cents int64, f float64) int64 { return int64(math.Round(float64(cents) * f)) }

func joinCons(cons []Consequence) string {
	s := make([]string, len(cons))
	for i, c := range cons {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
