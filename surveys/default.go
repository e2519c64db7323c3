package surveys

// DefaultSlug is the slug of the built-in service-recovery questionnaire.
const DefaultSlug = "service-recovery"

// Default returns the built-in questionnaire, in English and French: an
// overall 0–10 rating (the one-click row of the email, and the NPS-style
// item), three or four Likert items per dimension of justice in the spirit of
// the service-recovery literature (some reverse-scored), a "what went wrong"
// choice mapped to the 13 risks of dissatisfaction, and a comment box.
func Default() Survey {
	agree := func(key string, d Dimension, reverse bool, en, fr string) Question {
		// Encouraged, not required: a customer who only rates and comments
		// is heard (see README, The survey page).
		return Question{Key: key, Kind: Likert5, Dimension: d, Reverse: reverse, Text: Localized{"en": en, "fr": fr}}
	}
	opt := func(key string, risk Risk, en, fr string) Option {
		return Option{Key: key, Risk: string(risk), Label: Localized{"en": en, "fr": fr}}
	}
	return Survey{
		Slug: DefaultSlug,
		Name: "Service recovery follow-up",
		Thresholds: Thresholds{
			Distributive: DefaultThreshold, Procedural: DefaultThreshold, Interactional: DefaultThreshold, Overall: DefaultThreshold,
		},
		Questions: []Question{
			{Key: "overall", Kind: Rating10, Dimension: Overall, Required: true, Text: Localized{
				"en": "Overall, how satisfied are you with the service you received?",
				"fr": "Dans l'ensemble, êtes-vous satisfait du service reçu ?",
			}},
			agree("fair_outcome", Distributive, false,
				"The outcome I received was fair.",
				"Le résultat que j'ai obtenu était juste."),
			agree("deserved", Distributive, false,
				"I got what I deserved.",
				"J'ai obtenu ce que je méritais."),
			agree("put_right", Distributive, false,
				"Any problem was put right (refund, replacement or compensation).",
				"Tout problème a été réparé (remboursement, remplacement ou dédommagement)."),
			agree("lost_out", Distributive, true,
				"In the end, I lost out.",
				"Au bout du compte, j'ai été perdant."),
			agree("quick", Procedural, false,
				"My request was handled quickly.",
				"Ma demande a été traitée rapidement."),
			agree("flexible", Procedural, false,
				"The company was flexible in meeting my needs.",
				"L'entreprise a fait preuve de souplesse pour répondre à mes besoins."),
			agree("reach", Procedural, false,
				"It was easy to reach the right person.",
				"Il a été facile de joindre la bonne personne."),
			agree("bounced", Procedural, true,
				"I was bounced from one department to another.",
				"J'ai été renvoyé d'un service à l'autre."),
			agree("courtesy", Interactional, false,
				"I was treated with courtesy and respect.",
				"J'ai été traité avec courtoisie et respect."),
			agree("empathy", Interactional, false,
				"The staff showed real concern for my problem.",
				"Le personnel s'est réellement soucié de mon problème."),
			agree("honesty", Interactional, false,
				"I was given honest explanations.",
				"On m'a donné des explications honnêtes."),
			{Key: "what_went_wrong", Kind: Multi, Dimension: NoDimension, Text: Localized{
				"en": "What went wrong, if anything?",
				"fr": "Qu'est-ce qui n'a pas fonctionné, le cas échéant ?",
			}, Options: []Option{
				opt("nothing", "", "Nothing, all went well", "Rien, tout s'est bien passé"),
				opt("mistakes", RiskKnowledge, "Staff lacked knowledge or made mistakes", "Le personnel manquait de connaissances ou a fait des erreurs"),
				opt("arrogance", RiskAttitude, "Staff were arrogant or condescending", "Le personnel était arrogant ou condescendant"),
				opt("coldness", RiskRelational, "Staff were distant or cold", "Le personnel était distant ou froid"),
				opt("no_follow_up", RiskAccompaniment, "Nobody took the time or followed up", "Personne n'a pris le temps ni assuré de suivi"),
				opt("stress", RiskPsychological, "The experience was stressful", "L'expérience a été stressante"),
				opt("confusing", RiskCognitive, "Things were hard to understand", "Les choses étaient difficiles à comprendre"),
				opt("money", RiskFinancial, "It cost me money", "Cela m'a coûté de l'argent"),
				opt("delays", RiskTemporal, "It took too long, or I had no idea when it would be done", "C'était trop long, ou je ne savais pas quand ce serait fait"),
				opt("unpleasant", RiskSensory, "Something was dirty, noisy or unpleasant", "Quelque chose était sale, bruyant ou désagréable"),
				opt("damage", RiskSecurity, "Something was damaged, lost or unsafe", "Quelque chose a été endommagé, perdu ou n'était pas sûr"),
				opt("judged", RiskEthical, "I felt judged or stereotyped", "Je me suis senti jugé ou catalogué"),
				opt("place", RiskSpace, "The place was crowded or unsuitable", "Le lieu était bondé ou inadapté"),
				opt("red_tape", RiskOperational, "The process was heavy or bureaucratic", "Le processus était lourd ou bureaucratique"),
			}},
			{Key: "comment", Kind: Text, Dimension: NoDimension, Text: Localized{
				"en": "Anything else you would like to tell us?",
				"fr": "Souhaitez-vous nous dire autre chose ?",
			}},
		},
	}
}
