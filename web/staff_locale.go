package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
)

// StaffLocale is the language of the staff pages for r: the signed-in
// person's choice, else the browser's Accept-Language, else English.
// Signed out (the sign-in page), ?lang= (or the lang field of the posted
// sign-in form) comes first. Signed in, ?lang= is
// left to the pages that use it for what they show (the language of an
// email preview, of the weekly report).
func StaffLocale(r *http.Request) string {
	u, signedIn := UserFrom(r.Context())
	if !signedIn {
		l := r.URL.Query().Get("lang")
		if l == "" && r.PostForm != nil { // only a form already read
			l = r.PostForm.Get("lang")
		}
		if l == "en" || l == "fr" {
			return l
		}
	}
	if signedIn && u.Locale != "" {
		return u.Locale
	}
	return templates.MatchLocale(r.Header.Get("Accept-Language"))
}

// localeRoutes registers the language switch of the staff header.
func (s *Server) localeRoutes(mux *Router) {
	mux.HandleFunc("POST /account/locale", Roles(users.Roles...), s.setLocale)
}

// setLocale keeps the language a person chose for their staff pages ("en",
// "fr", or "" for the browser's) and takes them back to the page they
// were on.
func (s *Server) setLocale(w http.ResponseWriter, r *http.Request) {
	u, _ := UserFrom(r.Context())
	err := s.Users.SetLocale(r.Context(), u.ID, r.PostFormValue("locale"))
	var fe *invalid.FieldError
	switch {
	case errors.As(err, &fe):
		locale := StaffLocale(r)
		s.RenderStaff(w, r, http.StatusBadRequest, "message", templates.T(locale, "staff.locale.bad.title"), templates.T(locale, "staff.locale.bad.body"))
		return
	case err != nil:
		s.StaffError(w, "change the language", err)
		return
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("back")), http.StatusSeeOther)
}

// backURL is the address of the page r shows, without ?lang= (which
// would override the language chosen from it).
func backURL(r *http.Request) string {
	q := r.URL.Query()
	if !q.Has("lang") {
		return r.URL.RequestURI()
	}
	q.Del("lang")
	u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	return u.RequestURI()
}
