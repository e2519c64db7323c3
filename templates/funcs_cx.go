package templates

import (
	"strings"

	"github.com/followup/followup/surveys"
)

// signalLabels say in words what a signal in a comment shows of the
// customer ("the customer …"), on the CX pages (in English, like every
// staff page) and in the French words of the complaint's trail.
var signalLabels = map[string]map[surveys.SignalKind]string{
	"en": {
		surveys.SignalPublic:     "intends to go public",
		surveys.SignalLegal:      "mentions legal or regulatory action",
		surveys.SignalLeave:      "intends to leave",
		surveys.SignalThreat:     "makes threats",
		surveys.SignalIncivility: "is uncivil",
		surveys.SignalAnger:      "is dissatisfied",
	},
	"fr": {
		surveys.SignalPublic:     "compte rendre l'affaire publique",
		surveys.SignalLegal:      "évoque une action en justice ou auprès d'un régulateur",
		surveys.SignalLeave:      "compte partir",
		surveys.SignalThreat:     "profère des menaces",
		surveys.SignalIncivility: "est incivil",
		surveys.SignalAnger:      "est mécontent",
	},
}

// SignalLabel names a signal kind in words for agents; an unknown kind is
// shown as it is stored.
func SignalLabel(kind string) string { return signalWords("en", kind) }

// SignalLabelIn names a signal kind in locale's words for agents.
func SignalLabelIn(locale, kind string) string { return signalWords(locale, kind) }

// signalWords names a signal kind in locale's words ("the customer …").
func signalWords(locale, kind string) string {
	if l, ok := labelsOf(signalLabels, locale)[surveys.SignalKind(kind)]; ok {
		return l
	}
	return kind
}

// devianceLabels name the kinds of deviance an agent records
// (complaints.FormDeviances and SubstanceDeviances).
var devianceLabels = map[string]map[string]string{
	"en": {
		"incivility": "Incivility", "non_comprehension": "Non-comprehension", "non_cooperation": "Non-cooperation",
		"pretension": "Pretension", "threat": "Threats",
		"inadmissible": "Inadmissible claim", "fraud": "Fraud", "injustice": "Injustice",
		"disproportion": "Disproportionate claim", "improbability": "Improbable claim",
	},
	"fr": {
		"incivility": "Incivilité", "non_comprehension": "Incompréhension", "non_cooperation": "Non-coopération",
		"pretension": "Prétention", "threat": "Menaces",
		"inadmissible": "Demande irrecevable", "fraud": "Fraude", "injustice": "Injustice",
		"disproportion": "Demande disproportionnée", "improbability": "Demande invraisemblable",
	},
}

// DevianceLabel names a deviance code in locale's words; an unknown code
// is shown in plain words.
func DevianceLabel(locale, code string) string {
	if w, ok := labelsOf(devianceLabels, locale)[code]; ok {
		return w
	}
	return humanCode(code)
}

// correctionLabels name the agents' corrections of the comment reading
// (the corrections package's kinds), as the staff pages' buttons do.
var correctionLabels = map[string]map[string]string{
	"en": {
		"not_complaint": "Not a complaint",
		"missed_public": "Missed: going public",
		"missed_legal":  "Missed: legal",
		"missed_leave":  "Missed: leaving",
	},
	"fr": {
		"not_complaint": "Pas une réclamation",
		"missed_public": "Manqué : rendre public",
		"missed_legal":  "Manqué : action en justice",
		"missed_leave":  "Manqué : départ",
	},
}

// CorrectionLabel names a correction kind in locale's words; an unknown
// kind is shown in plain words.
func CorrectionLabel(locale, kind string) string {
	if w, ok := labelsOf(correctionLabels, locale)[kind]; ok {
		return w
	}
	return humanCode(kind)
}

// labelsOf picks locale's labels, English when it has none.
func labelsOf[K comparable](m map[string]map[K]string, locale string) map[K]string {
	if l, ok := m[locale]; ok {
		return l
	}
	return m["en"]
}

// humanCode turns a code such as "non_comprehension" into words.
func humanCode(code string) string {
	return strings.ReplaceAll(code, "_", " ")
}

func init() {
	htmlFuncs["signalLabel"] = SignalLabel
	// riskName takes the risk as stored in a complaint row (a string).
	htmlFuncs["riskName"] = func(r string) string { return RiskLabel("en", surveys.Risk(r)) }
}
