package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/followup/followup/users"
)

// Rule is who may use a route: anyone (Public), or people of the given
// roles. Admins may use every route that is not public, so they are never
// listed. How people prove who they are depends on where the route is
// registered: pages take the session cookie (and, for forms, its CSRF
// token), the routes of a Router from Tokens take a bearer token.
type Rule struct {
	public bool
	roles  []users.Role
}

// Public is the rule of routes anyone may use: the survey pages and the
// unsubscribe page (the signed link is the credential), sign-in and
// sign-out, health probes, static files, survey previews.
var Public = Rule{public: true}

// Roles is the rule of routes people of these roles (and admins) may use.
// No role at all: admins only.
func Roles(roles ...users.Role) Rule {
	return Rule{roles: slices.DeleteFunc(slices.Clone(roles), func(r users.Role) bool { return r == users.Admin })}
}

// Route is a registered route and who may use it.
type Route struct {
	// Pattern is the http.ServeMux pattern, such as
	// "POST /api/v1/complaints/{id}/take".
	Pattern string
	// Public is true for routes anyone may use.
	Public bool
	// Roles may use the route, besides admins.
	Roles []users.Role
	// Token is true when the route takes a bearer token (the JSON API,
	// /metrics), false when it takes the session cookie (pages).
	Token bool
	// SameOrigin is true for an application of its own mounted under the
	// route (the asynq dashboard), whose scripts write with fetch() and
	// cannot carry the session's CSRF token: its writes are refused when
	// the browser says they come from another site (Sec-Fetch-Site,
	// Origin), instead of when they lack the token.
	SameOrigin bool
}

// Allows reports whether u may use the route.
func (rt Route) Allows(u users.User) bool { return rt.Public || u.Can(rt.Roles...) }

// Router registers every route of the site with the rule it needs, so a
// route cannot exist without its rule: the guard reads the rule of the
// route a request matches, and the access test reads Routes.
type Router struct {
	mux    *http.ServeMux
	routes *[]Route
	token  bool
}

// NewRouter returns an empty router.
func NewRouter() *Router {
	return &Router{mux: http.NewServeMux(), routes: &[]Route{}}
}

// Tokens returns a router registering on the same routes whose routes take
// a bearer token instead of the session cookie: the JSON API's.
func (r *Router) Tokens() *Router {
	t := *r
	t.token = true
	return &t
}

// Handle registers h for pattern (as http.ServeMux.Handle) with its rule.
func (r *Router) Handle(pattern string, rule Rule, h http.Handler) {
	r.mux.Handle(pattern, h)
	*r.routes = append(*r.routes, Route{Pattern: pattern, Public: rule.public, Roles: rule.roles, Token: r.token})
}

// HandleSameOrigin registers h for pattern with its rule, like Handle,
// for an application whose own scripts write to it without the session's
// CSRF token (the asynq dashboard): its writes must come from this site,
// as the browser tells (net/http.CrossOriginProtection), instead. Only for
// the session's routes; the API's take no cookie.
func (r *Router) HandleSameOrigin(pattern string, rule Rule, h http.Handler) {
	r.mux.Handle(pattern, h)
	*r.routes = append(*r.routes, Route{Pattern: pattern, Public: rule.public, Roles: rule.roles, SameOrigin: true})
}

// HandleFunc registers f for pattern with its rule.
func (r *Router) HandleFunc(pattern string, rule Rule, f func(http.ResponseWriter, *http.Request)) {
	r.Handle(pattern, rule, http.HandlerFunc(f))
}

// Routes lists the registered routes in the order of registration.
func (r *Router) Routes() []Route { return slices.Clone(*r.routes) }

// route returns the route a request is for. A request no pattern matches
// (404) or matches but for its method (405) takes the rule of the
// registered route whose fixed beginning (the pattern's path up to its
// first wildcard) is the longest beginning of the request's path, so a
// survey link cut short is still public and an unknown page under /cx/ is
// still the CX team's; a path under no route is for admins only, so a new
// route is closed until it is given its rule.
func (r *Router) route(req *http.Request) Route {
	if _, pattern := r.mux.Handler(req); pattern != "" {
		for _, rt := range *r.routes {
			if rt.Pattern == pattern {
				return rt
			}
		}
	}
	best, bestLen := Route{Token: isAPI(req.URL.Path)}, -1
	for _, rt := range *r.routes {
		fixed := patternPath(rt.Pattern)
		exact := strings.HasSuffix(fixed, "{$}")
		fixed, _, wild := strings.Cut(strings.TrimSuffix(fixed, "{$}"), "{")
		switch {
		case exact && !wild && req.URL.Path != fixed:
			continue
		case !strings.HasPrefix(req.URL.Path, fixed) && req.URL.Path != strings.TrimSuffix(fixed, "/"):
			continue
		}
		if len(fixed) > bestLen {
			best, bestLen = rt, len(fixed)
		}
	}
	return best
}

// pattern is the path of the pattern of the route r matches, "" when none
// does. The mux is asked again (the guard and the mux saw copies of r): a
// lookup, no handler runs.
func (r *Router) pattern(req *http.Request) string {
	if _, pattern := r.mux.Handler(req); pattern != "" {
		return patternPath(pattern)
	}
	return ""
}

// routeOf returns the route a request with method and path is for.
func (r *Router) routeOf(method, path string) Route {
	return r.route(&http.Request{Method: method, URL: &url.URL{Path: path}, Header: http.Header{}})
}

// patternPath is the path of a ServeMux pattern, without method or host.
func patternPath(pattern string) string {
	if _, p, ok := strings.Cut(pattern, " "); ok {
		pattern = strings.TrimSpace(p)
	}
	if i := strings.Index(pattern, "/"); i > 0 {
		pattern = pattern[i:]
	}
	return pattern
}

// isAPI says whether a path under no route is answered as the API is
// (JSON, bearer token) rather than as a page.
func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/metrics"
}
