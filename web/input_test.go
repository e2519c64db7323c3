package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// TestBadTextIsRefusedOnEveryStoredTextRoute: a NUL byte, another control
// character or bytes that are not UTF-8, in a JSON body, a form, a query
// parameter or the path, are refused with 400 naming the field on every
// route that stores text, never 500 (PostgreSQL's "unsupported Unicode
// escape sequence"), and nothing is stored.
func TestBadTextIsRefusedOnEveryStoredTextRoute(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	link := invite(t, h, customer{ref: "nul", locale: "fr"}, 1)
	cx, cxCSRF := signedIn(t, h, users.CX)
	mk, mkCSRF := signedIn(t, h, users.Marketing)
	mgr, mgrCSRF := signedIn(t, h, users.Manager)
	apiMk, apiCX, apiMgr := h.API(t, users.Marketing), h.API(t, users.CX), h.API(t, users.Manager)
	anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	event := func(name string) string {
		return `{"external_id":"e-1","kind":"delivery","occurred_at":"2026-11-20T14:30:00Z",` +
			`"customer":{"external_ref":"c-1","email":"c1@example.com","name":"` + name + `"}}`
	}
	before := map[string]int{}
	for _, table := range []string{"service_events", "customers", "responses", "campaigns", "surveys", "action_plans", "complaint_events"} {
		before[table] = rows(t, h, table)
	}
	answers := fullAnswers(4, 4)
	answers.Set("comment", "Slow\x00 delivery")
	for _, tc := range []struct {
		name   string
		client *http.Client
		method string
		path   string
		json   string     // a JSON body, or
		form   url.Values // a form
		field  string
	}{
		{"event: customer name", apiMk, "POST", "/api/v1/events", event(`Ann\u0000`), nil, "customer.name"},
		{"event: escape character", apiMk, "POST", "/api/v1/events", event(`Ann\u001b[31m`), nil, "customer.name"},
		{"event: attribute", apiMk, "POST", "/api/v1/events", strings.Replace(event("Ann"), `"kind"`, `"attributes":{"note":"\u0000"},"kind"`, 1), nil, "attributes.note"},
		{"complaint note", apiCX, "POST", "/api/v1/complaints/1/notes", `{"text":"note\u0000"}`, nil, "text"},
		{"complaint resolution", apiCX, "POST", "/api/v1/complaints/1/resolve", `{"summary":"done\u0007"}`, nil, "summary"},
		{"campaign name", apiMk, "POST", "/api/v1/campaigns", `{"name":"Spring\u0000"}`, nil, "name"},
		{"survey name", apiMk, "POST", "/api/v1/surveys", `{"slug":"s","name":"Survey\u0000"}`, nil, "name"},
		{"action plan title", apiMgr, "POST", "/api/v1/action-plans", `{"title":"Fix\u0000"}`, nil, "title"},
		{"complaints filter", apiCX, "GET", "/api/v1/complaints?team=east%00", "", nil, "team"},
		{"complaints filter not UTF-8", apiCX, "GET", "/api/v1/complaints?team=caf%E9", "", nil, "team"},
		{"report filter", apiMgr, "GET", "/api/v1/reports/overview?segment=%00", "", nil, "segment"},
		{"survey slug in the path", apiMk, "GET", "/api/v1/surveys/a%00b", "", nil, "path"},
		{"survey comment", anon, "POST", link, "", answers, "comment"},
		{"survey one-click rating", anon, "GET", link + "?score=%00", "", nil, "score"},
		{"sign-in email", anon, "POST", "/login", "", url.Values{"email": {"a\x00@example.com"}, "password": {"x"}}, "email"},
		{"campaign form", mk, "POST", "/marketing/campaigns", "", url.Values{"csrf": {mkCSRF}, "name": {"Spring\x00"}}, "name"},
		{"complaint page note", cx, "POST", "/cx/complaints/1/note", "", url.Values{"csrf": {cxCSRF}, "text": {"a\x00"}}, "text"},
		{"action plan form", mgr, "POST", "/actions", "", url.Values{"csrf": {mgrCSRF}, "title": {"Fix\x01"}}, "title"},
		{"a form field's name", mgr, "POST", "/actions", "", url.Values{"csrf": {mgrCSRF}, "ti\x00tle": {"Fix"}}, "field name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			target := tc.path
			if strings.HasPrefix(target, "/") {
				target = h.URL + target
			}
			var body io.Reader
			if tc.json != "" {
				body = strings.NewReader(tc.json)
			} else if tc.form != nil {
				body = strings.NewReader(tc.form.Encode())
			}
			req, err := http.NewRequest(tc.method, target, body)
			if err != nil {
				t.Fatal(err)
			}
			if tc.json != "" {
				req.Header.Set("Content-Type", "application/json")
			} else if tc.form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			resp, err := tc.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("%s %s: %d %s, want 400", tc.method, tc.path, resp.StatusCode, b)
			}
			if !strings.Contains(string(b), tc.field) {
				t.Errorf("%s %s: the answer does not name %q: %s", tc.method, tc.path, tc.field, b)
			}
		})
	}
	for table, n := range before {
		if got := rows(t, h, table); got != n {
			t.Errorf("%d rows in %s, %d before: bad text was stored", got, table, n)
		}
	}
}
