package surveys

import "github.com/followup/followup/comments"

// The comment's signals are read by the comments package; these names keep
// them where the rest of a reply's scoring is.
type (
	// SignalKind is what a comment reveals about the customer's intent or behaviour.
	SignalKind = comments.SignalKind
	// Signal is one thing a comment reveals, with the customer's own words.
	Signal = comments.Signal
	// RiskEvidence says why a reply was tagged with a risk of dissatisfaction.
	RiskEvidence = comments.RiskEvidence
)

// Signal kinds (see comments.SignalKind).
const (
	SignalPublic     = comments.SignalPublic
	SignalLegal      = comments.SignalLegal
	SignalLeave      = comments.SignalLeave
	SignalThreat     = comments.SignalThreat
	SignalIncivility = comments.SignalIncivility
	SignalAnger      = comments.SignalAnger
)

// SignalKinds lists the reported kinds, most serious first.
var SignalKinds = comments.SignalKinds

// HasSignal reports whether any signal is of one of kinds.
func HasSignal(signals []Signal, kinds ...SignalKind) bool {
	return comments.HasSignal(signals, kinds...)
}
