package users_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/users"
)

func TestPasswords(t *testing.T) {
	h, err := users.HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id in PHC form", h)
	}
	h2, _ := users.HashPassword("a long enough password")
	if h == h2 {
		t.Error("two hashes of one password must differ (salt)")
	}
	for pw, ok := range map[string]bool{"a long enough password": true, "a long enough passworD": false, "": false} {
		if users.CheckPassword(h, pw) != ok {
			t.Errorf("CheckPassword(%q) != %v", pw, ok)
		}
	}
	if users.CheckPassword("$2a$10$notargon", "x") || users.CheckPassword("garbage", "x") {
		t.Error("a malformed hash must never match")
	}
}

func TestAccountsSessionsAndTokens(t *testing.T) {
	t.Parallel()
	s := users.NewStore(testenv.NewSchema(t).DB)
	ctx := context.Background()
	now := time.Now()
	bad := []users.NewUser{
		{Email: "not-an-email", Role: users.CX, Password: "long enough password"},
		{Email: "a@x.test", Role: "boss", Password: "long enough password"},
		{Email: "a@x.test", Role: users.CX, Password: "short"},
	}
	for _, n := range bad {
		if _, err := s.Create(ctx, n); err == nil {
			t.Errorf("%+v accepted", n)
		}
	}
	u, err := s.Create(ctx, users.NewUser{Email: " Ann@X.test ", Name: "Ann", Role: users.CX, Team: "east", Password: "long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "ann@x.test" {
		t.Errorf("email stored as %q", u.Email)
	}
	if _, err := s.Create(ctx, users.NewUser{Email: "ann@x.test", Role: users.CX, Password: "long enough password"}); !errors.Is(err, users.ErrEmailTaken) {
		t.Errorf("duplicate email: %v", err)
	}
	if _, err := s.Authenticate(ctx, "ANN@x.test", "wrong password here"); !errors.Is(err, users.ErrBadCredentials) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := s.Authenticate(ctx, "nobody@x.test", "long enough password"); !errors.Is(err, users.ErrBadCredentials) {
		t.Errorf("unknown user: %v", err)
	}
	if got, err := s.Authenticate(ctx, "ANN@x.test", "long enough password"); err != nil || got.ID != u.ID {
		t.Fatalf("sign in: %v", err)
	}

	sess, err := s.NewSession(ctx, u, now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.SessionByToken(ctx, sess.Token, now); err != nil || got.User.ID != u.ID || got.CSRF == "" {
		t.Fatalf("session lookup: %v", err)
	}
	if _, err := s.SessionByToken(ctx, sess.Token, now.Add(2*time.Hour)); !errors.Is(err, users.ErrNotFound) {
		t.Error("an expired session must not work")
	}
	tok, secret, err := s.NewToken(ctx, u.ID, "CRM export")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.UserByToken(ctx, secret, now); err != nil || got.ID != u.ID {
		t.Fatalf("token lookup: %v", err)
	}
	if _, err := s.UserByToken(ctx, secret+"x", now); !errors.Is(err, users.ErrNotFound) {
		t.Error("a wrong token must not work")
	}
	if err := s.RevokeToken(ctx, tok.ID, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByToken(ctx, secret, now); !errors.Is(err, users.ErrNotFound) {
		t.Error("a revoked token must not work")
	}
	_, secret2, _ := s.NewToken(ctx, u.ID, "another")
	if err := s.Disable(ctx, u.ID, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, sess.Token, now); err == nil {
		t.Error("a disabled user's session must end")
	}
	if _, err := s.UserByToken(ctx, secret2, now); err == nil {
		t.Error("a disabled user's tokens must stop working")
	}
	if _, err := s.Authenticate(ctx, "ann@x.test", "long enough password"); err == nil {
		t.Error("a disabled user must not sign in")
	}
}

// TestLocale: a person's language of the staff pages is kept, read back by
// their sessions, and only a staff language (or none) is accepted.
func TestLocale(t *testing.T) {
	t.Parallel()
	s := users.NewStore(testenv.NewSchema(t).DB)
	ctx := context.Background()
	u, err := s.Create(ctx, users.NewUser{Email: "claire@example.com", Name: "Claire", Role: users.CX, Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Locale != "" {
		t.Errorf("a new person's locale is %q, want empty (the browser's)", u.Locale)
	}
	if err := s.SetLocale(ctx, u.ID, "fr"); err != nil {
		t.Fatal(err)
	}
	sess, err := s.NewSession(ctx, u, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.SessionByToken(ctx, sess.Token, time.Now())
	if err != nil || got.User.Locale != "fr" {
		t.Errorf("session user locale = %q (%v), want fr", got.User.Locale, err)
	}
	if err := s.SetLocale(ctx, u.ID, "de"); err == nil || !strings.Contains(err.Error(), "locale") {
		t.Errorf("SetLocale(de) = %v, want a locale field error", err)
	}
	if err := s.SetLocale(ctx, u.ID, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get(ctx, u.ID); got.Locale != "" {
		t.Errorf("locale after reset = %q", got.Locale)
	}
	if err := s.SetLocale(ctx, 1<<40, "en"); !errors.Is(err, users.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
}
