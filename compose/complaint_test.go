package compose

import (
	netmail "net/mail"
	"strings"
	"testing"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/inbound"
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

// TestEmailsCarryTheirSignedAddresses: with an inbound domain, a complaint
// email's Reply-To names the complaint (instead of FOLLOWUP_CX_REPLY_TO)
// and its envelope sender names the one message; an invitation's names the
// invitation. Without one, nothing changes.
func TestEmailsCarryTheirSignedAddresses(t *testing.T) {
	tpl, err := templates.New(templates.Brand{Name: "Acme", Color: "#112233"})
	if err != nil {
		t.Fatal(err)
	}
	addr, err := inbound.NewAddresser("reply.acme.test", []byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	m := complaints.Outbound{ID: 3, ComplaintID: 52, Kind: complaints.MessageAcknowledgement, Name: "Zoé", Email: "z@x.test",
		Locale: "fr", TimeZone: "Europe/Paris"}
	care := &netmail.Address{Name: "Care", Address: "care@acme.test"}

	off := &Composer{Templates: tpl, From: &netmail.Address{Name: "Acme", Address: "s@acme.test"}}
	msg, err := off.ComplaintMessage(m, care)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Headers["Reply-To"] != care.String() || msg.EnvelopeFrom != "" {
		t.Errorf("without an inbound domain: Reply-To %q, envelope %q; want the configured reply-to and the sender", msg.Headers["Reply-To"], msg.EnvelopeFrom)
	}

	on := &Composer{Templates: tpl, From: &netmail.Address{Name: "Acme", Address: "s@acme.test"}, Inbound: addr}
	msg, err = on.ComplaintMessage(m, care)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := netmail.ParseAddress(msg.Headers["Reply-To"])
	if err != nil {
		t.Fatalf("Reply-To %q: %v", msg.Headers["Reply-To"], err)
	}
	if r, err := addr.Verify(rt.Address); err != nil || r != (inbound.Route{Kind: inbound.KindComplaint, ID: 52}) || rt.Name != "Acme" {
		t.Errorf("Reply-To %q routes to %v (%v), want complaint 52 under the sender's name", msg.Headers["Reply-To"], r, err)
	}
	if r, err := addr.Verify(msg.EnvelopeFrom); err != nil || r != (inbound.Route{Kind: inbound.KindMessageBounce, ID: 3}) {
		t.Errorf("envelope sender %q routes to %v (%v), want message 3", msg.EnvelopeFrom, r, err)
	}
}
