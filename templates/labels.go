package templates

import (
	"slices"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/labels"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/surveys"
)

// The names of the fixed vocabularies (risks, signals, states) are the
// built-in ones; teams, touchpoints, event kinds and channels are the
// data's, named by admins (package labels) or derived from their code.
// Set.Label is the one way a page or an email names a code:
// {{label $.Locale "team" .Team}}.

// stateLabels name the states of complaints and action plans.
var stateLabels = map[string]map[string]string{
	"en": {complaints.StateOpen: "Open", complaints.StateInProgress: "In progress", complaints.StateResolved: "Resolved",
		reports.ActionPlanned: "Planned", reports.ActionDone: "Done", reports.ActionCancelled: "Cancelled"},
	"fr": {complaints.StateOpen: "Ouverte", complaints.StateInProgress: "En cours", complaints.StateResolved: "Résolue",
		reports.ActionPlanned: "Prévue", reports.ActionDone: "Terminée", reports.ActionCancelled: "Annulée"},
}

// BuiltinName is the built-in name of a code of the fixed vocabularies
// (risks, signals, states) in locale: a labels.Lookup.
func BuiltinName(locale string, kind labels.Kind, code string) (string, bool) {
	switch kind {
	case labels.Risk:
		if l, ok := surveys.RiskLabels[surveys.Risk(code)]; ok {
			return l.In(locale), true
		}
	case labels.Signal:
		if l, ok := labelsOf(signalLabels, locale)[surveys.SignalKind(code)]; ok {
			return l, true
		}
	case labels.State:
		if l, ok := labelsOf(stateLabels, locale)[code]; ok {
			return l, true
		}
	}
	return "", false
}

// BuiltinCodes lists the codes of a fixed vocabulary (nil for the kinds
// the data holds), for the admins' page.
func BuiltinCodes(kind labels.Kind) []string {
	var out []string
	switch kind {
	case labels.Risk:
		for _, r := range surveys.Risks {
			out = append(out, string(r))
		}
	case labels.Signal:
		for _, k := range surveys.SignalKinds {
			out = append(out, string(k))
		}
	case labels.State:
		for code := range stateLabels["en"] {
			out = append(out, code)
		}
		slices.Sort(out)
	}
	return out
}

// SetNames gives the set the admins' names (a labels.Cache's Name): until
// then, and for codes they did not name, the built-in names and the words
// derived from the code apply. Call it before rendering.
func (s *Set) SetNames(admin labels.Lookup) { s.admin = admin }

// Label names code of kind for people reading locale (see labels.Resolve):
// never the raw code.
func (s *Set) Label(locale, kind, code string) string {
	return labels.Resolve(locale, labels.Kind(kind), code, s.admin, BuiltinName)
}
