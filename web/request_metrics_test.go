package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/metrics"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/web"
)

// series returns the value of each series of a metric (a counter's value,
// a histogram's count), keyed by its labels as route,method[,status].
func series(t *testing.T, m *metrics.Metrics, name string) map[string]float64 {
	t.Helper()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, s := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range s.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			key := labels["route"] + "," + labels["method"]
			if st, ok := labels["status"]; ok {
				key += "," + st
			}
			if s.GetHistogram() != nil {
				out[key] = float64(s.GetHistogram().GetSampleCount())
			} else {
				out[key] = s.GetCounter().GetValue()
			}
		}
	}
	return out
}

// TestRequestMetricsByRoute: each request is counted and timed under the
// pattern of the route it matched, never its path; a path no route
// matches under "unmatched", an unknown method under "other".
func TestRequestMetricsByRoute(t *testing.T) {
	t.Parallel()
	tpl, err := templates.New(templates.Brand{Name: "Acme", Color: "#1f5fa8", TextColor: "#ffffff"})
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.New()
	s := &web.Server{Templates: tpl, Clock: clock.Real{}, Log: slog.New(slog.DiscardHandler), Requests: m.HTTP,
		Audiences: []web.Audience{func(mux *web.Router, s *web.Server) {
			mux.HandleFunc("GET /things/{id}", web.Public, func(w http.ResponseWriter, r *http.Request) {
				if r.PathValue("id") == "gone" {
					http.Error(w, "gone", http.StatusGone)
				}
			})
		}}}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	do := func(method, path string) {
		req, err := http.NewRequest(method, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for i := range 3 {
		do("GET", fmt.Sprintf("/things/%d", i))
	}
	do("GET", "/things/gone")
	do("GET", "/healthz")
	do("HEAD", "/healthz")
	do("GET", "/no/such/page/1")
	do("GET", "/no/such/page/2")
	do("BREW", "/healthz")

	want := map[string]float64{
		"/things/{id},GET,200": 3,
		"/things/{id},GET,410": 1,
		"/healthz,GET,200":     1,
		"/healthz,HEAD,200":    1,
	}
	got := series(t, m, "followup_http_requests_total")
	for k, v := range want {
		if got[k] != v {
			t.Errorf("followup_http_requests_total{%s} = %v, want %v (all: %v)", k, got[k], v, got)
		}
	}
	var unmatched, other float64
	for k, v := range got {
		route, rest, _ := strings.Cut(k, ",")
		switch {
		case strings.Contains(route, "such") || strings.Contains(route, "things/0"):
			t.Errorf("a path became a route label: %s", k)
		case route == metrics.UnmatchedRoute && strings.HasPrefix(rest, "GET,"):
			unmatched += v
		case strings.HasPrefix(rest, "other,"):
			other += v
		}
	}
	if unmatched != 2 || other != 1 {
		t.Errorf("unmatched GETs %v (want 2), other methods %v (want 1): %v", unmatched, other, got)
	}
	durations := series(t, m, "followup_http_request_duration_seconds")
	if durations["/things/{id},GET"] != 4 || durations[metrics.UnmatchedRoute+",GET"] != 2 {
		t.Errorf("durations %v, want 4 for /things/{id} and 2 unmatched", durations)
	}
	if stray, err := m.Undeclared(); err != nil || len(stray) != 0 {
		t.Errorf("undeclared label values recorded: %v %v", stray, err)
	}
}
