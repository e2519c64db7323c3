package complaints

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestCheckReply(t *testing.T) {
	codes := func(ws []Warning) []string {
		var out []string
		for _, w := range ws {
			out = append(out, w.Code)
		}
		return out
	}
	cases := []struct {
		name, body string
		want       []string
	}{
		{"concrete, English", "We will refund the 40 € delivery fee by Friday.", nil},
		{"concrete, French", "Je vous rembourse les frais de livraison d'ici 48 heures.", nil},
		{"French, no accents, a date", "Nous remplacons l'appareil, livraison le 12/12.", nil},
		{"a time of day", "A technician will call you tomorrow at 10am.", nil},
		{"French hour", "Notre technicien passe vous voir jeudi à 14h30.", nil},
		{"within days", "We are sending a replacement within 3 business days.", nil},
		{"empathy only", "We are very sorry for the trouble and we value you as a customer.", []string{WarnNoAction, WarnNoDate}},
		{"action without date", "We will refund the delivery fee.", []string{WarnNoDate}},
		{"date without action", "I will get back to you on Monday.", []string{WarnNoAction}},
		{"template left as is", "Here is what I am doing now: [the concrete action], by [date].", []string{WarnPlaceholder, WarnNoAction, WarnNoDate}},
		{"brackets filled but one left", "We refund you by Monday. [What this changes for you.]", []string{WarnPlaceholder}},
		{"French excuses only", "Nous sommes désolés, votre satisfaction compte pour nous.", []string{WarnNoAction, WarnNoDate}},
		// Mentioning the delivery, the call or the fix is not doing it.
		{"mentions the delivery", "Sorry about your delivery, we'll get back to you Monday.", []string{WarnNoAction}},
		{"mentions the delivery, French", "Désolés pour votre livraison, nous revenons vers vous lundi.", []string{WarnNoAction}},
		{"mentions the shipping", "Sorry about the shipping delay, we will get back to you Monday.", []string{WarnNoAction}},
		{"mentions the call", "Thank you for your call, we will get back to you tomorrow.", []string{WarnNoAction}},
		{"mentions the call, French", "Merci pour votre appel téléphonique, nous revenons vers vous demain.", []string{WarnNoAction}},
		{"says what was not fixed", "Sorry the invoice was not fixed, we will look into it by Friday.", []string{WarnNoAction}},
		{"deliver a new parcel", "We will deliver a new parcel on Friday.", nil},
		{"deliver, curly apostrophe", "We’ll deliver a new parcel on Friday.", nil},
		{"deliver, French future", "Nous vous livrerons un nouveau colis vendredi.", nil},
		{"delivered, French passive", "Votre colis sera livré vendredi.", nil},
		{"a new delivery, French", "Nous organisons une nouvelle livraison vendredi.", nil},
		{"redelivered", "Your parcel will be redelivered on Friday.", nil},
		{"call back", "I will call you back tomorrow.", nil},
		{"call back, French", "Je vous appellerai demain.", nil},
		{"give a call", "I'll give you a call tomorrow.", nil},
		{"fixed", "We fixed the invoice today.", nil},
		{"a new appointment, French", "Nous fixons un nouveau rendez-vous mardi.", nil},
		// Words that name an action only in some forms.
		{"thanks for the visit, French", "Merci de votre visite, nous revenons vers vous lundi.", []string{WarnNoAction}},
		{"sorry to have, French", "Désolée d'avoir tardé, nous revenons vers vous lundi.", []string{WarnNoAction}},
		{"a handing-over, French", "Je suis désolé pour la remise tardive, je reviens vers vous lundi.", []string{WarnNoAction}},
		{"collecting feedback", "We collect your feedback and will get back to you on Monday.", []string{WarnNoAction}},
		{"a credit note, French", "Nous vous accordons un avoir de 30 € valable dès aujourd'hui.", nil},
		{"a discount, French", "Nous vous offrons une remise de 20 % sur votre prochaine commande, dès demain.", nil},
		{"a technician's visit, French", "Nous organisons la visite d'un technicien jeudi.", nil},
		{"we will collect it", "A courier will collect the broken parcel on Tuesday.", nil},
		{"a visit", "Our engineer will pay you a visit on Tuesday.", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := codes(CheckReply(tc.body, "")); !slices.Equal(got, tc.want) {
				t.Errorf("CheckReply(%q) = %v, want %v", tc.body, got, tc.want)
			}
		})
	}
}

// TestCheckReplyWarnsOfTheWrongLanguage: a reply in French to a customer
// who reads English, or the reverse, is warned about; a reply in the
// customer's language, one too short to tell, or a customer whose
// language is not known, is not.
func TestCheckReplyWarnsOfTheWrongLanguage(t *testing.T) {
	draft := func(locale string) string {
		b, err := os.ReadFile("../templates/drafts/reply." + locale + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	const en = "We will refund the delivery fee by Friday. Sorry for the trouble."
	const fr = "Nous vous remboursons les frais de livraison d'ici vendredi. Toutes nos excuses."
	cases := []struct {
		name, body, locale string
		want               string // the warning's message, "" for none
	}{
		{"English to English", en, "en", ""},
		{"French to French", fr, "fr", ""},
		{"French to English", fr, "en", "The reply is in French but the customer reads English"},
		{"English to French", en, "fr", "The reply is in English but the customer reads French"},
		{"the English draft to French", draft("en"), "fr", "in English but the customer reads French"},
		{"the French draft to English", draft("fr"), "en", "in French but the customer reads English"},
		{"the French draft to French", draft("fr"), "fr", ""},
		{"the English draft to English", draft("en"), "en", ""},
		{"too short to tell", "Refund sent today, merci.", "fr", ""},
		{"language unknown", fr, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			for _, w := range CheckReply(tc.body, tc.locale) {
				if w.Code == WarnLanguage {
					got = w.Message
				}
			}
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("language warning %q, want %q", got, tc.want)
			}
		})
	}
}
