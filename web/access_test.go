package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// signedIn returns a browser-like client signed in as role, and the CSRF
// token of its session.
func signedIn(t *testing.T, h *apptest.Harness, role users.Role) (*http.Client, string) {
	t.Helper()
	u, _ := h.User(t, role)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(h.URL+"/login", url.Values{"email": {u.Email}, "password": {apptest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", role, resp.StatusCode)
	}
	resp, err = c.Get(h.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("no CSRF token on the page for %s", role)
	}
	return c, m[1]
}

// TestEveryRouteIsGuarded checks each route with no credentials (401), the
// wrong role (403) and the right one.
func TestEveryRouteIsGuarded(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	all := []users.Role{users.Marketing, users.CX, users.Manager, users.Admin}
	api := map[users.Role]*http.Client{}
	pages := map[users.Role]*http.Client{}
	csrf := map[users.Role]string{}
	for _, r := range all {
		api[r] = h.API(t, r)
		pages[r], csrf[r] = signedIn(t, h, r)
	}
	// Action plans: what one may change depends on who owns the plan. One
	// owned by the CX agent, and one for each delete route (a manager
	// deletes it, and the admin then finds nothing: 404).
	cxPlan := newPlan(t, h, users.CX)
	plan := func(id int64) string { return fmt.Sprint(id) }
	routes := []struct {
		method, path string
		allowed      []users.Role
	}{
		{"POST", "/api/v1/events", []users.Role{users.Marketing, users.Admin}},
		{"GET", "/api/v1/campaigns", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"POST", "/api/v1/campaigns", []users.Role{users.Marketing, users.Admin}},
		{"POST", "/api/v1/campaigns/1/pause", []users.Role{users.Marketing, users.Admin}},
		{"GET", "/api/v1/campaigns/1", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"PUT", "/api/v1/campaigns/1", []users.Role{users.Marketing, users.Admin}},
		{"GET", "/api/v1/campaigns/1/preview", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/api/v1/campaigns/1/stats", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"POST", "/api/v1/campaigns/1/test-send", []users.Role{users.Marketing, users.Admin}},
		{"GET", "/api/v1/complaints", []users.Role{users.CX, users.Manager, users.Admin}},
		{"GET", "/api/v1/complaints/1", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/api/v1/complaints/1/take", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/api/v1/complaints/1/assign", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/api/v1/complaints/1/notes", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/api/v1/complaints/1/replies", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/api/v1/complaints/1/compensation", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/api/v1/complaints/1/resolve", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/api/v1/complaints/1/reopen", []users.Role{users.CX, users.Manager, users.Admin}},
		{"PUT", "/api/v1/complaints/1/deviance", []users.Role{users.CX, users.Manager, users.Admin}},
		{"GET", "/api/v1/complaints/1/reply-draft", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/api/v1/responses/1/corrections", []users.Role{users.CX, users.Manager, users.Admin}},
		{"GET", "/cx/", []users.Role{users.CX, users.Manager, users.Admin}},
		{"GET", "/cx/complaints/1", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/cx/complaints/1/take", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/cx/complaints/1/resolve", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/cx/complaints/1/assign", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/cx/complaints/1/note", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/cx/complaints/1/reply", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/cx/complaints/1/compensate", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/cx/complaints/1/reopen", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/cx/complaints/1/deviance", []users.Role{users.CX, users.Manager, users.Admin}},
		{"GET", "/cx/replies", []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/cx/responses/1/corrections", []users.Role{users.CX, users.Manager, users.Admin}},
		{"GET", "/metrics", []users.Role{users.Manager, users.Admin}},
		{"GET", "/marketing/campaigns", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/marketing/campaigns/new", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/marketing/campaigns/1", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"POST", "/marketing/campaigns/1/edit", []users.Role{users.Marketing, users.Admin}},
		{"POST", "/marketing/campaigns/1/pause", []users.Role{users.Marketing, users.Admin}},
		{"GET", "/marketing/surveys/service-recovery", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"POST", "/marketing/surveys/service-recovery", []users.Role{users.Marketing, users.Admin}},
		{"GET", "/api/v1/surveys/service-recovery", []users.Role{users.Marketing, users.CX, users.Manager, users.Admin}},
		{"PUT", "/api/v1/surveys/service-recovery", []users.Role{users.Marketing, users.Admin}},
		{"POST", "/marketing/campaigns", []users.Role{users.Marketing, users.Admin}},
		{"POST", "/marketing/campaigns/1/archive", []users.Role{users.Marketing, users.Admin}},
		{"GET", "/api/v1/surveys", []users.Role{users.Marketing, users.CX, users.Manager, users.Admin}},
		{"POST", "/api/v1/surveys", []users.Role{users.Marketing, users.Admin}},
		{"GET", "/marketing/surveys", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"POST", "/marketing/surveys/new", []users.Role{users.Marketing, users.Admin}},
		{"GET", "/api/v1/reports/overview", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/api/v1/reports/risk-trend", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/api/v1/reports/trend", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/api/v1/reports/breakdown", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/api/v1/reports/risks", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/api/v1/reports/complaints", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/api/v1/reports/silent", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/api/v1/reports/reliability", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/api/v1/reports/barometer", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/api/v1/reports/weekly", []users.Role{users.Marketing, users.Manager, users.Admin}},
		{"GET", "/api/v1/action-plans", all},
		{"GET", "/api/v1/action-plans/" + plan(cxPlan), all},
		{"POST", "/api/v1/action-plans", []users.Role{users.Manager, users.Admin}},
		{"PATCH", "/api/v1/action-plans/" + plan(cxPlan), []users.Role{users.CX, users.Manager, users.Admin}},
		{"DELETE", "/api/v1/action-plans/" + plan(newPlan(t, h, users.CX)), []users.Role{users.Manager, users.Admin}},
		{"GET", "/manager/", []users.Role{users.Manager, users.Admin}},
		{"GET", "/manager/export/trend.csv", []users.Role{users.Manager, users.Admin}},
		{"GET", "/manager/report", []users.Role{users.Manager, users.Admin}},
		{"GET", "/manager/report/2026-W47/trend.png", []users.Role{users.Manager, users.Admin}},
		{"GET", "/manager/export/risk-trend.csv", []users.Role{users.Manager, users.Admin}},
		{"GET", "/actions", all},
		{"GET", "/actions/" + plan(cxPlan), all},
		{"POST", "/actions", []users.Role{users.Manager, users.Admin}},
		{"POST", "/actions/" + plan(cxPlan), []users.Role{users.CX, users.Manager, users.Admin}},
		{"POST", "/actions/" + plan(newPlan(t, h, users.CX)) + "/delete", []users.Role{users.Manager, users.Admin}},
		{"GET", "/manager/actions", all}, // the former address, redirected
		{"GET", "/manager/actions/" + plan(cxPlan), all},
		{"GET", "/admin/queues/", []users.Role{users.Admin}},
		{"GET", "/some/future/route", []users.Role{users.Admin}},
	}
	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			isAPI := strings.HasPrefix(rt.path, "/api/") || rt.path == "/metrics"
			do := func(c *http.Client, role users.Role) int {
				form := url.Values{"csrf": {csrf[role]}}
				var body io.Reader
				if rt.method == "POST" || rt.method == "PUT" || rt.method == "PATCH" {
					body = strings.NewReader(form.Encode())
					if isAPI {
						body = strings.NewReader(`{}`)
					}
				}
				req, _ := http.NewRequest(rt.method, h.URL+rt.path, body)
				if rt.method != "GET" && !isAPI {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				resp, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			if got := do(anon, ""); got != http.StatusUnauthorized {
				t.Errorf("without credentials: %d, want 401", got)
			}
			for _, role := range all {
				c := pages[role]
				if isAPI {
					c = api[role]
				}
				got := do(c, role)
				allowed := false
				for _, a := range rt.allowed {
					allowed = allowed || a == role
				}
				if allowed && (got == 401 || got == 403) {
					t.Errorf("%s: %d, want access", role, got)
				}
				if !allowed && got != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", role, got)
				}
			}
		})
	}
	// A page form without its CSRF token is refused, even for the right role.
	req, _ := http.NewRequest("POST", h.URL+"/marketing/campaigns", strings.NewReader("name=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := pages[users.Marketing].Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a form without CSRF token: %d, want 403", resp.StatusCode)
	}
	// The API does not take the session cookie: only tokens.
	resp, err = pages[users.Admin].Get(h.URL + "/api/v1/campaigns")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the API with a session cookie: %d, want 401", resp.StatusCode)
	}
	// Public routes stay public.
	for _, p := range []string{"/healthz", "/login", "/static/app.css"} {
		resp, err := http.Get(h.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}
}
