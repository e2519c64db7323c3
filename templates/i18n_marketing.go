package templates

func init() { register(marketingTexts) }

// marketingTexts are the texts of what marketing shows customers in previews.
var marketingTexts = map[string]map[string]string{
	"en": {
		"preview.intro":        "Preview: this is the survey your customers will see. Nothing you answer here is recorded.",
		"preview.unsubscribe":  "Preview: this is the page the email's unsubscribe link opens for your customers. Nobody is unsubscribed from here.",
		"preview.unsubscribed": "Preview: this is what your customers read once unsubscribed. Nothing was recorded.",
	},
	"fr": {
		"preview.intro":        "Aperçu : voici le sondage que verront vos clients. Rien de ce que vous répondez ici n'est enregistré.",
		"preview.unsubscribe":  "Aperçu : voici la page qu'ouvre, pour vos clients, le lien de désabonnement du courriel. Personne n'est désabonné d'ici.",
		"preview.unsubscribed": "Aperçu : voici ce que lisent vos clients une fois désabonnés. Rien n'a été enregistré.",
	},
}
