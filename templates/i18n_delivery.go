package templates

func init() { register(deliveryTexts) }

// deliveryTexts are the texts of the unsubscribe pages.
var deliveryTexts = map[string]map[string]string{
	"en": {
		"unsubscribe.title":   "Stop receiving surveys",
		"unsubscribe.body":    "Confirm below and %s will send you no more satisfaction surveys, from any campaign.",
		"unsubscribe.confirm": "Receive no more surveys",
		"unsubscribed.title":  "You are unsubscribed",
		"unsubscribed.body":   "%s will send you no more surveys. Thank you for your past answers.",
	},
	"fr": {
		"unsubscribe.title":   "Ne plus recevoir de sondages",
		"unsubscribe.body":    "Confirmez ci-dessous et %s ne vous enverra plus de sondages de satisfaction, quelle que soit la campagne.",
		"unsubscribe.confirm": "Ne plus recevoir de sondages",
		"unsubscribed.title":  "Votre désabonnement est enregistré",
		"unsubscribed.body":   "%s ne vous enverra plus de sondages. Merci pour vos réponses passées.",
	},
}
