package templates

// catalog holds the short texts of pages and emails, per locale. Longer
// prose lives in the per-locale template files. Each feature keeps its texts
// in its own i18n_*.go file and adds them with register; catalog.go turns
// them into a go-i18n bundle.
var catalog = map[string]map[string]string{"en": {}, "fr": {}}

// register adds texts to the catalog; a key defined twice is a bug.
func register(texts map[string]map[string]string) {
	bundleMu.Lock()
	defer bundleMu.Unlock()
	for locale, m := range texts {
		if catalog[locale] == nil {
			catalog[locale] = map[string]string{}
		}
		for k, v := range m {
			if _, dup := catalog[locale][k]; dup {
				panic("templates: text " + locale + "/" + k + " defined twice")
			}
			catalog[locale][k] = v
		}
	}
	localizers = nil // rebuilt on the next lookup
}

func init() { register(surveyTexts) }

// surveyTexts are the texts of the public survey pages and the invitation email.
var surveyTexts = map[string]map[string]string{
	"en": {
		"lang.switch":             "Français",
		"survey.title":            "Tell us how it went",
		"survey.intro":            "Hello %s, thank you for taking two minutes. Your answers go straight to the team that served you.",
		"survey.intro.anon":       "Thank you for taking two minutes. Your answers go straight to the team that served you.",
		"survey.required":         "required",
		"survey.optional":         "optional",
		"survey.partial":          "Your answers have been received and already count. You may answer the other questions now; every question marked optional can be left blank.",
		"thanks.more":             "Answer the other questions (optional)",
		"survey.submit":           "Send my answers",
		"survey.errors":           "Some answers need your attention. Nothing you typed was lost.",
		"survey.agree.1":          "Strongly disagree",
		"survey.agree.mid":        "Neither agree nor disagree",
		"survey.agree.max":        "Strongly agree",
		"survey.rating.lo":        "Not at all satisfied",
		"survey.rating.hi":        "Extremely satisfied",
		"survey.preselected":      "You chose %d in the email. Check it and press the button at the bottom to send.",
		"problem.required":        "Please answer this question.",
		"problem.invalid":         "Please choose one of the answers offered.",
		"problem.too_long":        "Please keep your comment under 5,000 characters.",
		"thanks.title":            "Thank you",
		"thanks.body":             "Your answers have been received. They will help us serve you better.",
		"thanks.negative":         "We are sorry your experience fell short. Someone from our team will contact you personally.",
		"error.403.title":         "This link is not valid",
		"error.403.body":          "This survey link has been altered or is incomplete. Please use the link exactly as it appears in your email.",
		"error.410.title":         "This survey is closed",
		"error.410.body":          "This survey link has expired or was withdrawn, so answers can no longer be recorded. Thank you for your interest.",
		"error.404.title":         "Page not found",
		"error.404.body":          "We could not find this page.",
		"error.500.title":         "Something went wrong",
		"error.500.body":          "We could not save this right now. Please try again in a few minutes; nothing you sent was recorded.",
		"email.greeting":          "Hello %s,",
		"email.greeting.anon":     "Hello,",
		"email.cta":               "Answer the survey",
		"email.expires":           "This personal link is valid until %s.",
		"email.ignore":            "You receive this email because you recently used our services.",
		"dimension.distributive":  "Outcome",
		"dimension.procedural":    "Process",
		"dimension.interactional": "Treatment",
		"dimension.overall":       "Overall",
	},
	"fr": {
		"lang.switch":             "English",
		"survey.title":            "Dites-nous comment ça s'est passé",
		"survey.intro":            "Bonjour %s, merci de nous accorder deux minutes. Vos réponses vont directement à l'équipe qui vous a servi.",
		"survey.intro.anon":       "Merci de nous accorder deux minutes. Vos réponses vont directement à l'équipe qui vous a servi.",
		"survey.required":         "obligatoire",
		"survey.optional":         "facultatif",
		"survey.partial":          "Vos réponses ont bien été reçues et comptent déjà. Vous pouvez répondre aux autres questions maintenant ; chaque question marquée facultative peut rester sans réponse.",
		"thanks.more":             "Répondre aux autres questions (facultatif)",
		"survey.submit":           "Envoyer mes réponses",
		"survey.errors":           "Certaines réponses demandent votre attention. Rien de ce que vous avez saisi n'a été perdu.",
		"survey.agree.1":          "Pas du tout d'accord",
		"survey.agree.mid":        "Ni d'accord ni en désaccord",
		"survey.agree.max":        "Tout à fait d'accord",
		"survey.rating.lo":        "Pas du tout satisfait",
		"survey.rating.hi":        "Extrêmement satisfait",
		"survey.preselected":      "Vous avez choisi %d dans le courriel. Vérifiez et appuyez sur le bouton en bas pour envoyer.",
		"problem.required":        "Merci de répondre à cette question.",
		"problem.invalid":         "Merci de choisir une des réponses proposées.",
		"problem.too_long":        "Merci de limiter votre commentaire à 5 000 caractères.",
		"thanks.title":            "Merci",
		"thanks.body":             "Vos réponses ont bien été reçues. Elles nous aideront à mieux vous servir.",
		"thanks.negative":         "Nous sommes désolés que votre expérience n'ait pas été à la hauteur. Une personne de notre équipe vous contactera personnellement.",
		"error.403.title":         "Ce lien n'est pas valide",
		"error.403.body":          "Ce lien de sondage a été modifié ou est incomplet. Utilisez le lien exactement tel qu'il figure dans votre courriel.",
		"error.410.title":         "Ce sondage est fermé",
		"error.410.body":          "Ce lien de sondage a expiré ou a été retiré : les réponses ne peuvent plus être enregistrées. Merci de votre intérêt.",
		"error.404.title":         "Page introuvable",
		"error.404.body":          "Nous n'avons pas trouvé cette page.",
		"error.500.title":         "Un problème est survenu",
		"error.500.body":          "Nous n'avons pas pu enregistrer pour le moment. Réessayez dans quelques minutes ; rien de ce que vous avez envoyé n'a été enregistré.",
		"email.greeting":          "Bonjour %s,",
		"email.greeting.anon":     "Bonjour,",
		"email.cta":               "Répondre au sondage",
		"email.expires":           "Ce lien personnel est valable jusqu'au %s.",
		"email.ignore":            "Vous recevez ce courriel parce que vous avez récemment utilisé nos services.",
		"dimension.distributive":  "Résultat",
		"dimension.procedural":    "Processus",
		"dimension.interactional": "Traitement",
		"dimension.overall":       "Global",
	},
}
