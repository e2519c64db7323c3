package complaints

import (
	"fmt"
	"regexp"

	"github.com/followup/followup/comments"
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
	WarnLanguage    = "language"
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
	// A concrete thing done for the customer. Words that name the problem
	// as often as the remedy (delivery, call, fix, livraison, appel) are
	// in deliveryCallRE instead.
	// "avoir" (also "to have"), "remise", "visite" and "collect" name an
	// action only in these forms ("un avoir", "une remise", "une visite",
	// "we will collect it"): "merci de votre visite" or "désolé d'avoir"
	// promise nothing.
	actionRE = regexp.MustCompile(`\b(refund|reimburs|replac|credit|repair|resend|re-send|send you|sent you` +
		`|call you|phone you|give you a (call|ring)|visit (you|your)|a visit|cancel|waive|exchange|compensat|voucher|discount|rebook|reschedul` +
		`|(will|to|we['’]ll|i['’]ll|can) (come and )?collect|pick up|technician` +
		`|rembours|rempla|repar|renvo|envoy|(une|la|notre|sa) visite (d|de|du|chez)|annul|echang|dedommag|geste commercial` +
		`|bon d'achat|(un|votre|l') ?avoir (de|d'un|sur|valable)|(une|la) remise (de|d'un|en etat|exceptionnelle)|remise en etat|technicien|reprogramm|recuper)`)
	// Delivering, calling or fixing counts only as something we do: a verb
	// after a subject or auxiliary ("we will deliver", "has been fixed"),
	// a French future or present ("nous vous livrerons", "sera livré"), a
	// call addressed to the customer ("je vous appellerai"), a new delivery
	// or appointment. "Sorry about your delivery" or "merci pour votre appel"
	// only mention it.
	deliveryCallRE = regexp.MustCompile(`\b(we|i|we['’]ll|i['’]ll|we['’]ve|i['’]ve|we['’]re|will|shall|to|be|been|being|have|has|are|am|is|can)\s+` +
		`((also|now|personally|then|already|gladly|immediately|quickly|just)\s+)?` +
		`(re-?)?(deliver(s|ed|ing)?|ship(s|ped|ping)?|fix(es|ed|ing)?|call(s|ed|ing)?|phon(e|es|ed|ing))\b` +
		`|\b(new|second|free) (delivery|parcel|package|shipment)\b|\bre-?delivery\b` +
		`|\b(re)?(livr|expedi)(er|erai|eras|era|erons|erez|eront|ons)\b` +
		`|\b(sera|seront|va etre|vont etre)\s+(re)?(livre|expedie)(e|s|es)?\b` +
		`|\bnouvel(le)? (livraison|expedition)\b|\bnouveau colis\b` +
		`|\bfix(er|ons|erons|erai) (un |une |le |la |votre )?(nouveau |nouvelle )?(rendez-vous|date)\b` +
		`|\bvous\s+((ai|avons|a)\s+)?(r?appel|telephon)`)
)

// languageNames names the languages customers read, for the warnings.
var languageNames = map[string]string{"en": "English", "fr": "French"}

// CheckReply reads a reply before it goes to the customer and warns when
// it lacks what makes a reply good (DOMAIN.md: concrete, fast, clear): a
// concrete action, a date or delay, and no template brackets left to fill;
// and when it is written in another language than the customer's locale
// ("en" or "fr"; empty checks no language). Warnings never block: the
// agent decides.
func CheckReply(body, locale string) []Warning {
	var out []Warning
	if lang := comments.Language(body); lang != "" && languageNames[locale] != "" && lang != locale {
		out = append(out, Warning{WarnLanguage, fmt.Sprintf("The reply is in %s but the customer reads %s: start from the %s template or translate it.",
			languageNames[lang], languageNames[locale], languageNames[locale])})
	}
	if placeholderRE.MatchString(body) {
		out = append(out, Warning{WarnPlaceholder, "Some [bracketed] parts of the template are still to be filled in or removed."})
	}
	folded := comments.Fold(body)
	if !actionRE.MatchString(folded) && !deliveryCallRE.MatchString(folded) {
		out = append(out, Warning{WarnNoAction, "The reply does not say what concrete action is taken (refund, replacement, call back, visit...)."})
	}
	if !dateRE.MatchString(folded) {
		out = append(out, Warning{WarnNoDate, "The reply gives no date or delay: tell the customer by when."})
	}
	return out
}
