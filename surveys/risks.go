package surveys

// Risk is one of the 13 risks of dissatisfaction: what went wrong, as the
// external loop counts it.
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

// RiskLabels names each risk for people, per locale.
var RiskLabels = map[Risk]Localized{
	RiskKnowledge:     {"en": "Knowledge and skill", "fr": "Savoir et savoir-faire"},
	RiskAttitude:      {"en": "Attitude", "fr": "Savoir-être"},
	RiskRelational:    {"en": "Relational", "fr": "Relationnel"},
	RiskAccompaniment: {"en": "Accompaniment", "fr": "Accompagnement"},
	RiskPsychological: {"en": "Psychological", "fr": "Psychologique"},
	RiskCognitive:     {"en": "Cognitive", "fr": "Cognitif"},
	RiskFinancial:     {"en": "Financial", "fr": "Financier"},
	RiskTemporal:      {"en": "Time", "fr": "Temporel"},
	RiskSensory:       {"en": "Sensory", "fr": "Sensoriel"},
	RiskSecurity:      {"en": "Security", "fr": "Sécurité"},
	RiskEthical:       {"en": "Ethical", "fr": "Éthique"},
	RiskSpace:         {"en": "Space", "fr": "Espace"},
	RiskOperational:   {"en": "Operational", "fr": "Opérationnel"},
}

// IsRisk reports whether r is one of the 13 risks.
func IsRisk(r Risk) bool {
	_, ok := RiskLabels[r]
	return ok
}
