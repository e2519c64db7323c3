package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/users"
)

func signIn(t *testing.T, h *apptest.Harness, email, password string, header map[string]string) (int, string, http.Header) {
	t.Helper()
	return fetch(t, "POST", h.URL+"/login", url.Values{"email": {email}, "password": {password}}, header)
}

// throttled reads followup_auth_throttled_total{kind, scope}.
func throttled(t *testing.T, h *apptest.Harness, kind, scope string) float64 {
	t.Helper()
	mfs, err := h.App.Metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "followup_auth_throttled_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["kind"] == kind && labels["scope"] == scope {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// TestSignInLockout: after the allowed wrong passwords an account is
// locked, the right password included, with 429, Retry-After and a
// message saying how long; the lock passes with time, and a sign-in
// forgets the account's failures. The refusals are counted.
func TestSignInLockout(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true},
		Env: map[string]string{"FOLLOWUP_SIGNIN_ACCOUNT_LIMIT": "3/3s", "FOLLOWUP_SIGNIN_ADDRESS_LIMIT": "off"}})
	u, _ := h.User(t, users.CX)
	for i := 1; i <= 2; i++ {
		if status, body, _ := signIn(t, h, u.Email, "wrong password", nil); status != http.StatusUnauthorized || !strings.Contains(body, "Wrong email or password.") {
			t.Fatalf("wrong password %d: %d, want 401", i, status)
		}
	}
	status, body, hdr := signIn(t, h, strings.ToUpper(u.Email), "wrong password", nil) // the same account, however typed
	if status != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") || !strings.Contains(body, "Try again in 1 second") || hdr.Get("Retry-After") != "1" {
		t.Fatalf("third wrong password: %d, Retry-After %q, want 429 with the lockout: %s", status, hdr.Get("Retry-After"), body)
	}
	status, body, hdr = signIn(t, h, u.Email, apptest.Password, nil)
	if status != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" || !strings.Contains(body, "Too many failed attempts") {
		t.Fatalf("right password while locked: %d, want 429: %s", status, body)
	}
	// Another account is not locked by this one's failures.
	other, _ := h.User(t, users.Marketing)
	if status, _, _ := signIn(t, h, other.Email, apptest.Password, nil); status != http.StatusSeeOther {
		t.Errorf("another account: %d, want 303", status)
	}
	if v := throttled(t, h, "signin", "account"); v != 2 {
		t.Errorf("followup_auth_throttled_total for the account: %v, want 2", v)
	}
	wait.Until(t, 10*time.Second, "the lock to pass", func() bool {
		status, _, _ := signIn(t, h, u.Email, apptest.Password, nil)
		return status == http.StatusSeeOther
	})
	// Signed in: the failures are forgiven, three tries again.
	for i := 1; i <= 2; i++ {
		if status, _, _ := signIn(t, h, u.Email, "wrong password", nil); status != http.StatusUnauthorized {
			t.Fatalf("after signing in, wrong password %d: %d, want 401", i, status)
		}
	}
}

// TestSignInThrottledPerAddress: one client address trying many accounts
// is stopped, whatever accounts it names; X-Forwarded-For is believed only
// from a trusted proxy, so a client cannot pose as many.
func TestSignInThrottledPerAddress(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true},
		Env: map[string]string{"FOLLOWUP_SIGNIN_ACCOUNT_LIMIT": "off", "FOLLOWUP_SIGNIN_ADDRESS_LIMIT": "4/1h",
			"FOLLOWUP_TRUSTED_PROXIES": "192.0.2.1"}}) // not the tests' 127.0.0.1
	for i := range 4 {
		spoof := map[string]string{"X-Forwarded-For": "198.51.100." + string(rune('1'+i))}
		status, _, _ := signIn(t, h, "nobody"+string(rune('a'+i))+"@example.com", "guess", spoof)
		if want := http.StatusUnauthorized; i == 3 {
			want = http.StatusTooManyRequests
			if status != want {
				t.Fatalf("attempt %d: %d, want %d", i+1, status, want)
			}
		} else if status != want {
			t.Fatalf("attempt %d: %d, want %d", i+1, status, want)
		}
	}
	u, _ := h.User(t, users.Manager)
	status, body, hdr := signIn(t, h, u.Email, apptest.Password, nil)
	if status != http.StatusTooManyRequests || !strings.Contains(body, "this network") || hdr.Get("Retry-After") == "" {
		t.Errorf("another account from the same address: %d, want 429: %s", status, body)
	}
	if v := throttled(t, h, "signin", "address"); v != 2 {
		t.Errorf("followup_auth_throttled_total for the address: %v, want 2", v)
	}
}

// TestUnknownTokensThrottledPerAddress: a client sending unknown bearer
// tokens gets 401 until its allowance is spent, then 429 with Retry-After
// without its tokens being looked at, a valid one included.
func TestUnknownTokensThrottledPerAddress(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true},
		Env: map[string]string{"FOLLOWUP_TOKEN_ADDRESS_LIMIT": "3/1h"}})
	_, valid := h.User(t, users.CX)
	// Through the harness's API client, so the 401 and 429 are checked
	// against the contract too.
	get := func(token string) (int, string, http.Header) {
		resp, err := h.APIToken(t, token).Get(h.URL + "/api/v1/complaints")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	if status, _, _ := get(valid); status != http.StatusOK {
		t.Fatalf("valid token: %d", status)
	}
	for i := 1; i <= 2; i++ {
		if status, _, _ := get("fu_guess"); status != http.StatusUnauthorized {
			t.Fatalf("unknown token %d: %d, want 401", i, status)
		}
	}
	if status, body, hdr := get("fu_guess"); status != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" || !strings.Contains(body, "unknown API token") {
		t.Fatalf("third unknown token: %d %q, want 429 with Retry-After: %s", status, hdr.Get("Retry-After"), body)
	}
	if status, _, _ := get(valid); status != http.StatusTooManyRequests {
		t.Errorf("valid token from the throttled address: %d, want 429", status)
	}
	if v := throttled(t, h, "token", "address"); v != 2 {
		t.Errorf("followup_auth_throttled_total for tokens: %v, want 2", v)
	}
}
