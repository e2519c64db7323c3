package templates

import "github.com/followup/followup/surveys"

// signalLabels say in words what a signal in a comment shows of the
// customer ("the customer …"), on the CX pages (in English, like every staff page).
var signalLabels = map[surveys.SignalKind]string{
	surveys.SignalPublic:     "intends to go public",
	surveys.SignalLegal:      "mentions legal or regulatory action",
	surveys.SignalLeave:      "intends to leave",
	surveys.SignalThreat:     "makes threats",
	surveys.SignalIncivility: "is uncivil",
	surveys.SignalAnger:      "is dissatisfied",
}

// SignalLabel names a signal kind in words for agents; an unknown kind is
// shown as it is stored.
func SignalLabel(kind string) string {
	if l, ok := signalLabels[surveys.SignalKind(kind)]; ok {
		return l
	}
	return kind
}

func init() {
	htmlFuncs["signalLabel"] = SignalLabel
	// riskName takes the risk as stored in a complaint row (a string).
	htmlFuncs["riskName"] = func(r string) string { return RiskLabel("en", surveys.Risk(r)) }
}
