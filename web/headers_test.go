package web_test

import (
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// TestPagesCarryCSPAndHSTSOverHTTPS: every page carries the
// Content-Security-Policy; HSTS is sent over https only, that is over TLS
// or behind a trusted proxy saying X-Forwarded-Proto: https.
func TestPagesCarryCSPAndHSTSOverHTTPS(t *testing.T) {
	t.Parallel()
	tpl, err := templates.New(templates.Brand{Name: "Acme", Color: "#f2b705", TextColor: "#000000"})
	if err != nil {
		t.Fatal(err)
	}
	s := &web.Server{Templates: tpl, Clock: clock.Real{}, Log: slog.New(slog.DiscardHandler),
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}
	plain := httptest.NewServer(s.Handler())
	t.Cleanup(plain.Close)
	untrusting := &web.Server{Templates: tpl, Clock: clock.Real{}, Log: slog.New(slog.DiscardHandler)}
	direct := httptest.NewServer(untrusting.Handler())
	t.Cleanup(direct.Close)
	secure := httptest.NewTLSServer(untrusting.Handler())
	t.Cleanup(secure.Close)
	tlsClient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}

	for _, tc := range []struct {
		name   string
		client *http.Client
		url    string
		proto  string
		hsts   bool
	}{
		{"plain http", http.DefaultClient, plain.URL, "", false},
		{"trusted proxy over https", http.DefaultClient, plain.URL, "https", true},
		{"trusted proxy over http", http.DefaultClient, plain.URL, "http", false},
		{"untrusted X-Forwarded-Proto", http.DefaultClient, direct.URL, "https", false},
		{"TLS", tlsClient, secure.URL, "", true},
	} {
		req, _ := http.NewRequest("GET", tc.url+"/login", nil)
		if tc.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tc.proto)
		}
		resp, err := tc.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Content-Security-Policy"); got != web.PageCSP {
			t.Errorf("%s: Content-Security-Policy %q", tc.name, got)
		}
		if got := resp.Header.Get("Strict-Transport-Security"); (got == web.HSTS) != tc.hsts || (!tc.hsts && got != "") {
			t.Errorf("%s: Strict-Transport-Security %q, want it %v", tc.name, got, tc.hsts)
		}
	}
	for _, want := range []string{"script-src 'self'", "style-src 'self';", "frame-ancestors 'self'", "object-src 'none'", "base-uri 'none'"} {
		if !strings.Contains(web.PageCSP, want) {
			t.Errorf("the policy lacks %q: %s", want, web.PageCSP)
		}
	}
	// The brand colours come from a stylesheet, not an inline style.
	status, body, h := fetch(t, "GET", plain.URL+"/static/brand.css", nil, nil)
	if status != 200 || !strings.Contains(body, "--brand:#f2b705;--brand-text:#000000;") || !strings.HasPrefix(h.Get("Content-Type"), "text/css") {
		t.Errorf("brand.css: %d %q %s", status, h.Get("Content-Type"), body)
	}
	if _, page, _ := fetch(t, "GET", plain.URL+"/login", nil, nil); strings.Contains(page, "<style") || strings.Contains(page, "style=") || strings.Contains(page, "<script>") {
		t.Errorf("the sign-in page has inline style or script: %s", page)
	}
}

// TestClientAddr: the address the throttles count, believing
// X-Forwarded-For only from trusted proxies.
func TestClientAddr(t *testing.T) {
	s := &web.Server{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}}
	for _, tc := range []struct {
		remote, xff, want string
	}{
		{"203.0.113.7:5555", "", "203.0.113.7"},
		{"203.0.113.7:5555", "198.51.100.1", "203.0.113.7"}, // not from a proxy: ignored
		{"10.0.0.2:443", "198.51.100.1", "198.51.100.1"},
		{"10.0.0.2:443", "6.6.6.6, 198.51.100.1, 10.0.0.9", "198.51.100.1"}, // the client may write what it likes on the left
		{"10.0.0.2:443", "10.0.0.3, 10.0.0.9", "10.0.0.3"},
		{"10.0.0.2:443", "garbage, 10.0.0.9", "10.0.0.9"},
		{"[::1]:80", "2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"[2001:db8::1]:80", "", "2001:db8::/64"},
		{"[::ffff:203.0.113.7]:80", "", "203.0.113.7"},
	} {
		r := &http.Request{RemoteAddr: tc.remote, Header: http.Header{}}
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := s.ClientAddr(r); got != tc.want {
			t.Errorf("%s with X-Forwarded-For %q: %s, want %s", tc.remote, tc.xff, got, tc.want)
		}
	}
}

// TestLogoutChecksCSRF: signing out takes the session's CSRF token, as
// every form does (the same constant-time check): another token leaves
// the session signed in.
func TestLogoutChecksCSRF(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	c, csrf := signedIn(t, h, users.CX)
	post := func(token string) int {
		resp, err := c.PostForm(h.URL+"/logout", url.Values{"csrf": {token}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	queue := func() int {
		resp, err := c.Get(h.URL + "/cx/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, wrong := range []string{"", csrf[:len(csrf)-1], csrf + "x", strings.ToUpper(csrf)} {
		if wrong == csrf {
			continue
		}
		if status := post(wrong); status != http.StatusForbidden {
			t.Errorf("sign-out with CSRF %q: %d, want 403", wrong, status)
		}
	}
	if status := queue(); status != http.StatusOK {
		t.Fatalf("after refused sign-outs the queue answers %d, want 200 (still signed in)", status)
	}
	if status := post(csrf); status != http.StatusSeeOther {
		t.Fatalf("sign-out with the session's token: %d, want 303", status)
	}
	if status := queue(); status != http.StatusUnauthorized {
		t.Errorf("after signing out the queue answers %d, want 401", status)
	}
}
