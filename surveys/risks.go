package surveys

import "github.com/followup/followup/comments"

// Risk is one of the 13 risks of dissatisfaction: what went wrong, as the
// external loop counts it (defined with the comment lexicon that tags them).
type Risk = comments.Risk

// The 13 risks of dissatisfaction.
const (
	RiskKnowledge     = comments.RiskKnowledge
	RiskAttitude      = comments.RiskAttitude
	RiskRelational    = comments.RiskRelational
	RiskAccompaniment = comments.RiskAccompaniment
	RiskPsychological = comments.RiskPsychological
	RiskCognitive     = comments.RiskCognitive
	RiskFinancial     = comments.RiskFinancial
	RiskTemporal      = comments.RiskTemporal
	RiskSensory       = comments.RiskSensory
	RiskSecurity      = comments.RiskSecurity
	RiskEthical       = comments.RiskEthical
	RiskSpace         = comments.RiskSpace
	RiskOperational   = comments.RiskOperational
)

// Risks lists the 13 risks in the order of the source material.
var Risks = comments.Risks

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
func IsRisk(r Risk) bool { return comments.IsRisk(r) }
