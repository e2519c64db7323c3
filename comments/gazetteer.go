package comments

// The gazetteer names classes of things a comment can mention: the places
// where a customer goes public, the people and bodies of a legal route, the
// words of leaving and of abuse. The model sees the class ("a regulator",
// "a review site") as well as the words, so a body or a network it never
// saw in training counts like the ones it did. Phrases are written as in
// the lexicon (folded, * for a prefix). The lists cover France, Québec and
// Canada, the UK, Ireland, the USA and Australia.

// Entity classes.
const (
	classChannel   = "channel"   // social networks, forums, messaging groups
	classReview    = "review"    // review sites and apps, stars and ratings
	classMedia     = "media"     // press, TV, radio, consumer shows, journalists
	classCrowd     = "crowd"     // word of mouth at large: everyone, followers, the neighbourhood
	classPublish   = "publish"   // verbs of making public: post, share, publish, expose
	classLawyer    = "lawyer"    // lawyers, bailiffs, legal aid
	classCourt     = "court"     // courts, lawsuits, formal notices
	classRegulator = "regulator" // regulators, ombudsmen, consumer bodies, the police
	classDispute   = "dispute"   // chargebacks and bank disputes
	classComplain  = "complain"  // lodging a formal complaint
	classLeave     = "leave"     // cancelling, closing, switching, competitors
	classInsult    = "insult"    // insults and names aimed at people
	classSwear     = "swear"     // swear words, which may praise as well as abuse
	classYou       = "you"       // the staff or the company addressed or named
	classPraise    = "praise"    // praise words (French; English uses the valence lexicon)
	classBlame     = "blame"     // dissatisfaction words (French; English uses the valence lexicon)
	classIntent    = "intent"    // the future or an intention: will, going to, vais, compte
	classDone      = "done"      // something already done: already, have, déjà, ai
	classIrrealis  = "irrealis"  // what did not or would not happen: was going to, would have, allais, aurais
	classWithdraw  = "withdraw"  // a threat taken back: after all, no need, finalement, plus besoin
	classOther     = "other"     // someone else speaking or acting: my sister, people, les gens
	classSelf      = "self"      // the customer: I, we, je, nous
	classIf        = "if"        // a condition: if, unless, otherwise, si, sinon
	classGood      = "good"      // a fix or a good outcome: resolved, fixed, réglé, merci
)

var gazetteer = []entry{
	{kind: classChannel, phrases: []string{
		"facebook", "fb", "face book", "instagram", "insta", "ig", "twitter", "tweet*", "twiter", "x com", "on x", "sur x", "tiktok", "tik tok",
		"threads", "bluesky", "bsky", "mastodon", "reddit", "subreddit", "r", "linkedin", "linked in", "youtube", "you tube", "snapchat", "snap",
		"pinterest", "whatsapp", "whats app", "telegram", "discord", "nextdoor", "mumsnet", "twitch", "tumblr", "medium", "substack",
		"social media", "social network*", "socials", "réseaux sociaux", "reseau social", "réseau social", "rezo", "médias sociaux", "media sociaux",
		"forum*", "groupe facebook", "facebook group", "community group", "group chat", "groupe whatsapp", "story", "stories", "my feed", "mon fil",
		"online", "en ligne", "internet", "the internet", "le web", "blog*", "vlog*", "podcast*", "video", "vidéo", "influenc*", "viral",
	}},
	{kind: classReview, phrases: []string{
		"review*", "avis", "trustpilot", "trust pilot", "yelp", "tripadvisor", "trip advisor", "google", "google maps", "googl", "feefo",
		"reviews io", "which", "glassdoor", "capterra", "g2", "app store", "appstore", "play store", "google play", "amazon", "booking",
		"airbnb", "uber", "avis vérifiés", "avis verifies", "pagesjaunes", "pages jaunes", "yellow pages", "opinion assurances", "ekomi",
		"trustindex", "judge me", "bbb rating", "star*", "étoile*", "etoile*", "rating*", "rated", "note", "noter", "notation", "1 5", "0 5",
		"zero", "zéro", "one star", "une étoile", "testimonial*", "témoignage*",
	}},
	{kind: classMedia, phrases: []string{
		"press", "presse", "journalist*", "journaliste*", "newspaper*", "journal", "journaux", "reporter*", "media", "médias", "the news", "les nouvelles",
		"tv", "télé", "tele", "télévision", "television", "radio", "news", "marketplace", "cbc", "bbc", "watchdog", "rip off britain",
		"itv", "channel 4", "fox", "abc", "nbc", "cnn", "local paper", "la facture", "j e", "tva", "radio canada", "la presse", "journal de montréal",
		"journal de montreal", "le devoir", "98 5", "protégez vous", "protegez vous", "le parisien", "ouest france", "bfm", "bfmtv", "capital",
		"envoyé spécial", "envoye special", "60 millions", "ça peut vous arriver", "ca peut vous arriver", "rtl", "france 2", "tf1", "m6",
		"que choisir magazine", "consumer show", "columnist", "chroniqueur", "émission", "emission", "editor", "rédaction", "redaction",
	}},
	{kind: classCrowd, phrases: []string{
		"everyone", "everybody", "anyone who", "anybody", "all my friends", "my friends", "my family", "my colleagues", "my coworkers", "the whole",
		"word of mouth", "my followers", "followers", "the neighbourhood", "the neighborhood", "neighbours", "neighbors", "the street", "the village",
		"the office", "others", "other customers", "people", "the public", "world", "tout le monde", "autour de moi", "mes amis", "ma famille",
		"mes collègues", "mes collegues", "mes abonnés", "mes abonnes", "abonnés", "abonnes", "bouche à oreille", "bouche a oreille", "le quartier",
		"tout le quartier", "la rue", "le village", "mon entourage", "entourage", "les gens", "d autres clients", "le monde entier", "la planète",
	}},
	{kind: classPublish, phrases: []string{
		"post*", "share*", "publish*", "expos*", "warn*", "tell", "telling", "told", "spread*", "write about", "writing about", "wrote about",
		"shout*", "name and shame", "call you out", "calling you out", "broadcast*", "upload*", "film*",
		"publi*", "partag*", "dénonc*", "denonc*", "prévenir", "prevenir", "préviens", "previens", "mettre en garde", "raconter", "raconte*",
		"parler", "parlerai", "en parler", "faire savoir", "diffus*", "afficher", "afficherai", "exposer", "balancer", "filmé", "mettre un avis",
		"laisser un avis", "laisserai", "leave a", "leaving a", "left a", "write a", "writing a", "wrote a", "go public", "going public", "went public",
	}},
	{kind: classLawyer, phrases: []string{
		"lawyer*", "attorney*", "solicitor*", "barrister*", "legal counsel", "counsel", "legal aid", "paralegal", "notary", "notaire",
		"avocat*", "avocate*", "huissier*", "commissaire de justice", "juriste*", "protection juridique", "legal team", "legal department",
		"legal advice", "conseil juridique", "aide juridique", "aide juridictionnelle", "law firm", "cabinet d avocat*",
	}},
	{kind: classCourt, phrases: []string{
		"court", "courts", "tribunal*", "small claims", "small claim", "petites créances", "petites creances", "county court", "mcol", "money claim",
		"lawsuit*", "law suit", "sue", "sued", "suing", "sues", "litigation", "class action", "recours collectif", "action collective",
		"action de groupe", "demand letter", "letter before action", "letter before claim", "formal notice", "cease and desist", "mise en demeure",
		"mettre en demeure", "injonction de payer", "juge", "judge", "justice", "en justice", "poursui*", "poursuite*", "procès", "proces",
		"assigner", "assignation", "conciliateur", "conciliateur de justice", "legal action", "legal proceedings", "legal route", "legal",
		"procédure judiciaire", "procedure judiciaire", "tal", "tribunal administratif du logement", "régie du logement", "regie du logement",
	}},
	{kind: classRegulator, phrases: []string{
		"opc", "office de la protection du consom*", "protection du consom*", "consumer protection", "consumer affairs", "consumer association",
		"association de consommateurs", "ombuds*", "médiateur*", "mediateur*", "médiation", "mediation", "mediator", "dgccrf", "signalconso",
		"signal conso", "que choisir", "ufc", "clcv", "60 millions de consommateurs", "acpr", "amf", "arcep", "cnil", "cprst", "ccts", "crtc",
		"régie de l énergie", "regie de l energie", "autorité des marchés financiers", "autorite des marches financiers", "bbb",
		"better business bureau", "ftc", "cfpb", "fcc", "attorney general", "state ag", "ag s office", "ofcom", "ofgem", "ofwat", "fca",
		"financial ombudsman", "fos", "trading standards", "citizens advice", "cma", "asa", "ico", "information commissioner", "obsi",
		"competition bureau", "bureau de la concurrence", "consumer protection bc", "consumer protection ontario", "regulator*", "régulateur*",
		"regulateur*", "authorit*", "autorité*", "autorite*", "watchdog", "police", "gendarmerie", "commissariat", "fraud squad",
		"protégez vous", "protegez vous", "the state", "l état", "government", "gouvernement", "ministère", "ministere", "department of",
		"commission", "commission d accès", "commission d acces", "ccpc", "accc", "fair trading", "cas", "consumer council", "which",
		"energy ombudsman", "médiateur de l énergie", "médiateur des communications", "médiateur de l assurance",
	}},
	{kind: classDispute, phrases: []string{
		"chargeback*", "charge back", "charge*back", "dispute*", "disputing", "contest*", "contester", "conteste*", "contestation",
		"rétrofacturation", "retrofacturation", "opposition", "faire opposition", "my bank", "ma banque", "the bank", "la banque", "my card",
		"ma carte", "credit card company", "card issuer", "visa", "mastercard", "amex", "american express", "paypal", "section 75",
		"stop the payment", "stop payment", "reverse the charge", "reversal", "claim it back", "get my money back through", "bloquer le paiement",
		"litige", "bancaire", "remboursement par ma banque",
	}},
	{kind: classComplain, phrases: []string{
		"file a complaint", "filed a complaint", "filing a complaint", "lodge a complaint", "lodged a complaint", "lodging a complaint",
		"formal complaint", "official complaint", "report you", "reported you", "reporting you", "report this", "reported this", "complaint with",
		"complaint to", "escalate*", "escalating", "plainte", "porter plainte", "porte plainte", "déposer plainte", "deposer plainte",
		"signaler", "signalé", "signale", "signalement", "saisir", "saisi", "saisine", "dénoncer", "denoncer", "écrire à", "ecrire a", "write to",
		"writing to", "wrote to", "report to", "reporting to", "complain to", "complaining to", "complained to",
	}},
	{kind: classLeave, phrases: []string{
		"cancel*", "cancell*", "cancelation", "unsubscrib*", "close my", "closing my", "closed my", "closure", "terminate*", "termination",
		"switch*", "switching", "port my", "porting", "port out", "moving to", "move to", "moved to", "go elsewhere", "going elsewhere",
		"take my business", "taking my business", "competitor*", "another provider", "another company", "another bank", "another supplier",
		"other provider*", "someone else", "last time", "never again", "never use", "never buy", "never order", "never be back", "won t be back",
		"not renew*", "not be renewing", "won t renew", "non renewal", "leaving you", "leaving after", "i m leaving", "we re leaving", "im leaving",
		"leave you", "left you", "left for", "leaving for", "done with", "i m done", "im done", "we re done", "lost a customer", "lost me",
		"ex customer", "former customer", "goodbye", "bye", "see ya", "adios", "i m out", "im out", "shop elsewhere", "look elsewhere",
		"looking elsewhere", "looking around", "shopping around", "résili*", "resili*", "annul*", "désabonn*", "desabonn*", "fermer mon",
		"fermeture", "clôtur*", "clotur*", "changer d", "changer de", "change de", "changé de", "passer chez", "passe chez", "passé chez", "partir",
		"pars", "quitter", "quitte", "ailleurs", "concurren*", "dernière fois", "derniere fois", "plus jamais", "ne reviendrai", "reviendrai plus",
		"perdu un client", "perdez un client", "ancien client", "ancienne cliente", "adieu", "bye bye", "magasin*", "ne renouvel*", "renouvelle pas",
		"renouvellerai pas", "portabilité", "portabilite", "transférer mon", "transferer mon",
	}},
	{kind: classInsult, phrases: []string{
		"idiot*", "imbecile*", "imbécile*", "crétin*", "cretin*", "moron*", "débile*", "debile*", "stupid", "dumb*", "dumbass", "dimwit*", "halfwit*",
		"clown*", "jerk*", "asshole*", "arsehole*", "bastard*", "bitch*", "prick*", "dick", "dickhead*", "twat*", "wanker*", "tosser*", "muppet*",
		"numpty", "useless lot", "scum*", "crook*", "thie*", "liars", "liar", "scammer*", "con artist*", "fraudster*", "clowns", "monkeys",
		"morons", "losers", "loser", "pathetic excuse", "brain dead", "braindead", "incompetent fools", "fools", "shut up", "screw you", "damn you",
		"go to hell", "piss off", "f off", "connard*", "connasse*", "con", "cons", "abruti*", "salaud*", "salope*", "enculé*", "encule*", "ordure*",
		"pourri*", "voleur*", "voleuse*", "escroc*", "arnaqueur*", "menteur*", "menteuse*", "minable*", "guignol*", "branleur*", "tocard*", "bouffon*",
		"incapable*", "nul*", "bande de", "bande d", "gang de", "tas de", "mongol*", "cave", "caves", "twit", "twits", "épais", "epais", "taré*",
		"tare*", "crisse de", "maudit*", "ta gueule", "fermez la", "va chier", "allez chier", "allez vous faire", "crever", "morue", "cochon*",
	}},
	{kind: classSwear, phrases: []string{
		"fuck*", "fck*", "fk", "f ing", "effing", "shit*", "sh t", "bullshit", "crap*", "damn*", "bloody", "hell", "wtf", "omfg", "ffs", "pissed",
		"putain", "ptn", "merde*", "marde", "bordel", "chier", "chiant*", "foutre", "fout*", "tabarnak", "tabarnac", "tabarnouche", "tabarouette",
		"câlice", "calice", "calisse", "câlisse", "criss*", "crisse", "ostie", "osti", "esti", "sacrament", "ciboire", "viarge", "maudit", "mautadit",
		"bon dieu", "purée", "zut", "fichu*",
	}},
	{kind: classYou, phrases: []string{
		"you", "your", "you re", "youre", "ur", "u", "you guys", "you people", "your staff", "your agent*", "your company", "vous", "votre", "vos",
		"tu", "ton", "ta", "tes", "t es", "vous autres", "votre personnel", "vos employés", "vos employes", "staff", "agent*", "employee*", "employé*",
		"employe*", "technician*", "technicien*", "driver", "livreur*", "manager", "gérant*", "gerant*", "conseill*", "advisor*", "adviser*",
		"rep", "reps", "representative*", "the company", "this company", "cette compagnie", "cette entreprise", "cette boîte", "cette boite",
	}},
	{kind: classPraise, lang: "fr", phrases: []string{
		"merci", "bravo", "super", "génial*", "genial*", "excellent*", "parfait*", "top", "au top", "impeccable*", "ravi*", "content*", "contente*",
		"satisfait*", "satisfaite*", "heureux", "heureuse", "agréable*", "agreable*", "aimable*", "gentil*", "sympa*", "efficace*", "rapide*",
		"professionnel*", "pro", "formidable*", "merveilleu*", "magnifique*", "adorable*", "chaleureu*", "courtois*", "compétent*", "competent*",
		"recommande", "recommanderai", "je recommande", "bien", "très bien", "tres bien", "bon", "bonne", "beau", "belle", "nickel", "chapeau",
		"fantastique", "incroyable", "écoeurant", "malade", "débile", "hot", "capote", "capoté", "trippant", "le fun", "correct", "réglé", "regle",
		"résolu", "resolu", "à l écoute", "a l ecoute", "soulagé*", "soulage*", "fier", "fière", "confiance", "fidèle*", "fidele*",
	}},
	{kind: classBlame, lang: "fr", phrases: []string{
		"déçu*", "decu*", "déception", "deception", "mécontent*", "mecontent*", "insatisfait*", "nul", "nulle", "nuls", "lamentable*", "honte*",
		"honteu*", "scandal*", "inadmissible*", "inacceptable*", "ridicul*", "pathétique*", "pathetique*", "catastroph*", "désastr*", "desastr*",
		"galère", "galere", "n importe quoi", "foutre du monde", "fout du monde", "moqu*", "lent*", "long*", "retard*", "attente", "attendu", "attends",
		"jamais", "aucun*", "personne", "rien", "toujours pas", "encore", "pas", "cassé*", "casse", "abîmé*", "abime*", "perdu*", "erreur*", "faute*",
		"problème*", "probleme*", "souci*", "plainte*", "réclamation*", "reclamation*", "bof", "mouais", "moyen*", "passable", "pas terrible",
		"peut mieux faire", "tanné*", "tanne*", "écoeuré*", "ecoeure*", "pas d allure", "niais*", "furieu*", "colère", "colere", "énervé*",
		"enerve*", "fâché*", "fache*", "exaspér*", "exasper*", "marre", "ras le bol", "grrr*", "arnaque*", "vol", "volé", "menti", "mensonge*",
		"impoli*", "désagréable*", "desagreable*", "méprisant*", "meprisant*", "incompétent*", "incompetent*", "bâclé*", "bacle*", "sale", "froid*",
		"injoignable*", "relancé*", "relance*", "rappel*", "aucune nouvelle", "sans nouvelles", "trop cher", "hors de prix", "facturé*", "facture*",
	}},
	{kind: classIntent, phrases: []string{
		"will", "ll", "shall", "going to", "gonna", "goin to", "about to", "intend*", "plan to", "planning to", "plan on", "am going", "m going",
		"i am", "i m", "we are", "we re", "next", "tomorrow", "tonight", "this week", "today", "now", "right now", "soon", "until", "unless",
		"vais", "va", "vas", "allons", "allez", "vont", "compte", "comptons", "j compte", "prévois", "prevois", "demain", "ce soir", "cette semaine",
		"bientôt", "bientot", "maintenant", "dès", "des aujourd hui", "aujourd hui", "prochain*", "sous peu", "tantôt", "tantot",
	}},
	{kind: classDone, phrases: []string{
		"already", "have", "ve", "has", "had", "just", "did", "done", "went", "sent", "filed", "posted", "contacted", "called", "wrote", "left",
		"opened", "started", "submitted", "lodged", "reported", "déjà", "deja", "ai", "avons", "a", "ont", "viens de", "venons de", "fait", "envoyé",
		"envoye", "contacté", "contacte", "appelé", "appele", "écrit", "ecrit", "mis", "publié", "publie", "déposé", "depose", "ouvert", "transmis",
		"saisi", "signalé", "signale",
	}},
	{kind: classIrrealis, phrases: []string{
		"would have", "would ve", "could have", "could ve", "might have", "was going to", "were going to", "was gonna", "were gonna", "was about to",
		"almost", "nearly", "thought about", "thinking about", "considered", "was considering", "had planned", "was planning", "wanted to",
		"was tempted", "tempted", "was ready to", "was this close", "if i were", "if i was", "otherwise i would", "i would", "i d have",
		"allais", "allait", "allions", "aurais", "aurait", "aurions", "failli", "pensé à", "pense a", "pensais", "envisagé", "envisage", "envisageais",
		"voulais", "comptais", "étais sur le point", "etais sur le point", "tenté", "tente", "prêt à", "pret a", "sinon j aurais", "si j avais",
	}},
	{kind: classWithdraw, phrases: []string{
		"after all", "no need", "not necessary", "won t be necessary", "changed my mind", "change my mind", "take it back", "i retract", "withdraw*",
		"no longer", "not anymore", "anymore", "in the end", "eventually", "ended up", "instead", "but you", "but then", "until", "before",
		"finalement", "plus besoin", "pas besoin", "pas nécessaire", "pas necessaire", "au final", "je retire", "retiré", "retire", "plus la peine",
		"pas la peine", "changé d avis", "change d avis", "en fin de compte", "au bout du compte", "avant que", "jusqu à ce que", "jusqu a ce que",
	}},
	{kind: classOther, phrases: []string{
		"my wife", "my husband", "my partner", "my friend", "my friends", "my neighbour", "my neighbor", "my sister", "my brother", "my mum",
		"my mom", "my dad", "my mother", "my father", "my son", "my daughter", "my colleague", "my coworker", "my boss", "my cousin", "my aunt",
		"my uncle", "my kids", "someone", "somebody", "people", "others", "other customers", "reviews", "the reviews", "other reviews", "he", "she",
		"his", "her", "they say", "he said", "she said", "apparently", "rumour", "mon mari", "ma femme", "mon conjoint", "ma conjointe", "mon chum",
		"ma blonde", "mon ami", "mon amie", "mes amis", "mon voisin", "ma voisine", "ma soeur", "ma sœur", "mon frère", "mon frere", "ma mère",
		"ma mere", "mon père", "mon pere", "mon fils", "ma fille", "mon collègue", "mon collegue", "ma collègue", "mon patron", "ma patronne",
		"les gens", "d autres", "les autres", "quelqu un", "il", "elle", "ils", "elles", "on m a dit", "on dit", "les avis", "il paraît", "il parait",
	}},
	{kind: classSelf, phrases: []string{"i", "me", "my", "we", "our", "us", "i m", "i ll", "i ve", "je", "j", "moi", "mon", "ma", "mes", "nous", "notre", "nos", "on"}},
	{kind: classIf, phrases: []string{"if", "unless", "otherwise", "or else", "next time", "one more", "again and", "si", "sinon", "à moins", "a moins", "la prochaine fois", "encore une fois", "une autre fois"}},
	{kind: classGood, phrases: []string{
		"resolved", "sorted", "fixed", "solved", "fixed it", "sorted it", "made it right", "thank you", "thanks", "thankful", "grateful", "appreciate*",
		"réglé", "regle", "résolu", "resolu", "arrangé", "arrange", "merci", "reconnaissant*", "apprécié", "apprecie", "grâce à", "grace a", "thanks to",
	}},
}

var entities = func() phraseIndex {
	for i := range gazetteer {
		gazetteer[i].bit = classOf(string(gazetteer[i].kind)).bit
	}
	return compileLexicon(gazetteer)
}()

// match is a phrase of the gazetteer found in a comment, from token from to
// token to.
type match struct {
	ph       phrase
	from, to int
}

// find returns every phrase of the index found in toks, the longest of each
// kind at each position; phrases of the other language are skipped.
func (idx phraseIndex) find(toks []token, lang string) []match {
	var out []match
	best := map[SignalKind]int{}
	for i, t := range toks {
		if t.brk {
			continue
		}
		clear(best)
		try := func(ph phrase) {
			if ph.e.lang != "" && ph.e.lang != lang {
				return
			}
			end := ph.matchAt(toks, i)
			if end < 0 {
				return
			}
			k := ph.e.kind
			if j, ok := best[k]; ok {
				if end > out[j].to {
					out[j] = match{ph, i, end}
				}
				return
			}
			best[k] = len(out)
			out = append(out, match{ph, i, end})
		}
		for _, ph := range idx.exact[t.norm] {
			try(ph)
		}
		for k := 1; k <= min(stemKey, len(t.norm)); k++ {
			for _, ph := range idx.prefix[t.norm[:k]] {
				try(ph)
			}
		}
	}
	return out
}
