package metrics

import "github.com/prometheus/client_golang/prometheus"

// AuthThrottled counts sign-ins and API requests refused (429) because
// their account or client address made too many failed attempts.
type AuthThrottled struct{ *prometheus.CounterVec }

// NewAuthThrottled registers followup_auth_throttled_total on m's registry.
func (m *Metrics) NewAuthThrottled() AuthThrottled {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "followup_auth_throttled_total",
		Help: "Sign-ins and API requests refused for too many failed attempts, " +
			byLabel("followup_auth_throttled_total", "kind") + " and " + byLabel("followup_auth_throttled_total", "scope") + "."},
		[]string{"kind", "scope"})
	m.Registry.MustRegister(c)
	return AuthThrottled{c}
}

// Refused counts one refused attempt.
func (a AuthThrottled) Refused(kind, scope string) { a.WithLabelValues(kind, scope).Inc() }
