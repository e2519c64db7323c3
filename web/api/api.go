// Package api serves followup's JSON API under /api/v1: service events
// (one or a batch), campaigns, surveys, complaints and the CX team's
// actions on them, corrections of the comment reading, reports, action
// plans, and customers' data (search, detail, export, erase, audit).
// Every route takes a bearer token (web.Router.Tokens) and answers JSON,
// errors included ({"error": …, "field": …}). Its OpenAPI 3.1 contract,
// openapi.yaml, names every route with its roles, parameters, bodies and
// answers; it is served, public, at /api/v1/openapi.json and shown at
// /api/docs (Swagger UI, vendored in docs/). A route added here goes into
// the contract too (contract_test.go fails until it is). It writes no
// table of its own: the domain stores do.
package api

import "github.com/followup/followup/web"

// Server serves the JSON API with the dependencies of the web core.
type Server struct{ *web.Server }

// Routes registers the JSON API; it is a web.Audience.
func Routes(mux *web.Router, core *web.Server) {
	s := &Server{core}
	s.eventRoutes(mux)
	s.complaintRoutes(mux)
	s.complaintActionRoutes(mux)
	s.correctionAPIRoutes(mux)
	s.campaignRoutes(mux)
	s.surveyAPIRoutes(mux)
	s.reportRoutes(mux)
	s.actionRoutes(mux)
	s.inboundRoutes(mux)
	s.attachmentRoutes(mux)
	s.customerRoutes(mux)
	s.contractRoutes(mux)
}
