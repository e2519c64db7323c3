package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// access is what a family of routes, by method and path, lets each role
// do: the roles the router must declare for each of its routes and, where
// a handler narrows them further (action plans: see planManagers), the
// roles that get through in the end.
type access struct {
	write  bool // POST, PUT, PATCH, DELETE; else GET (or any method)
	prefix string
	roles  []users.Role // declared on the route, besides admins
	// narrowed, when set, is who gets through once the handler has
	// looked at the plan (owned by the CX agent).
	narrowed []users.Role
	exact    bool // the path is prefix, not a path under it
}

// TestEveryRouteIsGuarded reads the router's routes and checks each route's
// declared rule against the expectations of its family, then requests it
// with no credentials (401), the wrong role (403) and the right one.
func TestEveryRouteIsGuarded(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	all := []users.Role{users.Marketing, users.CX, users.Manager, users.Admin}
	var (
		marketing    = []users.Role{users.Marketing}
		marketingMgr = []users.Role{users.Marketing, users.Manager}
		surveyRead   = []users.Role{users.Marketing, users.CX, users.Manager}
		cx           = []users.Role{users.CX, users.Manager}
		managers     = []users.Role{users.Manager}
		staff        = []users.Role{users.Marketing, users.CX, users.Manager}
		admins       = []users.Role{}
	)
	// The families, most specific first. Every route the router declares
	// must fall in one, and every family must have a route.
	families := []access{
		{write: true, prefix: "/api/v1/events", roles: marketing},
		{prefix: "/api/v1/campaigns", roles: marketingMgr},
		{write: true, prefix: "POST /api/v1/campaigns/{id}/resend-failed", roles: admins},
		{write: true, prefix: "/api/v1/campaigns", roles: marketing},
		{prefix: "/api/v1/surveys", roles: surveyRead},
		{write: true, prefix: "/api/v1/surveys", roles: marketing},
		{prefix: "/api/v1/complaints", roles: cx},
		{write: true, prefix: "/api/v1/complaints", roles: cx},
		{write: true, prefix: "/api/v1/responses", roles: cx},
		{prefix: "/api/v1/reports/scorecard", roles: managers}, // it scores people
		{prefix: "/api/v1/compensation", roles: managers},
		{write: true, prefix: "/api/v1/compensation", roles: managers},
		{prefix: "/api/v1/reports", roles: marketingMgr},
		{prefix: "/api/v1/action-plans", roles: staff},
		{write: true, prefix: "/api/v1/action-plans", exact: true, roles: staff, narrowed: managers}, // create
		{write: true, prefix: "PATCH /api/v1/action-plans/", roles: staff, narrowed: cx},             // the owner's change
		{write: true, prefix: "DELETE /api/v1/action-plans/", roles: staff, narrowed: managers},      // delete
		{prefix: "/metrics", roles: managers},
		{prefix: "/marketing/", roles: marketingMgr},
		{write: true, prefix: "POST /marketing/campaigns/{id}/resend-failed", roles: admins},
		{write: true, prefix: "/marketing/", roles: marketing},
		{prefix: "/cx/", roles: cx},
		{write: true, prefix: "/cx/", roles: cx},
		{prefix: "/actions", roles: staff},
		{write: true, prefix: "/actions", exact: true, roles: staff, narrowed: managers},                  // create
		{write: true, prefix: "POST /actions/{id}/delete", exact: true, roles: staff, narrowed: managers}, // delete
		{write: true, prefix: "/actions/", roles: staff, narrowed: cx},                                    // the owner's change
		{prefix: "/manager/actions", roles: staff},                                                        // the former address, redirected
		{prefix: "/manager/", roles: managers},
		{write: true, prefix: "/manager/", roles: managers},
		{write: true, prefix: "/account/", roles: staff}, // the person's own settings (language)
		{prefix: "/admin/queues/", roles: admins},
		{prefix: "/admin/labels", roles: admins},
		{write: true, prefix: "/admin/labels", roles: admins},
		{prefix: "/api/v1/inbound", roles: admins},
		{prefix: "GET /api/v1/customers/{id}/export", roles: admins}, // the whole file of a person
		{prefix: "/api/v1/customers", roles: cx},
		{write: true, prefix: "DELETE /api/v1/customers/", roles: admins}, // erase
		{prefix: "/api/v1/audit", roles: admins},
		{write: true, prefix: "/api/v1/inbound", roles: admins},
		{prefix: "/admin/inbound", roles: admins},
		{write: true, prefix: "/admin/inbound", roles: admins},
		{prefix: "/", exact: true, roles: staff},
	}
	// familyOf finds the family of a request (method, concrete path) or
	// of a route (pattern).
	familyOf := func(method, path, pattern string) (int, bool) {
		write := method != "" && method != "GET"
		for i, f := range families {
			if f.write != write {
				continue
			}
			p := f.prefix
			if m, rest, ok := strings.Cut(p, " "); ok {
				if m != method {
					continue
				}
				p = rest
				if strings.Contains(p, "{") {
					if pattern != "" && strings.TrimPrefix(pattern, method+" ") == p {
						return i, true
					}
					if pattern == "" && strings.HasSuffix(path, "/delete") == strings.HasSuffix(p, "/delete") && strings.HasPrefix(path, strings.Split(p, "{")[0]) {
						return i, true
					}
					continue
				}
			}
			if f.exact && path == p || !f.exact && strings.HasPrefix(path, p) {
				return i, true
			}
		}
		return 0, false
	}

	routes := h.App.WebServer(app.Extras{}).Routes()
	if len(routes) < 70 {
		t.Fatalf("the router lists %d routes; expected every route of the site", len(routes))
	}
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
	cxPlan := fmt.Sprint(newPlan(t, h, users.CX))
	// Values of the path wildcards; {action} takes each action its
	// handler knows, so every action is checked.
	values := map[string][]string{
		"id": {"1"}, "slug": {"service-recovery"}, "version": {"1"}, "week": {"2026-W47"}, "file": {"trend.png"},
		"name":  {"trend.csv", "risk-trend.csv"},
		"token": {"not-a-signed-link"},
		"grant": {"1"}, "decision": {"approve", "refuse"}, "aid": {"1"},
	}
	actions := map[string][]string{
		"/api/v1/campaigns/": {"pause", "test-send"},
		"/marketing/":        {"pause", "archive"},
		"/cx/":               {"take", "resolve", "assign", "note", "reply", "compensate", "reopen", "deviance"},
	}
	type request struct {
		method, path string
		route        web.Route
	}
	var reqs []request
	seen := map[int]bool{}
	for _, rt := range routes {
		method, pattern, ok := strings.Cut(rt.Pattern, " ")
		if !ok {
			method, pattern = "", rt.Pattern
		}
		paths := []string{pattern}
		for strings.Contains(paths[0], "{") {
			var next []string
			for _, p := range paths {
				i, j := strings.Index(p, "{"), strings.Index(p, "}")
				name := strings.TrimSuffix(p[i+1:j], "...")
				vals := values[name]
				if strings.HasPrefix(pattern, "/api/v1/action-plans/") || strings.HasPrefix(pattern, "/actions/") {
					vals = []string{cxPlan}
				}
				if name == "action" {
					for pre, a := range actions {
						if strings.HasPrefix(pattern, pre) {
							vals = a
						}
					}
				}
				if name == "$" {
					vals = []string{""}
				}
				if vals == nil {
					t.Fatalf("%s: no value for {%s}", rt.Pattern, name)
				}
				for _, v := range vals {
					next = append(next, p[:i]+v+p[j+1:])
				}
			}
			paths = next
		}
		if pattern == "/manager/actions/" {
			paths = []string{pattern + cxPlan}
		}
		for _, path := range paths {
			if rt.Public {
				reqs = append(reqs, request{method, path, rt})
				continue
			}
			fam, ok := familyOf(method, path, rt.Pattern)
			if !ok {
				t.Errorf("%s: no family of routes expects this route; add it to the test's families", rt.Pattern)
				continue
			}
			seen[fam] = true
			if want := families[fam].roles; !slices.Equal(rt.Roles, want) {
				t.Errorf("%s declares roles %v, its family %q expects %v", rt.Pattern, rt.Roles, families[fam].prefix, want)
			}
			if families[fam].narrowed != nil && (method == "DELETE" || strings.HasSuffix(path, "/delete")) {
				// A plan of its own, deleted by the manager.
				segs := strings.Split(path, "/")
				segs[slices.Index(segs, cxPlan)] = fmt.Sprint(newPlan(t, h, users.CX))
				path = strings.Join(segs, "/")
			}
			reqs = append(reqs, request{method, path, rt})
		}
	}
	for i, f := range families {
		if !seen[i] {
			t.Errorf("no route of the router is in the family %v %q", f.write, f.prefix)
		}
	}
	// A route no one has given a rule: admins only.
	reqs = append(reqs, request{"GET", "/some/future/route", web.Route{}})

	for _, rq := range reqs {
		if rq.method == "" {
			rq.method = "GET"
		}
		allowed := append([]users.Role{users.Admin}, rq.route.Roles...)
		if fam, ok := familyOf(rq.method, rq.path, rq.route.Pattern); ok && !rq.route.Public && families[fam].narrowed != nil {
			allowed = append([]users.Role{users.Admin}, families[fam].narrowed...)
		}
		t.Run(rq.method+" "+rq.path, func(t *testing.T) {
			isAPI := rq.route.Token || strings.HasPrefix(rq.path, "/api/")
			do := func(c *http.Client, role users.Role) int {
				form := url.Values{"csrf": {csrf[role]}}
				var body io.Reader
				if rq.method == "POST" || rq.method == "PUT" || rq.method == "PATCH" {
					body = strings.NewReader(form.Encode())
					if isAPI {
						body = strings.NewReader(`{}`)
					}
				}
				req, _ := http.NewRequest(rq.method, h.URL+rq.path, body)
				if rq.method != "GET" && !isAPI {
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
			if rq.route.Public {
				// The guard lets anyone through; what the handler then
				// answers (a bad link, wrong credentials) is its own.
				if got := do(anon, ""); rq.method == "GET" && got == http.StatusUnauthorized {
					t.Errorf("a public page without credentials: %d, want no sign-in", got)
				}
				return
			}
			if got := do(anon, ""); got != http.StatusUnauthorized {
				t.Errorf("without credentials: %d, want 401", got)
			}
			for _, role := range all {
				c := pages[role]
				if isAPI {
					c = api[role]
				}
				got := do(c, role)
				ok := slices.Contains(allowed, role)
				if ok && (got == 401 || got == 403) {
					t.Errorf("%s: %d, want access", role, got)
				}
				if !ok && got != http.StatusForbidden {
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
