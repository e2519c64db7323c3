package comments

// entry is one line of the comment lexicon: phrases in one or both
// languages that reveal a signal or a risk. A phrase is words separated by
// spaces, written with or without accents (both are folded); a word ending
// in * matches any word it starts ("avocat*" matches "avocats"). Lang limits
// a phrase that means something else in the other language.
type entry struct {
	kind    SignalKind
	risk    Risk
	lang    string
	phrases []string
	// bit is the class's bit, for the gazetteer's entries.
	bit classSet
}

// lexicon is what followup looks for in comments. Evidence is always the
// customer's own words, so a CX agent can judge a match at a glance.
// Common misspellings are listed beside the words ("disapoint*",
// "innacceptable*", "consomateur"): angry customers type fast.
var lexicon = []entry{
	// Going public: social networks by name, review sites, press.
	{kind: SignalPublic, phrases: []string{
		"facebook", "fb", "instagram", "insta", "twitter", "tweet*", "tiktok", "tik tok", "youtube", "linkedin",
		"reddit", "x com", "bluesky", "threads com", "snapchat", "whatsapp group",
		"trustpilot", "yelp", "tripadvisor", "google review*", "google maps", "avis google", "avis sur google", "pages jaunes", "glassdoor",
		"review site*", "site d avis", "sites d avis",
		"réseaux sociaux", "reseau social", "médias sociaux", "social media", "les médias", "the media",
	}},
	{kind: SignalPublic, lang: "en", phrases: []string{
		"leave a review", "write a review", "bad review", "negative review", "one star", "1 star", "zero stars",
		"the press", "journalist*", "newspaper*", "reporter*", "go public", "going public", "tell everyone",
		"tell everybody", "word of mouth", "warn everyone", "warn others", "post it online", "post this online", "viral",
	}},
	{kind: SignalPublic, lang: "fr", phrases: []string{
		"mauvais avis", "avis négatif", "une étoile", "1 étoile", "zéro étoile", "laisser un avis", "un avis en ligne",
		"la presse", "journaliste*", "journal", "les journaux", "rendre public", "le dire à tout le monde",
		"tout le monde va savoir", "bouche à oreille", "prévenir tout le monde", "mettre en garde", "publier ça", "publie ça",
	}},

	// Legal or regulatory: lawyer, court, consumer protection, ombudsman, chargeback.
	{kind: SignalLegal, phrases: []string{
		"opc", "office de la protection du consom*", "protection du consom*", "consumer protection",
		"ombuds*", "médiateur", "mediateur", "chargeback*", "charge back", "dgccrf", "que choisir", "bbb",
		"better business bureau", "trading standards", "ftc",
	}},
	{kind: SignalLegal, lang: "en", phrases: []string{
		"lawyer*", "attorney*", "solicitor*", "sue", "sue you", "suing", "lawsuit*", "legal action", "take legal",
		"court", "small claims", "class action", "dispute the charge", "dispute the payment", "file a complaint with",
		"report you to", "report this to", "regulator*",
	}},
	{kind: SignalLegal, lang: "fr", phrases: []string{
		"avocat*", "porter plainte", "porte plainte", "porterai plainte", "déposer plainte", "déposer une plainte",
		"poursuite*", "poursuivre en justice", "en justice", "tribunal", "tribunaux", "petites créances",
		"mise en demeure", "recours collectif", "action collective", "médiation", "contester le paiement",
		"contester la transaction", "rétrofacturation", "faire opposition", "opposition bancaire", "signaler à",
	}},

	// Intent to leave. Phrases that hold their own negation ("won't be back")
	// are not undone by it.
	{kind: SignalLeave, lang: "en", phrases: []string{
		"never again", "never coming back", "never come back", "won t be back", "wont be back", "not coming back",
		"never buy", "never order", "never use", "last time i ll", "the last time i will", "cancel my", "close my account", "switch to",
		"switching to", "cancel* my subscription", "cancel* my account", "cancel* my contract", "cancel* my membership",
		"switch* provider*", "switch* supplier*", "go elsewhere", "going elsewhere", "take my business", "competitor*", "lost a customer",
		"lost me as a customer", "find another", "goodbye",
	}},
	{kind: SignalLeave, lang: "fr", phrases: []string{
		"plus jamais", "ne reviendrai plus", "ne reviendrai pas", "c est la dernière fois", "c était la dernière fois", "résilier", "resilie*",
		"fermer mon compte", "annul* mon abonnement", "chang* de fournisseur", "aller voir ailleurs", "vais voir ailleurs",
		"voir ailleurs", "concurrence", "concurrent*", "perdu un client", "perdez un client", "adieu",
	}},

	// Threats (form deviance).
	{kind: SignalThreat, lang: "en", phrases: []string{
		"you ll regret", "you will regret", "you will pay for", "you ll pay for", "make you pay", "watch your back",
		"i know where", "kill", "hurt you", "burn", "smash", "come down there", "beat up",
	}},
	{kind: SignalThreat, lang: "fr", phrases: []string{
		"vous allez le regretter", "vous le regretterez", "vous allez payer", "vous le paierez", "je vais vous faire payer",
		"faire payer", "je sais où", "tuer", "casser la gueule", "péter la gueule", "brûler", "vous allez voir",
		"gare à vous", "faire la peau",
	}},

	// Incivility: insults and swearing (form deviance).
	{kind: SignalIncivility, phrases: []string{
		"idiot*", "imbecile*", "crétin*", "moron*", "débile*", "tabarnak", "tabarnac", "tabarnouche", "câlice", "calisse",
		"criss", "ostie", "osti", "esti", "sacrament",
	}},
	{kind: SignalIncivility, lang: "en", phrases: []string{
		"stupid", "fuck*", "shit*", "bullshit", "asshole*", "bastard*", "dumbass", "jerk*", "clown*", "thieves",
		"crook*", "liars", "shut up", "screw you", "damn you",
	}},
	{kind: SignalIncivility, lang: "fr", phrases: []string{
		"connard*", "connasse*", "con", "cons", "abruti*", "salaud*", "salope*", "enculé*", "putain", "merde*", "marde",
		"ta gueule", "bande de", "bande d", "voleurs", "escroc*", "menteurs", "minable*", "guignol*",
	}},

	// Anger and strong dissatisfaction. Negated praise counts here too
	// ("pas du tout satisfait", "would not recommend"); negated anger does not
	// ("not unhappy", "pas mécontent").
	{kind: SignalAnger, phrases: []string{"inacceptable*", "innacceptable*", "unacceptable", "unnacceptable", "scandal*", "ridicul*", "pathetic", "pathétique"}},
	{kind: SignalAnger, lang: "en", phrases: []string{
		"unhappy", "dissatisfied", "unsatisfied", "disappoint*", "disapoint*", "dissapoint*", "dissappoint*", "furious", "outraged", "outrageous",
		"angry", "disgusted", "disgusting", "disgrace*", "appalling", "awful", "terrible", "horrible", "worst", "useless",
		"fed up", "rip off", "ripoff", "scam*", "shameful", "a joke", "incompetent", "nightmare",
	}},
	{kind: SignalAnger, lang: "fr", phrases: []string{
		"mécontent*", "insatisfait*", "déçu*", "décevant*", "furieu*", "en colère", "enragé*", "dégoûté*", "écoeuré*",
		"honte", "honteu*", "inadmissible", "lamentable*", "nul", "nuls", "pire", "horrible*", "catastroph*",
		"ras le bol", "marre", "arnaque*", "n importe quoi", "cauchemar", "incompétent*", "une blague",
	}},
	{kind: signalPraise, phrases: []string{"satisfied", "satisfait*", "satisfaisant*", "recommand*", "recommend*", "ravi*"}},
	{kind: signalPraise, lang: "en", phrases: []string{"happy", "pleased", "good", "great", "helpful", "professional"}},
	{kind: signalPraise, lang: "fr", phrases: []string{"content", "contente", "bien", "bon", "bonne", "aimable", "professionnel*", "serviable"}},

	// The 13 risks of dissatisfaction, as comments show them.
	{kind: signalRisk, risk: RiskKnowledge, lang: "en", phrases: []string{"incompetent", "mistake*", "error*", "wrong item", "wrong order", "didn t know", "did not know", "clueless", "misinformed", "wrong information"}},
	{kind: signalRisk, risk: RiskKnowledge, lang: "fr", phrases: []string{"incompétent*", "erreur*", "mauvais article", "mauvaise commande", "ne savait pas", "ne savaient pas", "mal informé*", "mauvaise information"}},
	{kind: signalRisk, risk: RiskAttitude, phrases: []string{"arrogant*", "condescend*", "méprisant*", "hautain*"}},
	{kind: signalRisk, risk: RiskAttitude, lang: "en", phrases: []string{"rude", "rudely", "disrespectful", "patronising", "patronizing", "insulted", "yelled", "shouted"}},
	{kind: signalRisk, risk: RiskAttitude, lang: "fr", phrases: []string{"impoli*", "irrespectueu*", "insulté*", "crié", "grossier*", "désagréable*"}},
	{kind: signalRisk, risk: RiskRelational, lang: "en", phrases: []string{"cold", "distant", "indifferent", "uncaring", "robot*", "didn t care", "did not care"}},
	{kind: signalRisk, risk: RiskRelational, lang: "fr", phrases: []string{"froid*", "distant*", "indifférent*", "s en fiche", "s en fout", "s en foutent"}},
	{kind: signalRisk, risk: RiskAccompaniment, lang: "en", phrases: []string{"nobody called", "no one called", "never called", "nobody answers", "no one answers", "nobody answered", "no follow up", "no one followed", "nobody followed", "no response", "no reply", "ignored", "nobody apologised", "nobody apologized"}},
	{kind: signalRisk, risk: RiskAccompaniment, lang: "fr", phrases: []string{"personne ne répond", "personne n a répondu", "personne ne m a rappelé", "jamais rappelé", "pas rappelé", "aucun suivi", "aucune réponse", "ignoré*", "personne ne s est excusé", "laissé tomber"}},
	{kind: signalRisk, risk: RiskPsychological, lang: "en", phrases: []string{"stress*", "anxious", "anxiety", "nervous", "upset", "panic*", "humiliat*"}},
	{kind: signalRisk, risk: RiskPsychological, lang: "fr", phrases: []string{"stress*", "angoiss*", "anxi*", "nerveu*", "bouleversé*", "paniqu*", "humili*"}},
	{kind: signalRisk, risk: RiskCognitive, lang: "en", phrases: []string{"confusing", "confused", "unclear", "complicated", "hard to understand", "impossible to understand", "jargon", "no explanation"}},
	{kind: signalRisk, risk: RiskCognitive, lang: "fr", phrases: []string{"compliqué*", "incompréhensible*", "pas clair", "pas claire", "confus", "jargon", "aucune explication", "difficile à comprendre"}},
	{kind: signalRisk, risk: RiskFinancial, lang: "en", phrases: []string{"refund*", "money", "charged", "overcharged", "fee", "fees", "cost me", "paid twice", "compensation", "invoice"}},
	{kind: signalRisk, risk: RiskFinancial, lang: "fr", phrases: []string{"rembours*", "argent", "facturé*", "frais", "payé deux fois", "coûté", "dédommag*", "facture"}},
	{kind: signalRisk, risk: RiskTemporal, lang: "en", phrases: []string{"late", "delay*", "wait*", "weeks", "took forever", "slow", "on hold", "no idea when", "still waiting"}},
	{kind: signalRisk, risk: RiskTemporal, lang: "fr", phrases: []string{"retard*", "délai*", "ai attendu", "avons attendu", "attente", "attends", "j attends", "semaines", "lent", "lente", "toujours rien", "des heures"}},
	{kind: signalRisk, risk: RiskSensory, lang: "en", phrases: []string{"dirty", "filthy", "smell*", "stink*", "noisy", "noise", "stain*", "disgusting"}},
	{kind: signalRisk, risk: RiskSensory, lang: "fr", phrases: []string{"sale", "sales", "crasseu*", "odeur*", "puant*", "bruyant*", "bruit", "tache*", "taché*"}},
	{kind: signalRisk, risk: RiskSecurity, lang: "en", phrases: []string{"broken", "damaged", "lost", "stolen", "hacked", "unsafe", "dangerous", "injured", "leak*", "scratched"}},
	// "volé" is spelled out, not "volé*", which would read "voleurs" (an
	// accusation, incivility above) as a stolen parcel.
	{kind: signalRisk, risk: RiskSecurity, lang: "fr", phrases: []string{"cassé*", "abîmé*", "endommagé*", "perdu", "perdue", "volé", "volée", "volés", "volées", "piraté*", "dangereu*", "blessé*", "fuite*", "rayé*"}},
	{kind: signalRisk, risk: RiskEthical, phrases: []string{"raciste*", "racist*", "sexist*", "sexiste*", "discrimin*", "stéréotype*", "stereotyp*"}},
	{kind: signalRisk, risk: RiskEthical, lang: "en", phrases: []string{"judged", "prejudice*", "profiled", "unethical", "dishonest"}},
	{kind: signalRisk, risk: RiskEthical, lang: "fr", phrases: []string{"jugé*", "préjugé*", "malhonnête*", "pas éthique"}},
	{kind: signalRisk, risk: RiskSpace, lang: "en", phrases: []string{"crowded", "cramped", "packed", "queue*", "no parking", "no seats", "too small"}},
	{kind: signalRisk, risk: RiskSpace, lang: "fr", phrases: []string{"bondé*", "exigu*", "plein à craquer", "file d attente", "pas de stationnement", "trop petit", "pas de place"}},
	{kind: signalRisk, risk: RiskOperational, lang: "en", phrases: []string{"transferred", "bounced", "paperwork", "bureaucra*", "red tape", "forms", "procedure*", "process was", "department*"}},
	{kind: signalRisk, risk: RiskOperational, lang: "fr", phrases: []string{"transféré*", "renvoyé*", "paperasse*", "bureaucrat*", "formulaire*", "procédure*", "de service en service", "un service à l autre"}},
}
