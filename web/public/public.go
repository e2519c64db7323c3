// Package public serves the customers' pages, reached by the signed links
// of our emails: the survey page, the one-click rating from the email
// (?score=), the answer, the thank-you page, the unsubscribe page (RFC 8058
// one-click POST), and the read-only preview of a survey as customers see
// it. Every route is public: the signed link is the credential. Pages speak
// the customer's language (fr, en); errors are pages, never JSON.
package public

import "github.com/followup/followup/web"

// Server serves the customers' pages with the dependencies of the web core.
type Server struct{ *web.Server }

// Routes registers the customers' pages; it is a web.Audience.
func Routes(mux *web.Router, core *web.Server) {
	s := &Server{core}
	s.surveyRoutes(mux)
	s.unsubscribeRoutes(mux)
}
