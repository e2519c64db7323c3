package metrics

import (
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// UnmatchedRoute is the route label of a request no route matches: the
// raw path is never a label value (one series per path a scanner tries).
const UnmatchedRoute = "unmatched"

// HTTP counts and times the HTTP requests a process answers, by route:
// the pattern the route was registered with (/s/{token}), never the path.
type HTTP struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTP(r *prometheus.Registry) HTTP {
	h := HTTP{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "followup_http_requests_total",
			Help: "HTTP requests answered, by route: the pattern it was registered with, or " + UnmatchedRoute + "; " +
				byLabel("followup_http_requests_total", "method") + " and status code."},
			[]string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "followup_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route and " + byLabel("followup_http_request_duration_seconds", "method") + ".",
			Buckets: prometheus.DefBuckets},
			[]string{"route", "method"}),
	}
	r.MustRegister(h.requests, h.duration)
	return h
}

// ObserveRequest records one answered request. A method outside the
// declared ones is recorded as "other", an empty route as UnmatchedRoute.
func (h HTTP) ObserveRequest(route, method string, status int, elapsed time.Duration) {
	if !slices.Contains(labelValues["followup_http_requests_total"]["method"], method) {
		method = "other"
	}
	if route == "" {
		route = UnmatchedRoute
	}
	h.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	h.duration.WithLabelValues(route, method).Observe(elapsed.Seconds())
}
