package templates

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestInvitationEmailInBothLocales(t *testing.T) {
	set, err := New(Brand{Name: "Acme & Co", Color: "#aa0000"})
	if err != nil {
		t.Fatal(err)
	}
	data := Invitation{Name: `Zoé <script>alert(1)</script>`, Question: "Overall?", SurveyURL: "https://x.test/s/tok",
		Ratings: []RatingLink{{0, "https://x.test/s/tok?score=0"}, {10, "https://x.test/s/tok?score=10"}},
	}
	cases := []struct {
		locale, subject, greeting, expires string
	}{
		{"en", "Acme & Co: how did we do?", "Hello Zoé", "December 6, 2026"},
		{"fr", "Acme & Co : comment cela s'est-il passé ?", "Bonjour Zoé", "6 décembre 2026"},
		{"de", "Acme & Co: how did we do?", "Hello Zoé", "December 6, 2026"}, // falls back to English
	}
	for _, tc := range cases {
		t.Run(tc.locale, func(t *testing.T) {
			data.ExpiresOn = FormatDate(tc.locale, time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC))
			e, err := set.RenderEmail("invitation", tc.locale, data)
			if err != nil {
				t.Fatal(err)
			}
			if e.Subject != tc.subject {
				t.Errorf("subject %q, want %q", e.Subject, tc.subject)
			}
			if e.Preheader == "" || strings.Contains(e.Subject, "\n") {
				t.Errorf("preheader %q subject %q", e.Preheader, e.Subject)
			}
			if !strings.Contains(e.HTML, `href="https://x.test/s/tok?score=10"`) {
				t.Errorf("the HTML part lacks the one-click rating row")
			}
			for _, part := range []string{e.Text, e.HTML} {
				if !strings.Contains(part, "https://x.test/s/tok") || !strings.Contains(part, tc.expires) {
					t.Errorf("part lacks the survey link or the expiry %q: %s", tc.expires, part)
				}
			}
			if !strings.Contains(e.Text, tc.greeting) {
				t.Errorf("text lacks %q", tc.greeting)
			}
			if strings.Contains(e.HTML, "<script>") || !strings.Contains(e.HTML, "&lt;script&gt;") {
				t.Errorf("the customer's name must be escaped in HTML")
			}
			if !strings.Contains(e.HTML, "#aa0000") || !strings.Contains(e.HTML, "Acme &amp; Co") {
				t.Errorf("branding missing from HTML")
			}
		})
	}
}

func TestPagesRender(t *testing.T) {
	set, err := New(Brand{Name: "Acme", Color: "#1f5fa8"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := set.RenderPage(&b, "message", PageData{Locale: "fr", Title: T("fr", "error.410.title"), Data: T("fr", "error.410.body"), AltLocaleURL: "/x?lang=en"}); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{`<html lang="fr">`, "Ce sondage est fermé", `href="/x?lang=en"`, "English"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestBrandColoursOnButtons: the buttons of every customer email take the
// accent colour and the text colour set for it (white when unset).
func TestBrandColoursOnButtons(t *testing.T) {
	for _, tc := range []struct {
		brand Brand
		want  string
	}{
		{Brand{Name: "Acme", Color: "#f2b705", TextColor: "#000000"}, "background:#f2b705;color:#000000;"},
		{Brand{Name: "Acme", Color: "#1f5fa8"}, "background:#1f5fa8;color:#ffffff;"},
	} {
		set, err := New(tc.brand)
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{"invitation", "reminder", "recovery"} {
			e, err := set.RenderEmail(kind, "fr", Invitation{Question: "?", SurveyURL: "https://x.test/s/t"})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(e.HTML, tc.want) {
				t.Errorf("%s with %+v: the button lacks %q", kind, tc.brand, tc.want)
			}
		}
	}
}
