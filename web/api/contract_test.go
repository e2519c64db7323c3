package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/contracttest"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// operation is a method and an OpenAPI path template, such as
// "POST /api/v1/complaints/{id}/take".
type operation string

// routed lists the routes the router registers under /api/v1, as
// operations, with the roles each declares (admin included; "public" for
// a public route).
func routed(routes []web.Route) map[operation][]string {
	out := map[operation][]string{}
	for _, rt := range routes {
		method, path, ok := strings.Cut(rt.Pattern, " ")
		if !ok || !strings.HasPrefix(path, contracttest.Prefix) {
			continue
		}
		// ServeMux's {$} and {name...} are OpenAPI's plain path and {name}.
		path = strings.TrimSuffix(path, "{$}")
		path = strings.ReplaceAll(path, "...}", "}")
		roles := []string{"public"}
		if !rt.Public {
			roles = []string{string(users.Admin)}
			for _, r := range rt.Roles {
				roles = append(roles, string(r))
			}
		}
		sort.Strings(roles)
		out[operation(method+" "+path)] = roles
	}
	return out
}

// TestEveryRouteIsInTheContract: every route the router registers under
// /api/v1 is an operation of the contract with the same roles (x-roles),
// and every operation of the contract is routed; the failure names each
// missing path and method, and where it is missing.
func TestEveryRouteIsInTheContract(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{}, Env: map[string]string{"FOLLOWUP_INBOUND_DOMAIN": "reply.example.com"}})
	routes := routed(h.App.WebServer(app.Extras{}).Routes())
	doc := h.Contract(t).Doc
	described := map[operation][]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			var roles []string
			if raw, ok := op.Extensions["x-roles"]; ok {
				b, _ := json.Marshal(raw)
				_ = json.Unmarshal(b, &roles)
			}
			sort.Strings(roles)
			described[operation(method+" "+path)] = roles
		}
	}
	if len(routes) < 50 {
		t.Fatalf("the router lists %d routes under %s; expected the whole API", len(routes), contracttest.Prefix)
	}
	var problems []string
	for op, roles := range routes {
		want, ok := described[op]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s is routed but missing from the contract: add it under paths in web/api/openapi.yaml", op))
		case !slices.Equal(roles, want):
			problems = append(problems, fmt.Sprintf("%s: the router allows %v, the contract's x-roles say %v", op, roles, want))
		}
	}
	for op := range described {
		if _, ok := routes[op]; !ok {
			problems = append(problems, fmt.Sprintf("%s is in the contract (web/api/openapi.yaml) but no route serves it: register it or remove it", op))
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("%d operations under %s, routed and described", len(routes), contracttest.Prefix)
}

// TestContractIsServed: the contract is public at /api/v1/openapi.json, in
// JSON, as the repository keeps it; the page showing it is public too and
// runs under the pages' own Content-Security-Policy.
func TestContractIsServed(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	resp, err := http.Get(h.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatalf("status %d, body not JSON: %v", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	want := h.Contract(t).Doc
	if doc.OpenAPI != want.OpenAPI || len(doc.Paths) != want.Paths.Len() || doc.Paths["/api/v1/complaints/{id}/take"]["post"] == nil {
		t.Errorf("served openapi %q with %d paths; the repository's is %q with %d", doc.OpenAPI, len(doc.Paths), want.OpenAPI, want.Paths.Len())
	}

	for _, path := range []string{"/api/docs/", "/api/docs/init.js", "/api/docs/swagger-ui/swagger-ui-bundle.js", "/api/docs/swagger-ui/swagger-ui.css"} {
		resp, err := http.Get(h.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, resp.StatusCode)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); csp != web.PageCSP {
			t.Errorf("%s: CSP %q, want the pages' own", path, csp)
		}
	}
}
