package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

var client = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// sentInvitation records an event for a customer in locale and walks its
// invitation to "sent" the way the worker does, without sending mail.
func sentInvitation(t *testing.T, h *apptest.Harness, ref, locale string) (id int64, expires time.Time) {
	t.Helper()
	ctx := context.Background()
	sv, err := h.App.Surveys.EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.Scheduler.ByName(ctx, "c"); err != nil {
		if _, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{Name: "c", SurveyID: sv.ID, State: scheduler.StateActive, EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen()}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = h.App.Intake.Record(ctx, customers.EventInput{ExternalID: "e-" + ref, Kind: "delivery", OccurredAt: time.Now().Add(-time.Hour),
		Customer: customers.CustomerInput{ExternalRef: ref, Email: ref + "@example.com", Name: "Ann " + ref, Locale: locale}})
	if err != nil {
		t.Fatal(err)
	}
	batch, n, err := h.App.Scheduler.ClaimDue(ctx, time.Now(), 10)
	if err != nil || n != 1 {
		t.Fatalf("claim: %d %v", n, err)
	}
	out, ok, err := h.App.Scheduler.ClaimBatch(ctx, batch, time.Now(), time.Now())
	if err != nil || !ok || len(out) != 1 {
		t.Fatalf("claim batch: %v", err)
	}
	if err := h.App.Scheduler.MarkSent(ctx, []scheduler.Sent{{ID: out[0].ID, MessageID: "m", ExpiresAt: out[0].ExpiresAt}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	return out[0].ID, out[0].ExpiresAt
}

func fetch(t *testing.T, method, link string, form url.Values, header map[string]string) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, link, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func fullAnswers(overall int, agree int) url.Values {
	f := url.Values{"overall": {fmt.Sprint(overall)}}
	for _, q := range surveys.Default().Questions {
		if q.Kind == surveys.Likert5 {
			f.Set(q.Key, fmt.Sprint(agree))
		}
	}
	return f
}

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

	// Missing answers: 422, problems next to their questions, nothing typed lost, nothing stored.
	partial := url.Values{"overall": {"4"}, "quick": {"2"}, "comment": {"Livreur <b>en retard</b> & impoli"}, "what_went_wrong": {"delays", "hacked"}, "lang": {"fr"}}
	status, page, _ = fetch(t, "POST", link, partial, nil)
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete answers: status %d", status)
	}
	for _, want := range []string{
		"Merci de répondre à cette question.",               // required items
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
