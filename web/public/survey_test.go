package public_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/surveys"
)

func TestSurveyLinksThatCannotBeAnswered(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	id, expires := sentInvitation(t, h, "fr1", "fr")
	good := h.App.Links.Survey(id, expires)
	token := strings.TrimPrefix(good, h.URL+surveys.SurveyPath)
	parts := strings.Split(token, ".")
	otherSigner, _ := surveys.NewSigner([]byte(strings.Repeat("x", 32)))

	cases := []struct {
		name   string
		link   string
		lang   string
		status int
		says   string
	}{
		{"other invitation id", h.URL + surveys.SurveyPath + fmt.Sprint(id+1) + "." + parts[1] + "." + parts[2], "fr-CA,fr;q=0.9", 403, "Ce lien n'est pas valide"},
		{"longer expiry", h.URL + surveys.SurveyPath + parts[0] + "." + fmt.Sprint(expires.Unix()+86400) + "." + parts[2], "en", 403, "This link is not valid"},
		{"truncated", good[:len(good)-5], "en", 403, "This link is not valid"},
		{"garbage", h.URL + surveys.SurveyPath + "hello", "", 403, "This link is not valid"},
		{"signed with another key", h.URL + surveys.SurveyPath + otherSigner.Sign(surveys.PurposeSurvey, id, expires), "en", 403, "not valid"},
		{"unsubscribe token used as survey", h.URL + surveys.SurveyPath + h.App.Signer.Sign(surveys.PurposeUnsubscribe, id, expires), "en", 403, "not valid"},
		{"expired, in the customer's language", h.App.Links.Survey(id, time.Now().Add(-time.Minute)), "en", 410, "Ce sondage est fermé"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, method := range []string{"GET", "POST"} {
				var form url.Values
				if method == "POST" {
					form = fullAnswers(3, 3)
				}
				status, page, _ := fetch(t, method, tc.link, form, map[string]string{"Accept-Language": tc.lang})
				if status != tc.status || !strings.Contains(html.UnescapeString(page), tc.says) {
					t.Errorf("%s: status %d, want %d saying %q: %.300s", method, status, tc.status, tc.says, page)
				}
			}
		})
	}
	if n := rows(t, h, "responses"); n != 0 {
		t.Errorf("refused links stored %d responses", n)
	}

	// A withdrawn invitation: 410 even with a valid link.
	if _, err := h.Schema.DB.Exec(`UPDATE invitations SET state = 'suppressed' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	status, page, _ := fetch(t, "POST", good, fullAnswers(3, 3), nil)
	if status != http.StatusGone || !strings.Contains(html.UnescapeString(page), "Ce sondage est fermé") {
		t.Errorf("withdrawn: %d %.200s", status, page)
	}
	if n := rows(t, h, "responses"); n != 0 {
		t.Errorf("withdrawn invitation stored %d responses", n)
	}
	// Without a reply address, the sender is where answers go: the closed
	// page offers it.
	if !strings.Contains(page, `href="mailto:surveys@followup.localhost"`) {
		t.Errorf("withdrawn: the page offers no way to reach the team: %.800s", page)
	}
}

// TestClosedSurveyOffersAWayToBeHeard: an expired or withdrawn link is not
// a dead end: the page says, in the customer's language (or the one
// chosen), how to reach the team, from the configuration.
func TestClosedSurveyOffersAWayToBeHeard(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}, Env: map[string]string{
		"FOLLOWUP_CX_REPLY_TO": "Service client <care@acme.test>", "FOLLOWUP_CONTACT_URL": "https://acme.test/contact"}})
	fr, _ := sentInvitation(t, h, "closed-fr", "fr")
	en, expires := sentInvitation(t, h, "closed-en", "en")
	if _, err := h.Schema.DB.Exec(`UPDATE invitations SET state = 'suppressed' WHERE id = $1`, en); err != nil {
		t.Fatal(err)
	}
	contact := []string{`href="mailto:care@acme.test"`, `href="https://acme.test/contact"`}
	cases := []struct {
		name, link string
		says       []string
	}{
		{"expired, French", h.App.Links.Survey(fr, time.Now().Add(-time.Minute)),
			append([]string{"Ce sondage est fermé", "Vous souhaitez toujours nous dire quelque chose", "Notre page de contact"}, contact...)},
		{"expired, French customer reading English", h.App.Links.Survey(fr, time.Now().Add(-time.Minute)) + "?lang=en",
			append([]string{"This survey is closed", "Still want to tell us something", "Our contact page"}, contact...)},
		{"withdrawn, English", h.App.Links.Survey(en, expires),
			append([]string{"This survey is closed", "Still want to tell us something", "By email:"}, contact...)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, page, _ := fetch(t, "GET", tc.link, nil, nil)
			page = html.UnescapeString(page)
			if status != http.StatusGone {
				t.Errorf("status %d, want 410", status)
			}
			for _, s := range tc.says {
				if !strings.Contains(page, s) {
					t.Errorf("the page lacks %q: %.800s", s, page)
				}
			}
		})
	}
}

func TestSurveyPageAnswering(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	id, expires := sentInvitation(t, h, "fr1", "fr")
	link := h.App.Links.Survey(id, expires)

	// The one-click rating from the email pre-selects, records nothing.
	status, page, _ := fetch(t, "GET", link+"?score=3", nil, nil)
	if status != 200 || !strings.Contains(page, `name="overall" value="3" checked`) || !strings.Contains(page, "Vous avez choisi 3") {
		t.Fatalf("one-click landing: %d %.500s", status, page)
	}
	if n := rows(t, h, "responses"); n != 0 {
		t.Fatalf("opening a one-click link recorded %d responses", n)
	}
	// The language switch.
	_, page, _ = fetch(t, "GET", link+"?lang=en", nil, nil)
	if !strings.Contains(page, `lang="en"`) || !strings.Contains(page, "Overall, how satisfied") || !strings.Contains(page, "?lang=fr") {
		t.Errorf("language switch to English failed: %.300s", page)
	}

	// A wrong answer: 422, the problem next to its question, nothing typed lost, nothing stored.
	partial := url.Values{"overall": {"4"}, "quick": {"2"}, "comment": {"Livreur <b>en retard</b> & impoli"}, "what_went_wrong": {"delays", "hacked"}, "lang": {"fr"}}
	status, page, _ = fetch(t, "POST", link, partial, nil)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete answers: status %d", status)
	}
	for _, want := range []string{
		"Merci de choisir une des réponses proposées.",      // the unknown option
		`name="overall" value="4" checked`,                  // kept
		`name="quick" value="2" checked`,                    // kept
		`value="delays" checked`,                            // kept
		"Livreur &lt;b&gt;en retard&lt;/b&gt; &amp; impoli", // kept, escaped
		`role="alert"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("error page lacks %q", want)
		}
	}
	if n := rows(t, h, "responses"); n != 0 {
		t.Fatalf("invalid answers stored %d responses", n)
	}

	// A complete answer is stored once; a second submission keeps the first.
	first := fullAnswers(2, 1)
	first.Set("comment", "first")
	status, _, hdr := fetch(t, "POST", link, first, nil)
	if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "/thanks") {
		t.Fatalf("submit: %d %v", status, hdr)
	}
	second := fullAnswers(10, 5)
	second.Set("comment", "second")
	status, _, hdr = fetch(t, "POST", link, second, nil)
	if status != http.StatusSeeOther {
		t.Fatalf("second submit: %d", status)
	}
	status, page, _ = fetch(t, "GET", h.URL+hdr.Get("Location"), nil, nil)
	if status != 200 || !strings.Contains(page, "Merci") {
		t.Errorf("thank-you page again: %d", status)
	}
	var comments []string
	if err := h.Schema.DB.Select(&comments, `SELECT comment FROM responses`); err != nil {
		t.Fatal(err)
	}
	if len(comments) != 1 || comments[0] != "first" {
		t.Errorf("responses %v, want only the first", comments)
	}
	// The link now shows the thank-you page, even a one-click one.
	status, page, _ = fetch(t, "GET", link+"?score=9", nil, nil)
	if status != 200 || !strings.Contains(page, "Vos réponses ont bien été reçues") {
		t.Errorf("answered link: %d %.200s", status, page)
	}
}
