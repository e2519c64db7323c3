package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/users"
)

// TestUsersCommand creates the first admin, gives them an API token that
// works, lists and revokes it, and refuses bad input with a clear message.
func TestUsersCommand(t *testing.T) {
	s := testenv.NewSchema(t)
	t.Setenv("FOLLOWUP_DATABASE_URL", s.URL)
	t.Setenv("FOLLOWUP_NEW_PASSWORD", "correct horse battery staple")
	ctx := context.Background()
	store := users.NewStore(s.DB)
	cmd := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"users"}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	code, out, errs := cmd("add", "--email", "boss@acme.test", "--role", "admin", "--name", "Boss")
	if code != 0 || !strings.Contains(out, "boss@acme.test (admin) can sign in at /login") {
		t.Fatalf("add: exit %d\n%s%s", code, out, errs)
	}
	if _, err := store.Authenticate(ctx, "boss@acme.test", "correct horse battery staple"); err != nil {
		t.Errorf("the new admin cannot sign in: %v", err)
	}

	code, out, errs = cmd("token", "--email", "boss@acme.test", "--name", "CI")
	secret := strings.TrimSpace(out)
	if code != 0 || secret == "" || !strings.Contains(errs, "shown once") {
		t.Fatalf("token: exit %d\n%s%s", code, out, errs)
	}
	if u, err := store.UserByToken(ctx, secret, time.Now()); err != nil || u.Email != "boss@acme.test" || u.Role != users.Admin {
		t.Fatalf("the token does not authenticate the admin: %+v %v", u, err)
	}

	code, out, _ = cmd("tokens", "--email", "boss@acme.test")
	m := regexp.MustCompile(`(?m)^(\d+)\s+CI\s`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("tokens: exit %d\n%s", code, out)
	}
	if code, out, errs = cmd("revoke", "--token-id", m[1]); code != 0 || !strings.Contains(out, "revoked") {
		t.Fatalf("revoke: exit %d\n%s%s", code, out, errs)
	}
	if _, err := store.UserByToken(ctx, secret, time.Now()); err == nil {
		t.Errorf("a revoked token still authenticates")
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"add", "--role", "admin"}, "--email is required"},
		{[]string{"add", "--email", "x@acme.test", "--role", "boss"}, "boss"},
		{[]string{"add", "--email", "boss@acme.test", "--role", "cx"}, "boss@acme.test"},
		{[]string{"token", "--email", "nobody@acme.test", "--name", "x"}, "nobody@acme.test"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	} {
		code, out, errs := cmd(tc.args...)
		if code == 0 || !strings.Contains(errs, tc.want) {
			t.Errorf("users %v: exit %d, want a failure saying %q\n%s%s", tc.args, code, tc.want, out, errs)
		}
	}
	if n := count(t, s, "users"); n != 1 {
		t.Errorf("%d users after the refusals, want 1", n)
	}
}
