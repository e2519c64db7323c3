package templates

func init() { register(edgeTexts) }

// edgeTexts are the texts of the customers' pages when a request cannot
// be served: input the product cannot store, a dependency down.
var edgeTexts = map[string]map[string]string{
	"en": {
		"error.400.title": "This could not be read",
		"error.400.body":  "The field “%s” holds a character that cannot be saved (an invisible control character). Go back, remove it and send again.",
		"error.503.title": "Please try again in a minute",
		"error.503.body":  "We cannot reach our records for a moment. Nothing is lost: try again in a minute.",
		"retry.body":      "We could not save your answers just now: nothing was recorded yet. Your answers are kept on this page; send them again in a minute.",
		"retry.send":      "Send my answers again",
	},
	"fr": {
		"error.400.title": "Nous n'avons pas pu lire ceci",
		"error.400.body":  "Le champ « %s » contient un caractère qui ne peut pas être enregistré (un caractère de contrôle invisible). Revenez en arrière, retirez-le et envoyez de nouveau.",
		"error.503.title": "Réessayez dans une minute",
		"error.503.body":  "Nos données sont momentanément injoignables. Rien n'est perdu : réessayez dans une minute.",
		"retry.body":      "Nous n'avons pas pu enregistrer vos réponses pour le moment : rien n'a encore été enregistré. Vos réponses sont conservées sur cette page ; envoyez-les de nouveau dans une minute.",
		"retry.send":      "Envoyer de nouveau mes réponses",
	},
}
