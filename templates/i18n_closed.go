package templates

func init() { register(closedTexts) }

// closedTexts are the texts of the page of a survey link that can no
// longer be answered: how a customer who still wants to be heard reaches
// the team.
var closedTexts = map[string]map[string]string{
	"en": {
		"closed.contact.title": "Still want to tell us something?",
		"closed.contact.body":  "Your opinion still matters to us: write to our customer care team, who will answer you personally.",
		"closed.contact.email": "By email:",
		"closed.contact.page":  "Our contact page",
	},
	"fr": {
		"closed.contact.title": "Vous souhaitez toujours nous dire quelque chose ?",
		"closed.contact.body":  "Votre avis compte toujours pour nous : écrivez à notre service client, qui vous répondra personnellement.",
		"closed.contact.email": "Par courriel :",
		"closed.contact.page":  "Notre page de contact",
	},
}
