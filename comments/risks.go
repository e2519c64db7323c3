package comments

import "slices"

// Risk is one of the 13 risks of dissatisfaction: what went wrong, as the
// external loop counts it. The lexicon tags comments with them.
type Risk string

// The 13 risks of dissatisfaction.
const (
	RiskKnowledge     Risk = "knowledge"     // savoir, savoir-faire: does not master the subject, makes mistakes
	RiskAttitude      Risk = "attitude"      // savoir-être: arrogant, condescending
	RiskRelational    Risk = "relational"    // distant, cold
	RiskAccompaniment Risk = "accompaniment" // does not take the time, does not commit
	RiskPsychological Risk = "psychological" // stress, emotions imposed on the customer
	RiskCognitive     Risk = "cognitive"     // makes things hard to understand
	RiskFinancial     Risk = "financial"     // negative financial impact
	RiskTemporal      Risk = "temporal"      // waiting, no view of the timeline
	RiskSensory       Risk = "sensory"       // dirty documents, noise, smell
	RiskSecurity      Risk = "security"      // material, digital or physical damage
	RiskEthical       Risk = "ethical"       // judgements, stereotypes, values
	RiskSpace         Risk = "space"         // crowded, unsuitable place
	RiskOperational   Risk = "operational"   // heavy processes and methods
)

// Risks lists the 13 risks in the order of the source material.
var Risks = []Risk{
	RiskKnowledge, RiskAttitude, RiskRelational, RiskAccompaniment, RiskPsychological, RiskCognitive,
	RiskFinancial, RiskTemporal, RiskSensory, RiskSecurity, RiskEthical, RiskSpace, RiskOperational,
}

// IsRisk reports whether r is one of the 13 risks.
func IsRisk(r Risk) bool { return slices.Contains(Risks, r) }
