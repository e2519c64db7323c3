package comments

import "slices"

// SignalKind is what a comment reveals about the customer's intent or
// behaviour.
type SignalKind string

// Signal kinds. Every one of them makes a reply negative; public, legal and
// threat also raise the complaint to at least P2 (see complaints.Policy).
const (
	// SignalPublic is an intent to go public: social networks by name,
	// review sites, the press.
	SignalPublic SignalKind = "public"
	// SignalLegal is a legal or regulatory intent: lawyer, court, the
	// consumer-protection office (Québec's OPC), an ombudsman or médiateur,
	// a chargeback.
	SignalLegal SignalKind = "legal"
	// SignalLeave is an intent to leave: cancel, switch to a competitor,
	// never again.
	SignalLeave SignalKind = "leave"
	// SignalThreat is a threat (form deviance).
	SignalThreat SignalKind = "threat"
	// SignalIncivility is an insult or swearing (form deviance).
	SignalIncivility SignalKind = "incivility"
	// SignalAnger is anger or strong dissatisfaction, including negated
	// praise ("pas du tout satisfait").
	SignalAnger SignalKind = "anger"

	// signalPraise and signalRisk are lexicon kinds, never reported as
	// signals: praise matters only when negated, risks are reported apart.
	signalPraise SignalKind = "praise"
	signalRisk   SignalKind = "risk"
)

// SignalKinds lists the reported kinds, most serious first.
var SignalKinds = []SignalKind{SignalLegal, SignalPublic, SignalThreat, SignalIncivility, SignalLeave, SignalAnger}

// intent reports whether a kind is something the customer says they will
// do, which a negation undoes from the verb: "not going to post on
// Facebook".
func (k SignalKind) intent() bool {
	return k == SignalPublic || k == SignalLegal || k == SignalLeave || k == SignalThreat
}

// FormDeviance reports whether a kind is form deviance (threats,
// incivility): the customer's tone, which never weighs on compensation.
func (k SignalKind) FormDeviance() bool { return k == SignalThreat || k == SignalIncivility }

// Signal is one thing a comment reveals, with the customer's own words.
type Signal struct {
	Kind SignalKind `json:"kind"`
	// Term is what recognised it: the lexicon phrase that matched
	// ("avocat*", "facebook") or the model's strongest feature.
	Term string `json:"term"`
	// Evidence is the matched text as the customer wrote it, negation
	// included for negated praise ("pas du tout satisfait").
	Evidence string `json:"evidence"`
	// Confidence is the model's probability for the kind (0–1), after the
	// ratings were weighed; zero for a kind found by a rule alone.
	Confidence float64 `json:"confidence,omitempty"`
}

// RiskEvidence says why a reply was tagged with a risk of dissatisfaction.
type RiskEvidence struct {
	Risk Risk `json:"risk"`
	// Source is "choice" (an answer to a choice question) or "comment".
	Source string `json:"source"`
	// Evidence is the option key chosen, or the customer's words.
	Evidence string `json:"evidence"`
}

func kindRank(k SignalKind) int {
	if i := slices.Index(SignalKinds, k); i >= 0 {
		return i
	}
	return len(SignalKinds)
}

// HasSignal reports whether any signal is of one of kinds.
func HasSignal(signals []Signal, kinds ...SignalKind) bool {
	for _, s := range signals {
		if slices.Contains(kinds, s.Kind) {
			return true
		}
	}
	return false
}
