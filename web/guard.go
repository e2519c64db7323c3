package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/followup/followup/reports"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
)

// Action plans are shared across departments: every staff role reads
// them and may write to their routes, and the handlers narrow each change
// by person and plan (reports.Actor): managers create, change and delete
// any plan, an owner of any role moves the state of their own plan and
// adds notes to it, anyone else is refused (403).
var planManagers = []users.Role{users.Manager}

// PlanActor is who u is to the action plans.
func PlanActor(u users.User) reports.Actor {
	return reports.Actor{UserID: u.ID, Manages: u.Can(planManagers...)}
}

type ctxKey int

const (
	userKey ctxKey = iota
	sessionKey
)

// UserFrom returns the signed-in user of a request, if any.
func UserFrom(ctx context.Context) (users.User, bool) {
	u, ok := ctx.Value(userKey).(users.User)
	return u, ok
}

func sessionFrom(ctx context.Context) (users.Session, bool) {
	s, ok := ctx.Value(sessionKey).(users.Session)
	return s, ok
}

// sessionCookie names the sign-in cookie.
const sessionCookie = "followup_session"

// guard enforces the rule of the route each request is for (see Router):
// the API and /metrics take a bearer token (Authorization: Bearer fu_…),
// pages a session cookie and, for forms, its CSRF token, or for the
// routes of Router.HandleSameOrigin a same-origin request. No credentials:
// 401; the wrong role: 403.
func (s *Server) guard(routes *Router, next http.Handler) http.Handler {
	sameOrigin := http.NewCrossOriginProtection()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := routes.route(r)
		api := route.Token
		if !s.checkInput(w, r, route) {
			return
		}
		// Pages that are public still learn who is signed in (the login page does).
		sess, serr := s.session(r)
		if serr == nil {
			r = r.WithContext(context.WithValue(context.WithValue(r.Context(), userKey, sess.User), sessionKey, sess))
		}
		if route.Public {
			next.ServeHTTP(w, r)
			return
		}
		var u users.User
		var ok bool
		if api {
			var err error
			u, ok, err = s.bearer(w, r)
			if err != nil {
				return // answered: 503 (could not check) or 429 (throttled)
			}
			if ok {
				r = r.WithContext(context.WithValue(r.Context(), userKey, u))
			}
		} else {
			if serr != nil && !errors.Is(serr, users.ErrNotFound) {
				// The session could not be checked: not a sign-out.
				s.Log.Warn("check session: a dependency is down", "err", serr)
				s.StaffUnavailable(w, r)
				return
			}
			u, ok = UserFrom(r.Context())
		}
		if !ok {
			s.unauthorized(w, r, api)
			return
		}
		if !route.Allows(u) {
			if api {
				s.Forbidden(w, r, api, "Your role ("+string(u.Role)+") does not give access to this.")
			} else {
				locale := StaffLocale(r)
				s.Forbidden(w, r, api, templates.T(locale, "staff.forbidden.role", templates.T(locale, "staff.role."+string(u.Role))))
			}
			return
		}
		write := r.Method != http.MethodGet && r.Method != http.MethodHead
		switch {
		case !write || api:
		case route.SameOrigin:
			if err := sameOrigin.Check(r); err != nil {
				s.Log.Info("cross-origin write refused", "path", r.URL.Path, "err", err)
				s.Forbidden(w, r, api, templates.T(StaffLocale(r), "staff.forbidden.csrf"))
				return
			}
		default:
			sess, _ := sessionFrom(r.Context())
			if !csrfMatches(r, sess) {
				s.Forbidden(w, r, api, templates.T(StaffLocale(r), "staff.forbidden.csrf"))
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

// csrfMatches says whether the form of r carries the CSRF token of sess,
// compared in constant time: the one check of every form, sign-out
// included.
func csrfMatches(r *http.Request, sess users.Session) bool {
	return sess.CSRF != "" && subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(sess.CSRF)) == 1
}

// bearer checks the request's bearer token. ok is false for a missing or
// wrong token (the caller answers 401). err is non-nil when it has
// answered itself: 503 when the token could not be checked (never 401 for
// a token that may be valid), 429 when the client address made too many
// wrong guesses.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request) (u users.User, ok bool, err error) {
	h := r.Header.Get("Authorization")
	secret, found := strings.CutPrefix(h, "Bearer ")
	if !found || secret == "" || s.Users == nil {
		return users.User{}, false, nil
	}
	addr := s.ClientAddr(r)
	if wait := s.Throttle.tokenLocked(r.Context(), addr); wait > 0 {
		s.tooManyTokens(w, wait)
		return users.User{}, false, errThrottled
	}
	u, err = s.Users.UserByToken(r.Context(), strings.TrimSpace(secret), s.Clock.Now())
	switch {
	case errors.Is(err, users.ErrNotFound):
		if wait := s.Throttle.tokenFailed(r.Context(), addr); wait > 0 {
			s.tooManyTokens(w, wait)
			return users.User{}, false, errThrottled
		}
		return users.User{}, false, nil
	case err != nil:
		s.Log.Warn("check token: a dependency is down", "err", err)
		WriteUnavailable(w, "checking the API token")
		return users.User{}, false, err
	}
	return u, true, nil
}

func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, api bool) {
	if api {
		w.Header().Set("WWW-Authenticate", `Bearer realm="followup"`)
		WriteError(w, http.StatusUnauthorized, "", "a valid API token is required: Authorization: Bearer <token> (see followup users token)")
		return
	}
	s.renderLogin(w, r, http.StatusUnauthorized, "")
}

// Forbidden answers 403 with msg: a JSON error when api, else the staff's
// message page.
func (s *Server) Forbidden(w http.ResponseWriter, r *http.Request, api bool, msg string) {
	if api {
		WriteError(w, http.StatusForbidden, "", msg)
		return
	}
	s.RenderStaff(w, r, http.StatusForbidden, "message", templates.T(StaffLocale(r), "staff.forbidden.title"), msg)
}
