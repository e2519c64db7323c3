package public

import (
	"errors"
	"net/http"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/web"
)

func (s *Server) unsubscribeRoutes(mux *web.Router) {
	mux.HandleFunc("GET "+surveys.UnsubscribePath+"{token}", web.Public, s.unsubscribePage)
	mux.HandleFunc("POST "+surveys.UnsubscribePath+"{token}", web.Public, s.unsubscribe)
	// The unsubscribe link of previews and test emails: the same pages,
	// marked as a preview; nobody is unsubscribed.
	mux.HandleFunc("GET "+surveys.PreviewUnsubscribePath, web.Public, s.previewUnsubscribePage)
	mux.HandleFunc("POST "+surveys.PreviewUnsubscribePath, web.Public, s.previewUnsubscribe)
}

// previewUnsubscribePage is the confirmation page as a customer sees it.
func (s *Server) previewUnsubscribePage(w http.ResponseWriter, r *http.Request) {
	locale := web.RequestLocale(r, "")
	s.RenderPage(w, http.StatusOK, "unsubscribe", templates.PageData{
		Locale: locale, Title: templates.T(locale, "unsubscribe.title"), AltLocaleURL: web.AltLocaleURL(r, locale),
		Data: map[string]string{"Action": r.URL.Path, "Body": templates.T(locale, "unsubscribe.body", s.Templates.Brand().Name),
			"Note": templates.T(locale, "preview.unsubscribe")},
	})
}

// previewUnsubscribe answers the confirmation (or a mail client's one-click
// POST on a test email) as for a customer, recording nothing.
func (s *Server) previewUnsubscribe(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	_ = r.ParseForm()
	locale := web.FormLocale(r, web.RequestLocale(r, ""))
	s.RenderPage(w, http.StatusOK, "message", templates.PageData{
		Locale: locale, Title: templates.T(locale, "unsubscribed.title"),
		Data: templates.T(locale, "unsubscribed.body", s.Templates.Brand().Name) + " " + templates.T(locale, "preview.unsubscribed"),
	})
}

// unsubscribeTarget verifies an unsubscribe link and finds its customer.
// On failure it has answered.
func (s *Server) unsubscribeTarget(w http.ResponseWriter, r *http.Request) (surveys.Invitation, bool) {
	claims, err := s.Signer.Verify(surveys.PurposeUnsubscribe, r.PathValue("token"), s.Clock.Now())
	switch {
	case errors.Is(err, surveys.ErrLinkTampered):
		s.RenderMessage(w, r, http.StatusForbidden, web.RequestLocale(r, ""), "error.403")
		return surveys.Invitation{}, false
	case err != nil: // expired: unsubscribing is still honoured, it only ever stops mail
	}
	inv, err := s.Surveys.Invitation(r.Context(), claims.InvitationID)
	if errors.Is(err, surveys.ErrNotFound) {
		s.renderClosed(w, r, web.RequestLocale(r, ""))
		return inv, false
	}
	if err != nil {
		s.failed(w, r, web.FormLocale(r, ""), "load invitation", err)
		return inv, false
	}
	return inv, true
}

// unsubscribePage asks the person to confirm: mail scanners open every link
// in an email, and must not unsubscribe anyone.
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	inv, ok := s.unsubscribeTarget(w, r)
	if !ok {
		return
	}
	locale := web.RequestLocale(r, inv.Locale)
	s.RenderPage(w, http.StatusOK, "unsubscribe", templates.PageData{
		Locale: locale, Title: templates.T(locale, "unsubscribe.title"), AltLocaleURL: web.AltLocaleURL(r, locale),
		Data: map[string]string{"Action": r.URL.Path, "Body": templates.T(locale, "unsubscribe.body", s.Templates.Brand().Name)},
	})
}

// unsubscribe opts the customer out: the page's button, or a mail client's
// RFC 8058 one-click POST (body List-Unsubscribe=One-Click).
func (s *Server) unsubscribe(w http.ResponseWriter, r *http.Request) {
	inv, ok := s.unsubscribeTarget(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	_ = r.ParseForm()
	if err := s.Customers.OptOut(r.Context(), inv.CustomerID, s.Clock.Now()); err != nil && !errors.Is(err, customers.ErrNotFound) {
		s.failed(w, r, web.FormLocale(r, inv.Locale), "opt out", err)
		return
	}
	s.Log.Info("customer unsubscribed", "customer", inv.CustomerID, "one_click", r.PostFormValue("List-Unsubscribe") == "One-Click")
	locale := web.FormLocale(r, inv.Locale)
	s.RenderPage(w, http.StatusOK, "message", templates.PageData{
		Locale: locale, Title: templates.T(locale, "unsubscribed.title"),
		Data: templates.T(locale, "unsubscribed.body", s.Templates.Brand().Name),
	})
}
