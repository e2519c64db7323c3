package web

import (
	"net/http"

	"github.com/followup/followup/users"
)

// OpsHandler serves only what operators scrape and probe: /healthz,
// /readyz and /metrics. It is the handler of the small listener
// (FOLLOWUP_METRICS_ADDR) that lets a process without the HTTP role be
// monitored. /metrics takes the same manager or admin bearer token as on the
// main server, so one scrape configuration fits every process and a listener
// bound to a public address by mistake shows nothing. It needs Users, Clock,
// Log, Ready and Metrics, nothing else.
func (s *Server) OpsHandler() http.Handler {
	mux := NewRouter()
	mux.HandleFunc("GET /healthz", Public, s.healthz)
	mux.HandleFunc("GET /readyz", Public, s.readyz)
	if s.Metrics != nil {
		mux.Tokens().Handle("GET /metrics", Roles(users.Manager), s.Metrics)
	}
	return s.logRequests(mux, s.secureHeaders(s.guard(mux, mux.mux)))
}
