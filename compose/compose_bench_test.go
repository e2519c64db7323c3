package compose_test

import (
	"context"
	"io"
	netmail "net/mail"
	"net/url"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/followup/followup/compose"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
)

func BenchmarkInvitation(b *testing.B) {
	s := testenv.NewSchema(b)
	st := surveys.NewStore(s.DB)
	sv, err := st.EnsureDefault(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	tpl, _ := templates.New(templates.Brand{Name: "Acme", Color: "#112233"})
	signer, _ := surveys.NewSigner([]byte(testenv.Secret))
	base, _ := url.Parse("https://survey.acme.test")
	c := &compose.Composer{Templates: tpl, Surveys: st, Links: surveys.Links{Signer: signer, Base: base}, From: &netmail.Address{Address: "s@acme.test"}}
	r := compose.Recipient{InvitationID: 42, SurveyVersionID: sv.VersionID, Name: "Zoé Tremblay", Email: "z@x.test", Locale: "fr", ExpiresAt: time.Now().Add(720 * time.Hour)}
	b.Run("compose", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := c.Invitation(context.Background(), r); err != nil {
				b.Fatal(err)
			}
		}
	})
	m, _ := c.Invitation(context.Background(), r)
	for _, enc := range []gomail.Encoding{gomail.EncodingQP, gomail.EncodingB64, gomail.NoEncoding} {
		b.Run("mime-"+string(enc), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				msg := gomail.NewMsg(gomail.WithEncoding(enc))
				if err := msg.From("s@acme.test"); err != nil {
					b.Fatal(err)
				}
				if err := msg.AddTo(m.To.Address); err != nil {
					b.Fatal(err)
				}
				msg.Subject(m.Subject)
				msg.SetBodyString(gomail.TypeTextPlain, m.Text)
				msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
				if _, err := msg.WriteTo(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
