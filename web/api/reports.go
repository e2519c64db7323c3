package api

import (
	"context"
	"net/http"

	"github.com/followup/followup/reports"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// reportRoutes serve the external loop's figures as JSON (managers and
// marketing read them): the same figures as the managers' pages.
func (s *Server) reportRoutes(mux *web.Router) {
	mux = mux.Tokens() // the JSON API takes bearer tokens
	if s.Reports == nil {
		return
	}
	mux.HandleFunc("GET /api/v1/reports/overview", web.Roles(users.Marketing, users.Manager), s.apiReportOverview)
	mux.HandleFunc("GET /api/v1/reports/trend", web.Roles(users.Marketing, users.Manager), s.apiReport(func(ctx context.Context, q reports.Query, p web.ReportParams) (any, error) {
		return s.Reports.Trend(ctx, q)
	}))
	mux.HandleFunc("GET /api/v1/reports/breakdown", web.Roles(users.Marketing, users.Manager), s.apiReport(func(ctx context.Context, q reports.Query, p web.ReportParams) (any, error) {
		return s.Reports.Breakdown(ctx, q, p.By)
	}))
	mux.HandleFunc("GET /api/v1/reports/risks", web.Roles(users.Marketing, users.Manager), s.apiReport(func(ctx context.Context, q reports.Query, p web.ReportParams) (any, error) {
		return s.Reports.Risks(ctx, q)
	}))
	mux.HandleFunc("GET /api/v1/reports/risk-trend", web.Roles(users.Marketing, users.Manager), s.apiReport(func(ctx context.Context, q reports.Query, p web.ReportParams) (any, error) {
		return s.Reports.RiskTrend(ctx, q, p.Top)
	}))
	mux.HandleFunc("GET /api/v1/reports/complaints", web.Roles(users.Marketing, users.Manager), s.apiReport(func(ctx context.Context, q reports.Query, p web.ReportParams) (any, error) {
		return s.Reports.Complaints(ctx, q, s.Clock.Now())
	}))
	mux.HandleFunc("GET /api/v1/reports/silent", web.Roles(users.Marketing, users.Manager), s.apiReport(func(ctx context.Context, q reports.Query, p web.ReportParams) (any, error) {
		return s.Reports.Silent(ctx, q)
	}))
	mux.HandleFunc("GET /api/v1/reports/reliability", web.Roles(users.Marketing, users.Manager), s.apiReport(func(ctx context.Context, q reports.Query, p web.ReportParams) (any, error) {
		return s.Reports.Reliability(ctx, q)
	}))
	// The scorecard scores people: managers only.
	mux.HandleFunc("GET /api/v1/reports/scorecard", web.Roles(users.Manager), s.apiReport(func(ctx context.Context, q reports.Query, p web.ReportParams) (any, error) {
		return s.Reports.Scorecard(ctx, q.From, q.To, s.Clock.Now())
	}))
	mux.HandleFunc("GET /api/v1/reports/barometer", web.Roles(users.Marketing, users.Manager), s.apiBarometer)
	mux.HandleFunc("GET /api/v1/reports/weekly", web.Roles(users.Marketing, users.Manager), s.apiWeekly)
}

// apiReport answers a figure computed from the request's report query.
func (s *Server) apiReport(compute func(context.Context, reports.Query, web.ReportParams) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, p, err := s.ReportQuery(r.URL.Query())
		if s.reportError(w, err) {
			return
		}
		v, err := compute(r.Context(), q, p)
		if s.reportError(w, err) {
			return
		}
		web.WriteJSON(w, http.StatusOK, v)
	}
}

// reportError answers for an error of the reports package and reports
// whether there was one.
func (s *Server) reportError(w http.ResponseWriter, err error) bool {
	if err == nil {
		return false
	}
	switch p := web.ProblemOf(err); p.Status {
	case http.StatusBadRequest:
		web.WriteFields(w, p.Status, p.Field+" "+p.Message, p.Fields)
	case http.StatusNotFound:
		web.WriteError(w, p.Status, "", "not found")
	case http.StatusForbidden: // reports.ErrNotAllowed, wrapped with the reason
		web.WriteError(w, p.Status, "", err.Error())
	default:
		s.InternalError(w, "report", err)
	}
	return true
}

func (s *Server) apiReportOverview(w http.ResponseWriter, r *http.Request) {
	q, p, err := s.ReportQuery(r.URL.Query())
	if s.reportError(w, err) {
		return
	}
	o, err := s.Overview(r.Context(), q, p)
	if s.reportError(w, err) {
		return
	}
	web.WriteJSON(w, http.StatusOK, o)
}

func (s *Server) apiBarometer(w http.ResponseWriter, r *http.Request) {
	st, err := s.BarometerStatus(r.Context())
	if s.reportError(w, err) {
		return
	}
	web.WriteJSON(w, http.StatusOK, st)
}

func (s *Server) apiWeekly(w http.ResponseWriter, r *http.Request) {
	week, err := s.ReportWeek(r.URL.Query().Get("week"))
	if s.reportError(w, err) {
		return
	}
	rep, err := s.Reports.Weekly(r.Context(), week, s.Clock.Now(), s.ReportZone())
	if s.reportError(w, err) {
		return
	}
	web.WriteJSON(w, http.StatusOK, rep)
}
