package compose

import (
	netmail "net/mail"
	"testing"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/templates"
)

// TestReplySubjectNamesTheComplaintOnce: the complaint's number is in the
// subject of an agent's reply exactly once, whether the agent typed it or
// not, in both languages.
func TestReplySubjectNamesTheComplaintOnce(t *testing.T) {
	tpl, err := templates.New(templates.Brand{Name: "Acme", Color: "#112233"})
	if err != nil {
		t.Fatal(err)
	}
	c := &Composer{Templates: tpl, From: &netmail.Address{Address: "s@acme.test"}}
	cases := []struct {
		locale, typed, want string
	}{
		{"en", "Your request #52", "Your request #52"},
		{"en", "#52: your refund", "#52: your refund"},
		{"en", "Your refund", "Your refund (#52)"},
		{"en", "Your order #520", "Your order #520 (#52)"},
		{"en", "", "About your request #52"},
		{"fr", "Votre demande #52", "Votre demande #52"},
		{"fr", "Votre remboursement", "Votre remboursement (#52)"},
		{"fr", "  ", "Au sujet de votre demande #52"},
	}
	for _, tc := range cases {
		t.Run(tc.locale+" "+tc.typed, func(t *testing.T) {
			m := complaints.Outbound{ID: 3, ComplaintID: 52, Kind: complaints.MessageReply, Subject: tc.typed,
				Body: "We refunded you.", Name: "Zoé", Email: "z@x.test", Locale: tc.locale, TimeZone: "Europe/Paris"}
			msg, err := c.ComplaintMessage(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			if msg.Subject != tc.want {
				t.Errorf("subject %q, want %q", msg.Subject, tc.want)
			}
		})
	}
}
