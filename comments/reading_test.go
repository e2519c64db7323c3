package comments

import (
	"slices"
	"strings"
	"testing"
)

// TestReadingGeneralises reads comments written for this test, none of
// them in the corpus, that break keyword matching: channels and bodies
// named in passing, intent as a noun, facts with no evaluative word,
// withdrawn and past threats, praise that names a review site or a lawyer,
// swearing as enthusiasm, litotes, sarcasm. Ratings sit in the middle, so
// the comment decides alone.
func TestReadingGeneralises(t *testing.T) {
	t.Parallel()
	middle := Ratings{Known: true, Score: 55}
	cases := []struct {
		comment string
		want    []SignalKind // exactly these, anger included when negative
	}{
		{"Expect a thread about this on Bluesky tonight.", []SignalKind{SignalPublic, SignalAnger}},
		{"Everyone at the school gates will be hearing about this.", []SignalKind{SignalPublic, SignalAnger}},
		{"Ce soir, un petit post sur le groupe du quartier pour raconter votre accueil.", []SignalKind{SignalPublic, SignalAnger}},
		{"Toute l'école va entendre parler de vous.", []SignalKind{SignalPublic, SignalAnger}},
		{"Paperwork for the small claims court is filled in and goes out Monday.", []SignalKind{SignalLegal, SignalAnger}},
		{"I've reported this to the Financial Ombudsman Service.", []SignalKind{SignalLegal, SignalAnger}},
		{"Chargeback filed with Amex this morning.", []SignalKind{SignalLegal, SignalAnger}},
		{"Dossier déposé à la Cour des petites créances ce matin.", []SignalKind{SignalLegal, SignalAnger}},
		{"J'ai saisi le médiateur des communications électroniques.", []SignalKind{SignalLegal, SignalAnger}},
		{"Porting my number to another carrier as soon as my contract allows.", []SignalKind{SignalLeave, SignalAnger}},
		{"Account closure requested. Please confirm in writing.", []SignalKind{SignalLeave, SignalAnger}},
		{"Demande de portabilité faite chez un autre opérateur.", []SignalKind{SignalLeave, SignalAnger}},
		{"Your call centre is staffed by absolute muppets.", []SignalKind{SignalIncivility, SignalAnger}},
		{"Delivery window 8-12. Arrived 17:40. No call.", []SignalKind{SignalAnger}},
		{"Livraison prévue entre 8h et 12h. Arrivée à 17h40. Aucun appel.", []SignalKind{SignalAnger}},
		{"I can't say I'm happy with how long it took.", []SignalKind{SignalAnger}},
		{"Je ne peux pas dire que je suis satisfait du délai.", []SignalKind{SignalAnger}},
		{"meh", []SignalKind{SignalAnger}},
		{"bof", []SignalKind{SignalAnger}},
		{"I was going to write a scathing review, but your manager called and sorted it. Thanks.", nil},
		{"J'allais mettre un avis négatif mais le gérant m'a rappelé, tout est réglé.", nil},
		{"Honestly can't complain, everything arrived on time.", nil},
		{"Rien à redire, tout était parfait.", nil},
		{"Bloody brilliant job on the boiler, cheers lads!", nil},
		{"C'était malade en tabarnak, merci la gang!", nil},
		{"The lawyer at my firm recommended your movers, good call.", nil},
		{"Mon avocat m'a recommandé votre agence, très bon conseil.", nil},
		{"Had a look at the Google reviews before booking, they were right, lovely place.", nil},
		{"J'avais lu les avis sur TripAdvisor avant de réserver, ils avaient raison, endroit superbe.", nil},
	}
	for _, tc := range cases {
		var got []SignalKind
		for _, s := range Read(tc.comment, "").Decide(middle) {
			got = append(got, s.Kind)
			if s.Evidence == "" || !strings.Contains(tc.comment, s.Evidence) {
				t.Errorf("%q: %s's evidence %q is not the customer's words", tc.comment, s.Kind, s.Evidence)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: signals %v, want %v", tc.comment, got, tc.want)
		}
	}
}
