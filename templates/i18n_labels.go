package templates

func init() { register(labelTexts) }

// labelTexts are the texts of the admins' page of display names and team
// calendars (/admin/labels).
var labelTexts = map[string]map[string]string{
	"en": {
		"labels.title":            "Names and calendars",
		"labels.lead":             "What customers and staff read instead of the codes stored in followup, in French and in English. Leave a name empty to use the built-in name or, for codes nobody named yet, words made from the code. The API keeps the codes.",
		"labels.saved":            "Saved: pages and emails use the new names now (other processes within 30 seconds).",
		"labels.problems":         "Nothing was saved: %d field(s) need a change, shown below.",
		"labels.kind.team":        "Teams",
		"labels.kind.touchpoint":  "Touchpoints",
		"labels.kind.event_kind":  "Event kinds",
		"labels.kind.channel":     "Channels",
		"labels.kind.risk":        "Risks of dissatisfaction",
		"labels.kind.state":       "States",
		"labels.kind.signal":      "Signals in comments",
		"labels.col.code":         "Code",
		"labels.col.fr":           "French name",
		"labels.col.en":           "English name",
		"labels.col.calendar":     "Business calendar",
		"labels.unnamed":          "unnamed",
		"labels.none":             "No code of this kind in the data yet.",
		"labels.calendar.default": "default calendar",
		"labels.calendar.help":    "A team's calendar counts its complaints' deadlines, warnings and the date promised to the customer: fr (Paris, Monday to Friday 09:00–18:00, French public holidays), qc (Montréal, Monday to Friday 09:00–17:00, Québec's holidays), none (wall-clock time), or a preset with changes such as fr;hours=mon-fri 08:30-17:30;closed=2026-12-24;zone=Europe/Paris. Empty: the default calendar (FOLLOWUP_BUSINESS_CALENDAR).",
		"labels.save":             "Save",
	},
	"fr": {
		"labels.title":            "Noms et calendriers",
		"labels.lead":             "Ce que lisent les clients et l'équipe à la place des codes enregistrés dans followup, en français et en anglais. Laissez un nom vide pour reprendre le nom prévu ou, pour un code que personne n'a encore nommé, des mots tirés du code. L'API garde les codes.",
		"labels.saved":            "Enregistré : les pages et les courriels utilisent désormais les nouveaux noms (les autres processus sous 30 secondes).",
		"labels.problems":         "Rien n'a été enregistré : %d champ(s) à corriger, indiqués ci-dessous.",
		"labels.kind.team":        "Équipes",
		"labels.kind.touchpoint":  "Points de contact",
		"labels.kind.event_kind":  "Types d'événements",
		"labels.kind.channel":     "Canaux",
		"labels.kind.risk":        "Risques d'insatisfaction",
		"labels.kind.state":       "États",
		"labels.kind.signal":      "Signaux dans les commentaires",
		"labels.col.code":         "Code",
		"labels.col.fr":           "Nom en français",
		"labels.col.en":           "Nom en anglais",
		"labels.col.calendar":     "Calendrier ouvré",
		"labels.unnamed":          "sans nom",
		"labels.none":             "Aucun code de ce type dans les données pour l'instant.",
		"labels.calendar.default": "calendrier par défaut",
		"labels.calendar.help":    "Le calendrier d'une équipe compte les délais de ses réclamations, les alertes et la date promise au client : fr (Paris, du lundi au vendredi de 9 h à 18 h, jours fériés français), qc (Montréal, du lundi au vendredi de 9 h à 17 h, jours fériés du Québec), none (heures réelles), ou un préréglage modifié comme fr;hours=mon-fri 08:30-17:30;closed=2026-12-24;zone=Europe/Paris. Vide : le calendrier par défaut (FOLLOWUP_BUSINESS_CALENDAR).",
		"labels.save":             "Enregistrer",
	},
}
