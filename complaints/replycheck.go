package complaints

import (
	"regexp"

	"github.com/followup/followup/surveys"
)

// Warning is something an agent should look at before a reply goes out.
type Warning struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Reply check warnings.
const (
	WarnPlaceholder = "placeholder"
	WarnNoAction    = "no_action"
	WarnNoDate      = "no_date"
)

var (
	placeholderRE = regexp.MustCompile(`\[[^\]\n]{1,80}\]`)
	// A date or a delay the customer can hold us to, in English or French
	// (text folded: lower case, no accents).
	dateRE = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[/.]\d{1,2}([/.]\d{2,4})?\b` +
		`|\b(january|february|march|april|may|june|july|august|september|october|november|december` +
		`|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\b` +
		`|\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b` +
		`|\b(today|tomorrow|tonight|this (afternoon|evening|morning|week)|next week|end of (the )?day` +
		`|aujourd'hui|demain|ce soir|cet apres-midi|ce matin|cette semaine|la semaine prochaine|fin de (la )?journee)\b` +
		`|\b(within|in|under|d'ici|sous|dans les|dans)\s+(\d+|one|two|three|un|une|deux|trois|24|48|72)\s+(business |working )?(hours?|days?|heures?|jours?( ouvrables| ouvres)?)\b` +
		`|\b\d{1,2}(:\d{2})?\s?(am|pm)\b|\b\d{1,2}\s?h(\d{2})?\b`)
	// A concrete thing done for the customer.
	actionRE = regexp.MustCompile(`\b(refund|reimburs|replac|credit|repair|fix|resend|re-send|send you|sent you|ship|deliver` +
		`|call you|phone you|visit|cancel|waive|exchange|compensat|voucher|discount|rebook|reschedul|collect|pick up|technician` +
		`|rembours|rempla|repar|renvo|envoy|expedi|livr|rappel|appel|telephon|visite|annul|echang|dedommag|geste commercial` +
		`|bon d'achat|avoir|remise|credit|technicien|reprogramm|recuper)`)
)

// CheckReply reads a reply before it goes to the customer and warns when
// it lacks what makes a reply good (DOMAIN.md: concrete, fast, clear): a
// concrete action, a date or delay, and no template brackets left to fill.
// Warnings never block: the agent decides.
func CheckReply(body string) []Warning {
	var out []Warning
	if placeholderRE.MatchString(body) {
		out = append(out, Warning{WarnPlaceholder, "Some [bracketed] parts of the template are still to be filled in or removed."})
	}
	folded := surveys.Fold(body)
	if !actionRE.MatchString(folded) {
		out = append(out, Warning{WarnNoAction, "The reply does not say what concrete action is taken (refund, replacement, call back, visit...)."})
	}
	if !dateRE.MatchString(folded) {
		out = append(out, Warning{WarnNoDate, "The reply gives no date or delay: tell the customer by when."})
	}
	return out
}
