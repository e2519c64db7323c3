package templates

func init() { register(cxTexts) }

// cxTexts are the steps of a reply to a difficult customer, shown to agents
// beside the draft in the customer's language.
var cxTexts = map[string]map[string]string{
	"en": {
		"reply.step1": "Welcome and listen: thank them, show you read them.",
		"reply.step2": "Apologise with empathy.",
		"reply.step3": "Ask what you need to understand.",
		"reply.step4": "Reassure and solve: the concrete action, and by when.",
		"reply.step5": "Present the benefits and the next steps.",
		"reply.step6": "Conclude: check they are satisfied, and thank them.",
	},
	"fr": {
		"reply.step1": "Accueillir et écouter : remercier, montrer qu'on a lu.",
		"reply.step2": "S'excuser avec empathie.",
		"reply.step3": "Questionner pour comprendre.",
		"reply.step4": "Rassurer et résoudre : l'action concrète, et pour quand.",
		"reply.step5": "Présenter les bénéfices et les prochaines étapes.",
		"reply.step6": "Conclure : vérifier la satisfaction et remercier.",
	},
}
