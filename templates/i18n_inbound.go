package templates

func init() { register(inboundTexts) }

// inboundTexts are the texts of the admins' page of the mail received that
// nothing matched (two-way email).
var inboundTexts = map[string]map[string]string{
	"en": {
		"inbound.title":        "Mail received, unmatched",
		"inbound.lead":         "Emails that came back to the inbound domain and belong to nothing followup knows (a survey already answered in full, a complaint that no longer exists), or that could not be read. Read them, and put one on the complaint it belongs to: it joins the conversation as the customer's reply and its owner is alerted.",
		"inbound.none":         "Nothing waits: every email received found its place.",
		"inbound.received":     "Received",
		"inbound.from":         "From",
		"inbound.message":      "Message",
		"inbound.why":          "Why it is here",
		"inbound.assign":       "Put on complaint",
		"inbound.complaint":    "Complaint number",
		"inbound.submit":       "Assign",
		"inbound.failed":       "could not be read; kept as received",
		"inbound.assigned":     "Assigned: the message is on complaint #%d's conversation.",
		"inbound.problem":      "Not assigned: %s",
		"inbound.need_number":  "type the number of the complaint (such as 42)",
		"inbound.no_complaint": "there is no complaint #%d",
	},
	"fr": {
		"inbound.title":        "Courriels reçus, non rattachés",
		"inbound.lead":         "Des courriels revenus au domaine de réception qui ne correspondent à rien de connu (un sondage déjà entièrement répondu, une réclamation qui n'existe plus), ou qui n'ont pas pu être lus. Lisez-les et rattachez-en un à sa réclamation : il rejoint la conversation comme réponse du client et son responsable est alerté.",
		"inbound.none":         "Rien n'attend : chaque courriel reçu a trouvé sa place.",
		"inbound.received":     "Reçu le",
		"inbound.from":         "De",
		"inbound.message":      "Message",
		"inbound.why":          "Pourquoi il est ici",
		"inbound.assign":       "Rattacher à la réclamation",
		"inbound.complaint":    "Numéro de réclamation",
		"inbound.submit":       "Rattacher",
		"inbound.failed":       "illisible ; conservé tel que reçu",
		"inbound.assigned":     "Rattaché : le message est dans la conversation de la réclamation n° %d.",
		"inbound.problem":      "Non rattaché : %s",
		"inbound.need_number":  "saisissez le numéro de la réclamation (par exemple 42)",
		"inbound.no_complaint": "il n'y a pas de réclamation n° %d",
	},
}
