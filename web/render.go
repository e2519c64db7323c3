package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/templates"
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
// cached (they carry personal links and forms).
func (s *Server) RenderPage(w http.ResponseWriter, status int, name string, d templates.PageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
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
