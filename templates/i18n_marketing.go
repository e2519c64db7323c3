package templates

func init() { register(marketingTexts) }

// marketingTexts are the texts of what marketing shows customers in previews.
var marketingTexts = map[string]map[string]string{
	"en": {
		"preview.intro": "Preview: this is the survey your customers will see. Nothing you answer here is recorded.",
	},
	"fr": {
		"preview.intro": "Aperçu : voici le sondage que verront vos clients. Rien de ce que vous répondez ici n'est enregistré.",
	},
}
