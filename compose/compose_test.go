package compose

import (
	"context"
	netmail "net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
)

// TestFormsMatchTheTemplates: the precompiled forms must give exactly what
// running the templates gives, for every kind of recipient.
func TestFormsMatchTheTemplates(t *testing.T) {
	s := testenv.NewSchema(t)
	st := surveys.NewStore(s.DB)
	sv, err := st.EnsureDefault(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := templates.New(templates.Brand{Name: "Acme & Fils", Color: "#112233", LogoURL: "https://acme.test/logo.png"})
	signer, _ := surveys.NewSigner([]byte(testenv.Secret))
	base, _ := url.Parse("https://survey.acme.test/base")
	c := &Composer{Templates: tpl, Surveys: st, Links: surveys.Links{Signer: signer, Base: base}, From: &netmail.Address{Address: "s@acme.test"}}
	exp := time.Date(2026, 12, 24, 15, 0, 0, 0, time.UTC)
	for _, name := range []string{"Zoé Tremblay", "", `<script>alert("x")</script> & O'Brien`, "zqzNAME"} {
		for _, locale := range []string{"en", "fr"} {
			for _, reminder := range []int{0, 2} {
				r := Recipient{InvitationID: 7, SurveyVersionID: sv.VersionID, Name: name, Email: "z@x.test", Locale: locale, ExpiresAt: exp, Reminder: reminder}
				got, err := c.Invitation(context.Background(), r)
				if err != nil {
					t.Fatal(err)
				}
				want, err := c.render(sv, r, c.Links.Survey(7, exp), c.Links.Unsubscribe(7, exp))
				if err != nil {
					t.Fatal(err)
				}
				if got.Subject != want.Subject || got.Text != want.Text || got.HTML != want.HTML {
					t.Errorf("name %q %s reminder %d: the form differs from the templates at %s", name, locale, reminder, firstDiff(got.Text+got.HTML, want.Text+want.HTML))
				}
				if strings.Contains(got.Text+got.HTML, "zqz") && !strings.Contains(name, "zqz") {
					t.Errorf("a placeholder leaked: %q", got.Text)
				}
			}
		}
	}
}

func firstDiff(a, b string) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			lo := max(0, i-40)
			return strings.TrimSpace(a[lo:min(len(a), i+40)]) + " vs " + strings.TrimSpace(b[lo:min(len(b), i+40)])
		}
	}
	return "the end"
}

// TestInvitationRepliesComeBackToTheInvitation: with an inbound domain, a
// survey email's Reply-To names its invitation and its envelope sender the
// invitation's bounce address, reminders alike.
func TestInvitationRepliesComeBackToTheInvitation(t *testing.T) {
	s := testenv.NewSchema(t)
	st := surveys.NewStore(s.DB)
	sv, err := st.EnsureDefault(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := templates.New(templates.Brand{Name: "Acme", Color: "#112233"})
	signer, _ := surveys.NewSigner([]byte(testenv.Secret))
	addr, _ := inbound.NewAddresser("reply.acme.test", []byte(testenv.Secret))
	base, _ := url.Parse("https://survey.acme.test")
	c := &Composer{Templates: tpl, Surveys: st, Links: surveys.Links{Signer: signer, Base: base},
		From: &netmail.Address{Name: "Acme", Address: "s@acme.test"}, Inbound: addr}
	for _, reminder := range []int{0, 1} {
		msg, err := c.Invitation(context.Background(), Recipient{InvitationID: 7, SurveyVersionID: sv.VersionID, Email: "z@x.test",
			Locale: "en", ExpiresAt: time.Now().Add(time.Hour), Reminder: reminder})
		if err != nil {
			t.Fatal(err)
		}
		rt, err := netmail.ParseAddress(msg.Headers["Reply-To"])
		if err != nil {
			t.Fatalf("Reply-To %q: %v", msg.Headers["Reply-To"], err)
		}
		if r, err := addr.Verify(rt.Address); err != nil || r != (inbound.Route{Kind: inbound.KindInvitation, ID: 7}) {
			t.Errorf("reminder %d: Reply-To routes to %v (%v), want invitation 7", reminder, r, err)
		}
		if r, err := addr.Verify(msg.EnvelopeFrom); err != nil || r != (inbound.Route{Kind: inbound.KindInvitationBounce, ID: 7}) {
			t.Errorf("reminder %d: envelope sender routes to %v (%v), want invitation 7's bounces", reminder, r, err)
		}
	}
}
