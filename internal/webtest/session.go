package webtest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"testing"

	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// SignedIn returns a browser-like client signed in as role, and the CSRF
// token of its session.
func SignedIn(t *testing.T, h *apptest.Harness, role users.Role) (*http.Client, string) {
	t.Helper()
	u, _ := h.User(t, role)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(h.URL+"/login", url.Values{"email": {u.Email}, "password": {apptest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", role, resp.StatusCode)
	}
	resp, err = c.Get(h.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatalf("no CSRF token on the page for %s", role)
	}
	return c, m[1]
}
