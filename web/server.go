// Package web is followup's HTTP core: the router, on which every route is
// registered with the rule of who may use it, the guard that enforces it
// (sessions, bearer tokens, CSRF), the one mapping from domain errors to
// status codes (ProblemOf), JSON and page rendering, health checks and, in
// development, the captured mail. The audiences of the site register their
// routes over it (web.Audience): web/public the customers' pages, web/api
// the JSON API under /api/v1, web/staff the staff's pages. It holds no
// business rule of its own.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/compose"
	"github.com/followup/followup/corrections"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/inbound"
	"github.com/followup/followup/inbound/route"
	"github.com/followup/followup/ingest"
	"github.com/followup/followup/labels"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/privacy"
	"github.com/followup/followup/replies"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
)

// Check is a readiness probe of one dependency.
type Check struct {
	Name  string
	Check func(ctx context.Context) error
}

// ScoreEnqueuer queues the scoring of a stored response.
type ScoreEnqueuer interface {
	EnqueueScore(ctx context.Context, responseID int64) error
}

// MailSender delivers messages (test emails).
type MailSender interface {
	Send(ctx context.Context, msgs []mail.Message) []error
}

// Server holds what the HTTP handlers need.
type Server struct {
	Users      *users.Store
	Intake     *scheduler.Intake
	Customers  *customers.Store
	Campaigns  *scheduler.Store
	Compose    *compose.Composer
	Mail       MailSender
	Ingest     *ingest.Ingester
	Surveys    *surveys.Store
	Complaints *complaints.Store
	Replies    *replies.Service
	// Corrections records agents' corrections of the comment reading
	// (/api/v1/responses/{id}/corrections, /cx/replies, the complaint
	// page's "Reading of the comment").
	Corrections *corrections.Store
	// Loop runs the CX team's actions on complaints.
	Loop      *feedback.Loop
	Signer    *surveys.Signer
	Templates *templates.Set
	// Scoring queues the scoring of a reply the page could not score inline.
	Scoring ScoreEnqueuer
	Clock   clock.Clock
	Log     *slog.Logger
	// Ready lists the dependencies /readyz checks.
	Ready []Check
	// DevMail, when set, is mounted at /dev/mail (the capture server's pages).
	DevMail http.Handler
	// Queues, when set, is the asynq dashboard, mounted by web/staff at
	// /admin/queues/ for admins.
	Queues http.Handler
	// Metrics, when set, serves /metrics (Prometheus) to managers and admins.
	Metrics http.Handler
	// Requests, when set, counts and times every request by route.
	Requests RequestObserver
	// Reports, Barometer and ReportLocation (where report days and weeks
	// begin) serve /api/v1/reports, /api/v1/action-plans, /actions and the
	// managers' pages.
	Reports        *reports.Store
	Barometer      *reports.Barometer
	ReportLocation *time.Location
	// Labels and Names serve the admins' page of display names and team
	// calendars (/admin/labels): the store saves, the cache is refreshed.
	Labels *labels.Store
	Names  *labels.Cache
	// Inbound and Mailbox serve the admins' list of the mail received that
	// nothing matched, and its assignment to a complaint (two-way email);
	// nil when it is off.
	Inbound *inbound.Store
	Mailbox *route.Router
	// Privacy serves the customers API: their data shown, exported and
	// erased, and the audit of exports and erases.
	Privacy *privacy.Service

	// Throttle slows down the guessing of passwords and API tokens; nil
	// throttles nothing.
	Throttle *Throttle
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed (ClientAddr, HTTPS).
	TrustedProxies []netip.Prefix

	// Audiences register the routes of each audience of the site
	// (web/public, web/api, web/staff) over this core.
	Audiences []Audience

	// routes are the routes Handler registered, for the pages' navigation.
	routes *Router
}

// RequestObserver records an answered request: route is the pattern of
// the route it matched without its method ("" for none: a 404 or 405),
// never its path, so the series stay as few as the routes.
type RequestObserver interface {
	ObserveRequest(route, method string, status int, elapsed time.Duration)
}

// Audience registers the routes of one audience of the site, each with its
// rule, using the dependencies of the core.
type Audience func(mux *Router, s *Server)

// Handler returns the HTTP handler of every route.
func (s *Server) Handler() http.Handler {
	s.routes = s.register()
	return s.logRequests(s.routes, s.secureHeaders(s.guard(s.routes, s.routes.mux)))
}

// Routes lists every route of the site with who may use it, as Handler
// registers them.
func (s *Server) Routes() []Route { return s.register().Routes() }

// register registers every route with its rule.
func (s *Server) register() *Router {
	mux := NewRouter()
	mux.HandleFunc("GET /healthz", Public, s.healthz)
	mux.HandleFunc("GET /readyz", Public, s.readyz)
	mux.Handle("GET /static/", Public, http.StripPrefix("/static/", http.FileServerFS(templates.Static())))
	mux.HandleFunc("GET /static/brand.css", Public, s.brandCSS)
	mux.Handle("GET /favicon.ico", Public, http.NotFoundHandler())

	// The sign-in pages; each audience registers its routes from its own
	// package.
	s.loginRoutes(mux)
	s.localeRoutes(mux)
	for _, register := range s.Audiences {
		register(mux, s)
	}

	if s.DevMail != nil {
		mux.Handle("/dev/mail", Public, s.DevMail)
		mux.Handle("/dev/mail/", Public, s.DevMail)
	}
	if s.Metrics != nil {
		mux.Tokens().Handle("GET /metrics", Roles(users.Manager), s.Metrics)
	}
	return mux
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// logRequests logs each request and, with Requests set, counts and times
// it under the route of routes it matches.
func (s *Server) logRequests(routes *Router, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		level := slog.LevelDebug
		if rec.status >= 500 {
			level = slog.LevelError
		}
		// The path of a survey link is a credential: log the route, not the token.
		path := r.URL.Path
		for _, p := range []string{surveys.SurveyPath, surveys.UnsubscribePath} {
			if len(path) > len(p) && path[:len(p)] == p {
				path = p + "…"
			}
		}
		elapsed := time.Since(start)
		s.Log.Log(r.Context(), level, "http", "method", r.Method, "path", path, "status", rec.status, "duration", elapsed)
		if s.Requests != nil {
			s.Requests.ObserveRequest(routes.pattern(r), r.Method, rec.status, elapsed)
		}
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status := http.StatusOK
	out := map[string]string{}
	for _, c := range s.Ready {
		if err := c.Check(ctx); err != nil {
			// The probe is public: the error (hosts, addresses) goes to the
			// log, not to whoever asks.
			status = http.StatusServiceUnavailable
			out[c.Name] = "down"
			s.Log.Warn("not ready", "dependency", c.Name, "err", err)
			continue
		}
		out[c.Name] = "ok"
	}
	WriteJSON(w, status, out)
}
