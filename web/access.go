package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/followup/followup/reports"
	"github.com/followup/followup/users"
)

// access is who may reach a part of the site. Rules are checked in order,
// the first whose prefix matches wins; what no rule names is for admins
// only, so a new route is closed until it is given its audience.
type access struct {
	prefix string
	public bool
	// read roles may GET; write roles may also change things.
	read, write []users.Role
}

var (
	marketing = []users.Role{users.Marketing}
	cx        = []users.Role{users.CX, users.Manager}
	managers  = []users.Role{users.Manager}
	staff     = users.Roles
)

// Action plans are shared across departments: every staff role reads
// them and may write to their routes, and the handlers narrow each change
// by person and plan (reports.Actor): managers create, change and delete
// any plan, an owner of any role moves the state of their own plan and
// adds notes to it, anyone else is refused (403).
var planManagers = managers

// planActor is who u is to the action plans.
func planActor(u users.User) reports.Actor {
	return reports.Actor{UserID: u.ID, Manages: u.Can(planManagers...)}
}

func both(a, b []users.Role) []users.Role { return append(append([]users.Role{}, a...), b...) }

var accessRules = []access{
	{prefix: "/healthz", public: true},
	{prefix: "/readyz", public: true},
	{prefix: "/static/", public: true},
	{prefix: "/s/", public: true},     // survey pages: the signed link is the credential
	{prefix: "/u/", public: true},     // unsubscribe: the signed link is the credential
	{prefix: "/login", public: true},  // sign-in
	{prefix: "/logout", public: true}, // sign-out ends whatever session it finds
	{prefix: "/dev/mail", public: true},
	{prefix: "/preview/", public: true}, // read-only survey previews, nothing recorded
	{prefix: "/favicon.ico", public: true},
	{prefix: "/api/v1/events", read: both(marketing, managers), write: marketing},
	{prefix: "/api/v1/campaigns", read: both(marketing, managers), write: marketing},
	{prefix: "/api/v1/surveys", read: both(both(marketing, cx), managers), write: marketing},
	{prefix: "/api/v1/complaints", read: cx, write: cx},
	{prefix: "/api/v1/responses", read: cx, write: cx}, // corrections of the comment reading
	{prefix: "/api/v1/reports", read: both(managers, marketing), write: managers},
	{prefix: "/api/v1/action-plans", read: staff, write: staff}, // narrowed per plan: see planManagers
	{prefix: "/metrics", read: managers},
	{prefix: "/marketing/", read: both(marketing, managers), write: marketing},
	{prefix: "/cx/", read: cx, write: cx},
	{prefix: "/actions/", read: staff, write: staff},         // narrowed per plan: see planManagers
	{prefix: "/manager/actions/", read: staff, write: staff}, // former address of /actions, redirected
	{prefix: "/manager/", read: managers, write: managers},
	{prefix: "/{$}", read: users.Roles},
}

func ruleFor(path string) access {
	for _, a := range accessRules {
		if a.prefix == "/{$}" {
			if path == "/" {
				return a
			}
			continue
		}
		if path == strings.TrimSuffix(a.prefix, "/") || strings.HasPrefix(path, a.prefix) {
			return a
		}
	}
	return access{prefix: "/"} // admins only
}

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

// userFrom returns the signed-in user of a request, if any.
func userFrom(ctx context.Context) (users.User, bool) {
	u, ok := ctx.Value(userKey).(users.User)
	return u, ok
}

func sessionFrom(ctx context.Context) (users.Session, bool) {
	s, ok := ctx.Value(sessionKey).(users.Session)
	return s, ok
}

// sessionCookie names the sign-in cookie.
const sessionCookie = "followup_session"

func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/metrics"
}

// guard enforces accessRules on every request: the API and /metrics take a
// bearer token (Authorization: Bearer fu_…), pages a session cookie and, for
// forms, its CSRF token. No credentials: 401; the wrong role: 403.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rule := ruleFor(r.URL.Path)
		api := isAPI(r.URL.Path)
		// Pages that are public still learn who is signed in (the login page does).
		if sess, err := s.session(r); err == nil {
			r = r.WithContext(context.WithValue(context.WithValue(r.Context(), userKey, sess.User), sessionKey, sess))
		}
		if rule.public {
			next.ServeHTTP(w, r)
			return
		}
		var u users.User
		var ok bool
		if api {
			u, ok = s.bearer(r)
			if ok {
				r = r.WithContext(context.WithValue(r.Context(), userKey, u))
			}
		} else {
			u, ok = userFrom(r.Context())
		}
		if !ok {
			s.unauthorized(w, r, api)
			return
		}
		write := r.Method != http.MethodGet && r.Method != http.MethodHead
		roles := rule.read
		if write {
			roles = rule.write
		}
		if !u.Can(roles...) {
			s.forbidden(w, r, api, "Your role ("+string(u.Role)+") does not give access to this.")
			return
		}
		if write && !api {
			sess, _ := sessionFrom(r.Context())
			if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(sess.CSRF)) != 1 {
				s.forbidden(w, r, api, "This form has expired or did not come from this site. Go back, reload the page and try again.")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) session(r *http.Request) (users.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || s.Users == nil {
		return users.Session{}, users.ErrNotFound
	}
	return s.Users.SessionByToken(r.Context(), c.Value, s.Clock.Now())
}

func (s *Server) bearer(r *http.Request) (users.User, bool) {
	h := r.Header.Get("Authorization")
	secret, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || secret == "" || s.Users == nil {
		return users.User{}, false
	}
	u, err := s.Users.UserByToken(r.Context(), strings.TrimSpace(secret), s.Clock.Now())
	if err != nil {
		if !errors.Is(err, users.ErrNotFound) {
			s.Log.Error("check token", "err", err)
		}
		return users.User{}, false
	}
	return u, true
}

func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, api bool) {
	if api {
		w.Header().Set("WWW-Authenticate", `Bearer realm="followup"`)
		writeError(w, http.StatusUnauthorized, "", "a valid API token is required: Authorization: Bearer <token> (see followup users token)")
		return
	}
	s.renderLogin(w, r, http.StatusUnauthorized, "")
}

func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, api bool, msg string) {
	if api {
		writeError(w, http.StatusForbidden, "", msg)
		return
	}
	s.renderStaff(w, r, http.StatusForbidden, "message", "Not allowed", msg)
}
