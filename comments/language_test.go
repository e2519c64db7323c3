package comments

import "testing"

// TestLanguageTellsOnlyWhatIsClear: a text's language is told from its
// common words when they leave no doubt; a short or mixed text is "".
func TestLanguageTellsOnlyWhatIsClear(t *testing.T) {
	cases := []struct {
		name, text, want string
	}{
		{"English reply", "We will refund the delivery fee by Friday. Sorry for the trouble.", "en"},
		{"French reply", "Nous vous remboursons les frais de livraison d'ici vendredi. Toutes nos excuses.", "fr"},
		{"French without accents", "Je suis desole, nous vous rappelons demain pour fixer une date.", "fr"},
		{"French, English product names", "Votre Smart Home Hub sera remplacé, et le Power Cable aussi, d'ici mardi.", "fr"},
		{"English, a French name", "Dear Zoé de la Tour, we are sending you a new parcel with the invoice today.", "en"},
		{"English, French quoted", "You wrote « pas du tout content »: we are sorry, and we will call you tomorrow.", "en"},
		{"too short", "Merci !", ""},
		{"one word each", "OK, merci, thanks.", ""},
		{"half and half", "We are sorry. Nous sommes désolés pour la gêne. We will call you. Je vous rappelle.", ""},
		{"words of both only", "On m'a dit", ""},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Language(tc.text); got != tc.want {
				t.Errorf("Language(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}
