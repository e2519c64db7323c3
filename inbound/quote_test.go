package inbound_test

import (
	"testing"

	"github.com/followup/followup/inbound"
)

// TestNewWordsDropTheQuotedOriginal: the forms the big mail clients write
// the quoted original and the signature in, in English and French.
func TestNewWordsDropTheQuotedOriginal(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"gmail en", "Still no refund.\n\nOn Mon, Dec 1, 2026 at 10:00 AM Acme <c42-x@reply.acme.test> wrote:\n> We are sorry.\n", "Still no refund."},
		{"gmail en wrapped", "Still no refund.\n\nOn Mon, Dec 1, 2026 at 10:00 AM Acme Customer Care <\nc42-x@reply.acme.test> wrote:\n\n> We are sorry.", "Still no refund."},
		{"gmail fr", "Toujours pas de remboursement.\n\nLe lun. 1 déc. 2026 à 10:00, Acme <c42-x@reply.acme.test> a écrit :\n> Nous sommes désolés.", "Toujours pas de remboursement."},
		{"gmail fr wrapped", "Merci !\n\nLe lun. 1 déc. 2026 à 10:00, Acme Service Client <\nc42-x@reply.acme.test> a écrit :\n\n> Bonjour", "Merci !"},
		{"apple mail en", "Thanks.\n\nSent from my iPhone\n\n> On 1 Dec 2026, at 10:00, Acme <x@y.test> wrote:\n> \n> Hello", "Thanks."},
		{"apple mail fr", "D'accord.\n\nEnvoyé de mon iPhone\n\n> Le 1 déc. 2026 à 10:00, Acme <x@y.test> a écrit :\n> Bonjour", "D'accord."},
		{"outlook en", "The parcel was damaged.\r\n\r\n________________________________\r\nFrom: Acme <x@y.test>\r\nSent: Monday, December 1, 2026 10:00 AM\r\nTo: Zoé\r\nSubject: Your request #42\r\n\r\nHello", "The parcel was damaged."},
		{"outlook fr", "Le colis était abîmé.\n\n________________________________\nDe : Acme <x@y.test>\nEnvoyé : lundi 1 décembre 2026 10:00\nÀ : Zoé\nObjet : Votre demande #42\n\nBonjour", "Le colis était abîmé."},
		{"outlook original message", "No.\n\n-----Original Message-----\nFrom: Acme\nSent: today\n\nHello", "No."},
		{"outlook message d'origine", "Non.\n\n-----Message d'origine-----\nDe : Acme\nEnvoyé : aujourd'hui", "Non."},
		{"outlook bold headers", "Fine.\n\n*From:* Acme <x@y.test>\n*Sent:* Monday\n*To:* Zoé\n\nHello", "Fine."},
		{"thunderbird en", "I will post it on Facebook.\n\nOn 01/12/2026 10:00, Acme wrote:\n> Hello", "I will post it on Facebook."},
		{"thunderbird fr", "Je vais le dire sur Facebook.\n\nLe 01/12/2026 à 10:00, Acme a écrit :\n> Bonjour", "Je vais le dire sur Facebook."},
		{"signature delimiter", "Call me back.\n-- \nZoé Tremblay\n555-0100", "Call me back."},
		{"outlook mobile", "Ok\n\nGet Outlook for iOS\n________________________________\nFrom: Acme", "Ok"},
		{"inline answers kept", "> Was it delivered?\nNo, never.\n> Was the driver polite?\nNot at all.", "No, never.\nNot at all."},
		{"nothing quoted", "Line one.\nLine two.", "Line one.\nLine two."},
		{"from in prose kept", "From: what I understood, you will call.\nThanks", "From: what I understood, you will call.\nThanks"},
	}
	for _, c := range cases {
		if got := inbound.NewWords(c.in); got != c.want {
			t.Errorf("%s: NewWords = %q, want %q", c.name, got, c.want)
		}
	}
}
