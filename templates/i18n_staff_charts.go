package templates

func init() { register(chartTexts) }

// chartTexts are the titles and series of the managers' charts, and the
// words of the reports' sentences.
var chartTexts = map[string]map[string]string{
	"en": {
		"chart.rates":                   "Negative replies and response rate (%)",
		"chart.negative":                "Negative replies",
		"chart.negative.pct":            "Negative replies (%)",
		"chart.response":                "Response rate",
		"chart.volume":                  "Replies and complaints",
		"chart.replies":                 "Replies",
		"chart.opened":                  "Complaints opened",
		"chart.complaints":              "Complaints",
		"chart.risktrend":               "Top risks over time: replies showing each",
		"chart.split":                   "Negative replies by %s (%%)",
		"chart.effect":                  "Before and after the action",
		"chart.before":                  "Before",
		"chart.after":                   "After",
		"chart.riskrate":                "Replies showing the risk (%)",
		"chart.none":                    "(none)",
		"mgr.filter.bad":                "The filter was not applied: %[1]s %[2]s.",
		"mgr.corrections.not_complaint": "%d not a complaint",
		"mgr.corrections.missed_public": "%d missed going public",
		"mgr.corrections.missed_legal":  "%d missed legal action",
		"mgr.corrections.missed_leave":  "%d missed leaving",
	},
	"fr": {
		"chart.rates":                   "Réponses négatives et taux de réponse (%)",
		"chart.negative":                "Réponses négatives",
		"chart.negative.pct":            "Réponses négatives (%)",
		"chart.response":                "Taux de réponse",
		"chart.volume":                  "Réponses et réclamations",
		"chart.replies":                 "Réponses",
		"chart.opened":                  "Réclamations ouvertes",
		"chart.complaints":              "Réclamations",
		"chart.risktrend":               "Principaux risques dans le temps : réponses qui montrent chacun",
		"chart.split":                   "Réponses négatives par %s (%%)",
		"chart.effect":                  "Avant et après l'action",
		"chart.before":                  "Avant",
		"chart.after":                   "Après",
		"chart.riskrate":                "Réponses montrant le risque (%)",
		"chart.none":                    "(aucun)",
		"mgr.filter.bad":                "Le filtre n'a pas été appliqué : %[1]s %[2]s.",
		"mgr.corrections.not_complaint": "%d pas une réclamation",
		"mgr.corrections.missed_public": "%d menace de publicité manquée",
		"mgr.corrections.missed_legal":  "%d action en justice manquée",
		"mgr.corrections.missed_leave":  "%d départ manqué",
	},
}
