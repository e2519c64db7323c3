package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
)

// RenderMessage shows a page of one message, such as an error, in the
// customer's language: the title and body of key in the page templates.
func (s *Server) RenderMessage(w http.ResponseWriter, r *http.Request, status int, locale, key string) {
	s.RenderPage(w, status, "message", templates.PageData{
		Locale: locale, Title: templates.T(locale, key+".title"), AltLocaleURL: AltLocaleURL(r, locale),
		Data: templates.T(locale, key+".body"),
	})
}

// RenderPage writes the page template name with status; pages are never
// cached (they carry personal links and forms), and carry PageCSP unless
// the handler set a policy of its own.
func (s *Server) RenderPage(w http.ResponseWriter, status int, name string, d templates.PageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if w.Header().Get("Content-Security-Policy") == "" {
		w.Header().Set("Content-Security-Policy", PageCSP)
	}
	w.WriteHeader(status)
	if err := s.Templates.RenderPage(w, name, d); err != nil {
		s.Log.Error("render page", "page", name, "err", err)
	}
}

// RequestLocale picks the page language: ?lang= when supported, else the
// customer's locale, else the browser's Accept-Language, else English.
func RequestLocale(r *http.Request, customer string) string {
	if l, ok := customers.NormalizeLocale(r.URL.Query().Get("lang")); ok {
		return l
	}
	if customer != "" {
		return customer
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l, ok := customers.NormalizeLocale(tag); ok {
			return l
		}
	}
	return customers.LocaleEnglish
}

// FormLocale is the language of a posted form: its lang field when
// supported, else RequestLocale.
func FormLocale(r *http.Request, customer string) string {
	if l, ok := customers.NormalizeLocale(r.PostFormValue("lang")); ok {
		return l
	}
	return RequestLocale(r, customer)
}

// AltLocaleURL is the address of the same page in the other language.
func AltLocaleURL(r *http.Request, locale string) string {
	other := customers.LocaleFrench
	if locale == customers.LocaleFrench {
		other = customers.LocaleEnglish
	}
	q := url.Values{}
	for k, v := range r.URL.Query() {
		q[k] = v
	}
	q.Set("lang", other)
	return r.URL.Path + "?" + q.Encode()
}

// StaffPage is the data of a staff page in locale: the signed-in person,
// with the sections they may open, and the session's CSRF token for the
// page's forms. Signed out (the sign-in page), it offers the page in the
// other language.
func (s *Server) StaffPage(r *http.Request, locale, title string, data any) templates.PageData {
	d := templates.PageData{Locale: locale, Title: title, Data: data, Back: backURL(r)}
	if u, ok := UserFrom(r.Context()); ok {
		d.User = &templates.PageUser{Name: firstNonEmpty(u.Name, u.Email), Role: templates.T(locale, "staff.role."+string(u.Role)), Nav: s.navFor(u, locale)}
	} else {
		d.AltLocaleURL = AltLocaleURL(r, locale)
	}
	if sess, ok := sessionFrom(r.Context()); ok {
		d.CSRF = sess.CSRF
	}
	return d
}

// RenderStaff writes the staff page with status, in the language of
// StaffLocale; the page "message" is the staff's message page.
func (s *Server) RenderStaff(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	if page == "message" {
		page = "staff_message"
	}
	s.RenderPage(w, status, page, s.StaffPage(r, StaffLocale(r), title, data))
}

// navFor lists the sections a person may open, named in locale: those
// whose route's rule lets them in.
func (s *Server) navFor(u users.User, locale string) []templates.NavLink {
	var out []templates.NavLink
	for _, l := range []struct {
		href, key string
	}{{"/marketing/campaigns", "staff.nav.campaigns"}, {"/marketing/surveys", "staff.nav.surveys"}, {"/cx/", "staff.nav.complaints"}, {"/manager/", "staff.nav.reports"}, {"/actions", "staff.nav.actions"}, {"/admin/inbound", "staff.nav.inbound"}, {"/admin/queues", "staff.nav.queues"}, {"/admin/labels", "staff.nav.labels"}} {
		if s.routes == nil {
			break
		}
		if s.routes.routeOf(http.MethodGet, l.href).Allows(u) {
			out = append(out, templates.NavLink{Href: l.href, Label: templates.T(locale, l.key)})
		}
	}
	return out
}

// May reports whether the person making r may use the route of method and
// path: pages show a button only to those its route lets in.
func (s *Server) May(r *http.Request, method, path string) bool {
	u, ok := UserFrom(r.Context())
	return ok && s.routes != nil && s.routes.routeOf(method, path).Allows(u)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// StaffError logs a staff page's failure to do what and answers 500 with
// a plain message, the error's detail kept to the log; 503 with
// Retry-After when a dependency could not be reached.
func (s *Server) StaffError(w http.ResponseWriter, what string, err error) {
	if Unavailable(err) {
		s.Log.Warn(what+": a dependency is down", "err", err)
		retryAfter(w)
		http.Error(w, what+" failed: the database cannot be reached for a moment; nothing was changed, try again in a minute", http.StatusServiceUnavailable)
		return
	}
	s.Log.Error(what, "err", err)
	http.Error(w, what+" failed; please retry in a moment", http.StatusInternalServerError)
}
