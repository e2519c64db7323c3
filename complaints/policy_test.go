package complaints

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/surveys"
)

func scores(kv ...any) map[surveys.Dimension]float64 {
	m := map[surveys.Dimension]float64{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(surveys.Dimension)] = float64(kv[i+1].(int))
	}
	return m
}

func sig(k surveys.SignalKind, ev string) surveys.Signal {
	return surveys.Signal{Kind: k, Term: ev, Evidence: ev}
}

func cents(v int64) *int64 { return &v }

func TestAssessPriority(t *testing.T) {
	t.Parallel()
	p := DefaultPolicy()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		scores   map[surveys.Dimension]float64
		signals  []surveys.Signal
		value    int64
		severity Severity
		want     Priority
		why      []string
	}{
		{"floor scores", scores(surveys.Procedural, 0, surveys.Overall, 70), nil, 0, Critical, P1, []string{"severity"}},
		{"just under 20", scores(surveys.Interactional, 19), nil, 0, Critical, P1, []string{"severity"}},
		{"at 20", scores(surveys.Interactional, 20), nil, 0, Major, P2, []string{"severity"}},
		{"under 35", scores(surveys.Distributive, 34, surveys.Overall, 80), nil, 0, Major, P2, []string{"severity"}},
		{"at 35", scores(surveys.Distributive, 35), nil, 0, Moderate, P3, []string{"severity"}},
		{"under 50", scores(surveys.Overall, 49), nil, 0, Moderate, P3, []string{"severity"}},
		{"detractor with fair scores", scores(surveys.Overall, 60, surveys.Procedural, 75), nil, 0, Minor, P4, []string{"severity"}},
		{"comment only", scores(), []surveys.Signal{sig(surveys.SignalAnger, "nul")}, 0, Minor, P4, []string{"severity"}},
		{"public intent is at least P2", scores(surveys.Overall, 70), []surveys.Signal{sig(surveys.SignalPublic, "Twitter")}, 0, Minor, P2,
			[]string{"severity", "escalation_public"}},
		{"legal intent is at least P2", scores(surveys.Overall, 45), []surveys.Signal{sig(surveys.SignalLegal, "OPC")}, 0, Moderate, P2,
			[]string{"severity", "escalation_legal"}},
		{"a threat is at least P2", scores(surveys.Overall, 90), []surveys.Signal{sig(surveys.SignalThreat, "vous allez payer")}, 0, Minor, P2,
			[]string{"severity", "escalation_threat"}},
		{"escalation never lowers a P1", scores(surveys.Overall, 0), []surveys.Signal{sig(surveys.SignalLegal, "lawyer")}, 0, Critical, P1,
			[]string{"severity", "escalation_legal"}},
		{"intent to leave: one step up", scores(surveys.Overall, 60), []surveys.Signal{sig(surveys.SignalLeave, "never again")}, 0, Minor, P3,
			[]string{"severity", "escalation_leave"}},
		{"key customer: one step up", scores(surveys.Overall, 40), nil, 250000, Moderate, P2, []string{"severity", "key_customer"}},
		{"just under key value", scores(surveys.Overall, 40), nil, 249999, Moderate, P3, []string{"severity"}},
		{"public, leaving, key customer", scores(surveys.Overall, 60), []surveys.Signal{sig(surveys.SignalPublic, "Facebook"), sig(surveys.SignalLeave, "résilier")}, 900000, Minor, P1,
			[]string{"severity", "escalation_public", "escalation_leave", "key_customer"}},
		{"insults alone do not raise priority", scores(surveys.Overall, 60), []surveys.Signal{sig(surveys.SignalIncivility, "idiots")}, 0, Minor, P4, []string{"severity"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := p.Assess(surveys.Result{Scores: tc.scores, Signals: tc.signals}, Facts{AnnualValueCents: tc.value}, now)
			var why []string
			for _, e := range a.Why {
				why = append(why, e.Code)
				if e.Text == "" {
					t.Errorf("reason %s has no text", e.Code)
				}
			}
			if a.Severity != tc.severity || a.Priority != tc.want || !slices.Equal(why, tc.why) {
				t.Errorf("got %s %s %v, want %s %s %v", a.Severity, a.Priority, why, tc.severity, tc.want, tc.why)
			}
			if want := now.Add(DefaultDeadlines[tc.want]); !a.DueAt.Equal(want) {
				t.Errorf("due %s, want %s", a.DueAt, want)
			}
		})
	}
}

func TestDeadlines(t *testing.T) {
	t.Parallel()
	opened := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	def := DefaultPolicy()
	custom := Policy{Deadlines: map[Priority]time.Duration{P1: time.Hour, P2: 8 * time.Hour}}
	cases := []struct {
		p    Policy
		pr   Priority
		want time.Duration
	}{
		{def, P1, 4 * time.Hour}, {def, P2, 24 * time.Hour}, {def, P3, 72 * time.Hour}, {def, P4, 7 * 24 * time.Hour},
		{custom, P1, time.Hour}, {custom, P2, 8 * time.Hour}, {custom, P3, 72 * time.Hour},
	}
	for _, tc := range cases {
		if got := tc.p.Deadline(tc.pr, opened).Sub(opened); got != tc.want {
			t.Errorf("%s: deadline after %s, want %s", tc.pr, got, tc.want)
		}
	}
	// The configured table drives the assessment's deadline.
	a := custom.Assess(surveys.Result{Scores: scores(surveys.Overall, 0)}, Facts{}, opened)
	if a.Priority != P1 || a.DueAt.Sub(opened) != time.Hour {
		t.Errorf("custom table: %s due after %s, want P1 after 1h", a.Priority, a.DueAt.Sub(opened))
	}
}

func TestCompensationAdvice(t *testing.T) {
	t.Parallel()
	p := DefaultPolicy()
	cases := []struct {
		name                string
		sev                 Severity
		cons                []Consequence
		facts               Facts
		kind                string
		min, max, suggested int64
		says                string
	}{
		{"known prejudice, major: 80 %", Major, nil, Facts{PrejudiceCents: cents(4500)}, AdviceReimbursement, 3150, 3600, 3600, "70–80 %"},
		{"known prejudice, moderate: 75 %", Moderate, nil, Facts{PrejudiceCents: cents(10000)}, AdviceReimbursement, 7000, 8000, 7500, "75 %"},
		{"known prejudice, minor: 70 %", Minor, nil, Facts{PrejudiceCents: cents(10000)}, AdviceReimbursement, 7000, 8000, 7000, "70 %"},
		{"known prejudice, minor, key customer: 80 %", Minor, nil, Facts{PrejudiceCents: cents(10000), AnnualValueCents: 500000}, AdviceReimbursement, 7000, 8000, 8000, "key customer"},
		{"critical, value-based gesture", Critical, nil, Facts{AnnualValueCents: 125000}, AdviceGesture, 2500, 25000, 6250, "5 %"},
		{"critical, small customer: the minimum", Critical, nil, Facts{AnnualValueCents: 1000}, AdviceGesture, 2500, 25000, 2500, "annual value"},
		{"major, big customer: the cap", Major, nil, Facts{AnnualValueCents: 5000000}, AdviceGesture, 1500, 15000, 15000, "3 %"},
		{"moderate with money lost: sized as major", Moderate, []Consequence{ConsequenceFinancial}, Facts{AnnualValueCents: 100000}, AdviceGesture, 1500, 15000, 3000, "financial"},
		{"minor without consequence: apology", Minor, nil, Facts{AnnualValueCents: 100000}, AdviceApology, 0, 0, 0, "apology"},
		{"minor with damage: sized as moderate", Minor, []Consequence{ConsequenceSecurity}, Facts{AnnualValueCents: 100000}, AdviceGesture, 1000, 5000, 1000, "security"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := p.Advise(tc.sev, tc.cons, tc.facts)
			if a.Kind != tc.kind || a.MinCents != tc.min || a.MaxCents != tc.max || a.SuggestedCents != tc.suggested {
				t.Errorf("got %s %d–%d suggested %d, want %s %d–%d suggested %d", a.Kind, a.MinCents, a.MaxCents, a.SuggestedCents,
					tc.kind, tc.min, tc.max, tc.suggested)
			}
			var text []string
			for _, r := range a.Reasons {
				text = append(text, r.Text)
			}
			if !strings.Contains(strings.Join(text, " "), tc.says) {
				t.Errorf("reasons %q do not explain %q", text, tc.says)
			}
		})
	}
}

// TestCompensationIgnoresTone: the same failure with and without insults or
// threats gets the same advice, though the threat raises the priority.
func TestCompensationIgnoresTone(t *testing.T) {
	t.Parallel()
	p := DefaultPolicy()
	now := time.Now()
	base := surveys.Result{Scores: scores(surveys.Overall, 30), Risks: []surveys.Risk{surveys.RiskFinancial}}
	rude := base
	rude.Signals = []surveys.Signal{sig(surveys.SignalIncivility, "connards"), sig(surveys.SignalThreat, "vous allez payer"), sig(surveys.SignalAnger, "scandaleux")}
	f := Facts{AnnualValueCents: 300000}
	calm, angry := p.Assess(base, f, now), p.Assess(rude, f, now)
	if calm.Advice.Kind != angry.Advice.Kind || calm.Advice.SuggestedCents != angry.Advice.SuggestedCents ||
		calm.Advice.MinCents != angry.Advice.MinCents || calm.Advice.MaxCents != angry.Advice.MaxCents {
		t.Errorf("tone changed the advice: %+v vs %+v", calm.Advice, angry.Advice)
	}
	last := angry.Advice.Reasons[len(angry.Advice.Reasons)-1]
	if last.Code != "tone_ignored" {
		t.Errorf("the advice does not say the tone was ignored: %+v", angry.Advice.Reasons)
	}
	if calm.Severity != angry.Severity {
		t.Errorf("tone changed the severity: %s vs %s", calm.Severity, angry.Severity)
	}
}

func TestMoney(t *testing.T) {
	t.Parallel()
	for cents, want := range map[int64]string{0: "0.00", 5: "0.05", 4500: "45.00", 125000: "1,250.00", 123456789: "1,234,567.89"} {
		if got := money(cents); got != want {
			t.Errorf("money(%d) = %q, want %q", cents, got, want)
		}
	}
}

func TestParsePriority(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]Priority{"P1": P1, "p2": P2, "3": P3, " P4 ": P4, "P5": 0, "": 0, "PP1": 0} {
		got, ok := ParsePriority(in)
		if got != want || ok != (want != 0) {
			t.Errorf("ParsePriority(%q) = %v %v", in, got, ok)
		}
	}
}
