package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

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

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, problem string) {
	next := r.URL.RequestURI()
	if r.URL.Path == "/login" {
		next = r.FormValue("next")
	}
	s.RenderStaff(w, r, status, "login", "Sign in", loginPage{Next: safeNext(next), Email: r.PostFormValue("email"), Problem: problem})
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
		s.renderLogin(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	u, err := s.Users.Authenticate(r.Context(), r.PostFormValue("email"), r.PostFormValue("password"))
	if errors.Is(err, users.ErrBadCredentials) {
		s.Log.Info("sign-in refused", "email", r.PostFormValue("email"))
		s.renderLogin(w, r, http.StatusUnauthorized, "Wrong email or password.")
		return
	}
	if err != nil {
		s.StaffError(w, "sign in", err)
		return
	}
	sess, err := s.Users.NewSession(r.Context(), u, s.Clock.Now(), SessionTTL)
	if err != nil {
		s.StaffError(w, "sign in", err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: sess.Token, Path: "/", HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode, Expires: sess.ExpiresAt})
	next := safeNext(r.PostFormValue("next"))
	if next == "/" {
		next = homeOf(u)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if sess, ok := sessionFrom(r.Context()); ok {
		if r.PostFormValue("csrf") != sess.CSRF {
			s.Forbidden(w, r, false, "This form has expired. Reload the page and try again.")
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
