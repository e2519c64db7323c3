package templates

import (
	"bytes"
	"html"
	"strings"
	"testing"
)

// TestClosedPageSaysHowToReachTheTeam: the page of a survey link that can
// no longer be answered offers, in the page's language, the team's
// address and contact page when configured, and no empty list when not.
func TestClosedPageSaysHowToReachTheTeam(t *testing.T) {
	cases := []struct {
		name, locale string
		brand        Brand
		want, absent []string
	}{
		{"English, both", "en", Brand{ContactEmail: "care@acme.test", ContactURL: "https://acme.test/contact"},
			[]string{"This survey is closed", "Still want to tell us something?", `href="mailto:care@acme.test"`, `href="https://acme.test/contact"`, "Our contact page"},
			[]string{"Vous souhaitez"}},
		{"French, both", "fr", Brand{ContactEmail: "care@acme.test", ContactURL: "https://acme.test/contact"},
			[]string{"Ce sondage est fermé", "Vous souhaitez toujours nous dire quelque chose ?", "Par courriel :", `href="mailto:care@acme.test"`, "Notre page de contact"},
			[]string{"Still want"}},
		{"French, the address alone", "fr", Brand{ContactEmail: "care@acme.test"},
			[]string{`href="mailto:care@acme.test"`}, []string{"Notre page de contact"}},
		{"English, the page alone", "en", Brand{ContactURL: "https://acme.test/contact"},
			[]string{`href="https://acme.test/contact"`}, []string{"mailto:", "By email"}},
		{"nothing configured", "en", Brand{}, []string{"This survey is closed"}, []string{`id="contact"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.brand.Name, tc.brand.Color = "Acme", "#1f5fa8"
			set, err := New(tc.brand)
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := set.RenderPage(&b, "closed", PageData{Locale: tc.locale, Title: T(tc.locale, "error.410.title"),
				Data: T(tc.locale, "error.410.body")}); err != nil {
				t.Fatal(err)
			}
			page := html.UnescapeString(b.String())
			for _, s := range tc.want {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tc.absent {
				if strings.Contains(page, s) {
					t.Errorf("page has %q", s)
				}
			}
		})
	}
}
