package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
)

// SessionTTL is how long a sign-in lasts.
const SessionTTL = 12 * time.Hour

func (s *Server) loginRoutes(mux *Router) {
	mux.HandleFunc("GET /login", Public, func(w http.ResponseWriter, r *http.Request) { s.renderLogin(w, r, http.StatusOK, "") })
	mux.HandleFunc("POST /login", Public, s.login)
	mux.HandleFunc("POST /logout", Public, s.logout)
	mux.HandleFunc("GET /{$}", Roles(users.Roles...), s.home)
}

// home sends each role to its pages.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	http.Redirect(w, r, homeOf(u), http.StatusSeeOther)
}

func homeOf(u users.User) string {
	switch u.Role {
	case users.Marketing:
		return "/marketing/campaigns"
	case users.Manager:
		return "/manager/"
	case users.CX:
		return "/cx/"
	}
	return "/marketing/campaigns"
}

type loginPage struct {
	Next, Email, Problem string
}

// renderLogin shows the sign-in form with status, and the catalogue text
// of the key problem when not empty.
func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, problem string) {
	s.renderLoginText(w, r, status, problem, "")
}

// renderLoginText shows the sign-in form with status and, when text is
// not empty, text as the problem, else the catalogue text of the key problem.
func (s *Server) renderLoginText(w http.ResponseWriter, r *http.Request, status int, problem, text string) {
	next := r.URL.RequestURI()
	if r.URL.Path == "/login" {
		next = r.FormValue("next")
	}
	locale := StaffLocale(r)
	if text == "" && problem != "" {
		text = templates.T(locale, problem)
	}
	s.RenderStaff(w, r, status, "login", templates.T(locale, "login.title"), loginPage{Next: safeNext(next), Email: r.PostFormValue("email"), Problem: text})
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/login") {
		return "/"
	}
	return next
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		s.renderLogin(w, r, http.StatusBadRequest, "login.unreadable")
		return
	}
	ctx := r.Context()
	account := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	addr := s.ClientAddr(r)
	wait, err := s.Throttle.signinLocked(ctx, account, addr)
	if err != nil {
		s.loginUnavailable(w, r, "check sign-in attempts", err)
		return
	}
	if wait > 0 {
		s.Log.Warn("sign-in refused: too many failures", "email", account, "client", addr, "wait", wait)
		s.lockedOut(w, r, wait, false)
		return
	}
	u, err := s.Users.Authenticate(ctx, account, r.PostFormValue("password"))
	if errors.Is(err, users.ErrBadCredentials) {
		s.Log.Info("sign-in refused", "email", account, "client", addr)
		if wait := s.Throttle.signinFailed(ctx, account, addr); wait > 0 {
			s.lockedOut(w, r, wait, true)
			return
		}
		s.renderLogin(w, r, http.StatusUnauthorized, "login.wrong")
		return
	}
	if err != nil {
		s.loginUnavailable(w, r, "sign in", err)
		return
	}
	sess, err := s.Users.NewSession(ctx, u, s.Clock.Now(), SessionTTL)
	if err != nil {
		s.loginUnavailable(w, r, "sign in", err)
		return
	}
	s.Throttle.signedIn(ctx, account)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.Token, Path: "/", HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt})
	next := safeNext(r.PostFormValue("next"))
	if next == "/" {
		next = homeOf(u)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// lockedOut shows the sign-in form again with 429: too many failures, and
// how long to wait; wrong says the password just typed was wrong too.
func (s *Server) lockedOut(w http.ResponseWriter, r *http.Request, wait time.Duration, wrong bool) {
	setRetryAfter(w, wait)
	locale := StaffLocale(r)
	msg := templates.T(locale, "login.locked", WaitIn(locale, wait))
	if wrong {
		msg = templates.T(locale, "login.wrong") + " " + msg
	}
	s.renderLoginText(w, r, http.StatusTooManyRequests, "", msg)
}

// loginUnavailable shows the sign-in form again with 503 when the password
// (or the count of attempts) could not be checked: the person is not told
// their password is wrong, and keeps what they typed.
func (s *Server) loginUnavailable(w http.ResponseWriter, r *http.Request, what string, err error) {
	if !Unavailable(err) {
		s.StaffError(w, what, err)
		return
	}
	s.Log.Warn(what+": a dependency is down", "err", err)
	retryAfter(w)
	s.renderLogin(w, r, http.StatusServiceUnavailable, "login.unavailable")
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if sess, ok := sessionFrom(r.Context()); ok {
		if !csrfMatches(r, sess) {
			s.Forbidden(w, r, false, templates.T(StaffLocale(r), "staff.forbidden.signout"))
			return
		}
		_ = s.Users.EndSession(r.Context(), sess.Token)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) secureCookies() bool {
	return s.Compose != nil && s.Compose.Links.Base != nil && s.Compose.Links.Base.Scheme == "https"
}
