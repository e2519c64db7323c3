package comments

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestMatchLexiconSignals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		comment string
		// want lists kind:evidence pairs, in the order reported.
		want []string
	}{
		// Going public, both languages, named networks and review sites.
		{"If this is not fixed this week I will post it on Twitter and leave a review on Google.", []string{"public:Twitter", "public:leave a review"}},
		{"Si ce n'est pas réglé cette semaine, je publie ça sur Facebook.", []string{"public:publie ça", "public:Facebook"}},
		{"Je vais mettre un avis sur TripAdvisor et Google Maps", []string{"public:TripAdvisor", "public:Google Maps"}},
		{"I'll call a journalist at the newspaper", []string{"public:journalist", "public:newspaper"}},
		{"Je vais en parler sur les reseaux sociaux", []string{"public:reseaux sociaux"}},
		// Legal and regulatory, with Québec's OPC and missing accents.
		{"Je porte plainte à l'OPC et j'appelle mon avocat.", []string{"legal:porte plainte", "legal:OPC", "legal:avocat"}},
		{"je vais contacter l'office de la protection du consommateur", []string{"legal:office de la protection du consommateur"}},
		{"My lawyer will hear about this, see you in small claims court.", []string{"legal:lawyer", "legal:small claims", "legal:court"}},
		{"I will do a chargeback with my bank.", []string{"legal:chargeback"}},
		{"Je vais saisir le mediateur", []string{"legal:mediateur"}},
		{"I'm writing to the ombudsman", []string{"legal:ombudsman"}},
		// Intent to leave, including phrases that carry their own negation.
		{"Never again. I'm switching to your competitor.", []string{"leave:Never again", "leave:switching to", "leave:competitor"}},
		{"Je ne reviendrai plus jamais chez vous.", []string{"leave:ne reviendrai plus"}},
		{"Je vais résilier mon abonnement", []string{"leave:résilier"}},
		{"won't be back", []string{"leave:won't be back"}},
		// Form deviance: threats and incivility.
		{"Bande d'incompétents, vous allez le regretter.", []string{"threat:vous allez le regretter", "incivility:Bande d", "anger:incompétents"}},
		{"You people are idiots and you'll regret this", []string{"threat:you'll regret", "incivility:idiots"}},
		{"C'est de la marde tabarnak", []string{"incivility:marde", "incivility:tabarnak"}},
		// "voleurs" is an accusation, not a stolen parcel (see the risks).
		{"Vous êtes des voleurs", []string{"incivility:voleurs"}},
		{"You are thieves", []string{"incivility:thieves"}},
		// Anger and negation.
		{"Je ne suis pas du tout satisfait.", []string{"anger:pas du tout satisfait"}},
		{"Je suis pas du tout satisfaite du service", []string{"anger:pas du tout satisfaite"}},
		{"I am not happy at all", []string{"anger:not happy"}},
		{"I would not recommend you", []string{"anger:not recommend"}},
		{"I don't recommend this company", []string{"anger:t recommend"}},
		{"Totally unacceptable!", []string{"anger:unacceptable"}},
		{"Mecontent et decu", []string{"anger:Mecontent", "anger:decu"}},
		{"C'est inadmissible", []string{"anger:inadmissible"}},
		// French negation closes after the verb: ne … pas, plus, jamais, point.
		{"Je ne recommande pas.", []string{"anger:ne recommande pas"}},
		{"Je ne vous le recommande pas du tout", []string{"anger:ne vous le recommande pas"}},
		{"je ne recommanderai jamais cette entreprise", []string{"anger:ne recommanderai jamais"}},
		{"Je ne suis plus satisfait", []string{"anger:ne suis plus satisfait"}},
		{"je ne suis pas du tout content", []string{"anger:pas du tout content"}},
		{"Le service n'est pas satisfaisant.", []string{"anger:pas satisfaisant"}},
		{"Ce n'est plus satisfaisant", []string{"anger:n'est plus satisfaisant"}},
		{"I would never recommend you", []string{"anger:never recommend"}},
		{"I am no longer satisfied", []string{"anger:no longer satisfied"}},
		// Misspellings and other word forms.
		{"So disapointed, my wife is dissapointed too", []string{"anger:disapointed", "anger:dissapointed"}},
		{"C'est innacceptable", []string{"anger:innacceptable"}},
		{"Je vais écrire à la protection du consomateur", []string{"legal:protection du consomateur"}},
		{"I will write to the ombudsmen", []string{"legal:ombudsmen"}},
		{"I am cancelling my subscription", []string{"leave:cancelling my subscription"}},
		{"I'm canceling my subscription", []string{"leave:canceling my subscription"}},
		{"I cancelled my subscription", []string{"leave:cancelled my subscription"}},
		{"I'm switching providers", []string{"leave:switching providers"}},
		{"I will switch to another provider", []string{"leave:switch to"}},
		{"J'ai changé de fournisseur", []string{"leave:changé de fournisseur"}},
		{"Je vais mettre un avis sur Google", []string{"public:avis sur Google"}},
		{"Un avis Google s'en vient", []string{"public:avis Google"}},
		{"C'est de la marde", []string{"incivility:marde"}},
		// A negation does not cross a sentence: the intent after it stands.
		{"I will post this on Facebook unless you refund me", []string{"public:Facebook"}},
		{"Not fixed. Going to post on Facebook.", []string{"public:Facebook"}},
		{"Nobody answers! Going to post on Facebook", []string{"public:Facebook"}},
		{"Toujours pas de réponse. Avis Google ce soir.", []string{"public:Avis Google"}},
		{"Toujours pas réglé ; mise en demeure demain.", []string{"legal:mise en demeure"}},
		// "pas de", like "no", negates the noun after it only.
		{"Toujours pas de réponse avis Google ce soir", []string{"public:avis Google"}},
		{"Je ne mettrai pas d'avis Google", nil},
		// A negated state is not a negated intent; a negated hesitation confirms it.
		{"Still not fixed going to post on facebook", []string{"public:facebook"}},
		{"I won't hesitate to post this on Facebook", []string{"public:Facebook"}},
		{"Je n'hésiterai pas à porter plainte", []string{"legal:porter plainte"}},
		// What must not raise anything.
		{"I am not unhappy with the result.", nil},
		{"Pas mécontent du tout, merci.", nil},
		{"No problem great service", nil},
		{"Very satisfied, I recommend you.", nil},
		{"Très satisfait, je recommande !", nil},
		{"Delivery was on time and the driver was lovely. Thank you!", nil},
		{"I will not post anything on Facebook, don't worry.", nil},
		{"Je ne vais pas porter plainte, rassurez-vous.", nil},
		{"I am not going to post on facebook", nil},
		{"I won't sue.", nil},
		{"I have not contacted my lawyer", nil},
		{"Je ne vais pas mettre d'avis sur Google", nil},
		{"Je ne résilierai pas mon abonnement", nil},
		{"La livraison était plus rapide que prévu, je recommande.", nil},
		{"Il n'y a rien de plus satisfaisant", nil},
		{"Je ne peux que vous recommander", nil},
		{"Je n'hésiterai pas à vous recommander", nil},
		{"I would not hesitate to recommend you", nil},
		{"I saw the courier, a short wait.", nil},
		{"Le délai était court.", nil}, // "court" is short in French
		{"", nil},
	}
	for _, tc := range cases {
		t.Run(tc.comment, func(t *testing.T) {
			signals, _ := MatchLexicon(tc.comment)
			var got []string
			for _, s := range signals {
				got = append(got, fmt.Sprintf("%s:%s", s.Kind, s.Evidence))
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestMatchLexiconRisks(t *testing.T) {
	t.Parallel()
	cases := []struct {
		comment string
		want    []Risk
	}{
		{"Wrong item delivered, nobody apologised and I am still waiting for my refund.", []Risk{RiskKnowledge, RiskAccompaniment, RiskTemporal, RiskFinancial}},
		{"Le colis est arrivé cassé et personne ne répond.", []Risk{RiskSecurity, RiskAccompaniment}},
		{"Le livreur était impoli et arrogant", []Risk{RiskAttitude}},
		{"The agent was not rude at all", nil},
		{"J'ai été transféré quatre fois, quelle paperasse", []Risk{RiskOperational}},
		{"The store was dirty and crowded", []Risk{RiskSensory, RiskSpace}},
		{"Des frais cachés sur ma facture, incompréhensible", []Risk{RiskFinancial, RiskCognitive}},
		{"I felt judged, honestly a bit racist", []Risk{RiskEthical}},
		{"Tellement stressant, j'étais angoissée", []Risk{RiskPsychological}},
		{"The staff were cold and distant", []Risk{RiskRelational}},
		{"On m'a volé mon colis", []Risk{RiskSecurity}},
		{"Colis volé devant ma porte", []Risk{RiskSecurity}},
		{"My parcel was stolen", []Risk{RiskSecurity}},
		{"Vous êtes des voleurs", nil},
		{"Bande de voleurs et de menteurs", nil},
	}
	for _, tc := range cases {
		t.Run(tc.comment, func(t *testing.T) {
			_, risks := MatchLexicon(tc.comment)
			var got []Risk
			for _, r := range risks {
				got = append(got, r.Risk)
				if r.Source != "comment" || !strings.Contains(strings.ToLower(tc.comment), strings.ToLower(r.Evidence)) {
					t.Errorf("evidence %+v is not the customer's words", r)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLexiconCoversBothLanguagesForEveryRisk(t *testing.T) {
	t.Parallel()
	langs := map[Risk]map[string]bool{}
	for _, e := range lexicon {
		if e.kind != signalRisk {
			continue
		}
		if !IsRisk(e.risk) {
			t.Errorf("lexicon names unknown risk %q", e.risk)
		}
		if langs[e.risk] == nil {
			langs[e.risk] = map[string]bool{}
		}
		if e.lang == "" {
			langs[e.risk]["en"], langs[e.risk]["fr"] = true, true
		}
		langs[e.risk][e.lang] = true
	}
	for _, r := range Risks {
		if !langs[r]["en"] || !langs[r]["fr"] {
			t.Errorf("risk %s is not recognised in comments in both languages: %v", r, langs[r])
		}
	}
}

func BenchmarkMatchLexicon(b *testing.B) {
	comment := "Parcel arrived broken, nobody answers and I am still waiting for my refund. I will post this on Facebook and call my lawyer."
	for b.Loop() {
		MatchLexicon(comment)
	}
}
