package web

import (
	"net/http"
	"slices"
	"testing"

	"github.com/followup/followup/users"
)

// TestRouterFindsTheRuleOfEveryRequest checks the rule a request gets:
// its route's, or for a path no route matches (404, 405), the rule of the
// route it is nearest to, else admins only.
func TestRouterFindsTheRuleOfEveryRequest(t *testing.T) {
	t.Parallel()
	mux := NewRouter()
	ok := func(http.ResponseWriter, *http.Request) {}
	mux.HandleFunc("GET /s/{token}", Public, ok)
	mux.HandleFunc("GET /cx/{$}", Roles(users.CX, users.Manager), ok)
	mux.HandleFunc("POST /cx/complaints/{id}/{action}", Roles(users.CX, users.Manager), ok)
	mux.HandleFunc("GET /manager/{$}", Roles(users.Manager), ok)
	mux.HandleFunc("GET /{$}", Roles(users.Roles...), ok)
	mux.Tokens().HandleFunc("POST /api/v1/events", Roles(users.Marketing), ok)
	cases := []struct {
		method, path string
		public       bool
		roles        []users.Role
		token        bool
	}{
		{"GET", "/s/abc", true, nil, false},
		{"GET", "/s/", true, nil, false}, // a link cut short is still public: 404, not sign-in
		{"GET", "/cx/", false, []users.Role{users.CX, users.Manager}, false},
		{"GET", "/cx/complaints/1/take", false, []users.Role{users.CX, users.Manager}, false}, // 405
		{"GET", "/manager/", false, []users.Role{users.Manager}, false},
		{"GET", "/", false, []users.Role{users.Marketing, users.CX, users.Manager}, false},
		{"GET", "/api/v1/events", false, []users.Role{users.Marketing}, true}, // 405
		{"GET", "/api/v1/nothing", false, nil, true},                          // admins only, as the API
		{"GET", "/some/future/route", false, nil, false},                      // admins only
	}
	for _, c := range cases {
		rt := mux.routeOf(c.method, c.path)
		if rt.Public != c.public || !slices.Equal(rt.Roles, c.roles) || rt.Token != c.token {
			t.Errorf("%s %s: got %+v, want public %v roles %v token %v", c.method, c.path, rt, c.public, c.roles, c.token)
		}
	}
	if r := Roles(users.Admin, users.CX); !slices.Equal(r.roles, []users.Role{users.CX}) {
		t.Errorf("Roles keeps admins in its list: %v", r.roles)
	}
}
