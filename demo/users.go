package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/followup/followup/app"
	"github.com/followup/followup/users"
)

// demoAccess is how the demo and the person watching it get in.
type demoAccess struct {
	// token is the marketing API token the demo posts events with.
	token string
	// cxToken is the CX agent's: the demo works a complaint with it, and
	// the person watching can read complaints through the API.
	cxToken string
	// logins are the demo's people and their passwords, new each run.
	logins []demoLogin
}

type demoLogin struct {
	email, password string
	role            users.Role
}

// seedUsers makes (or refreshes) one user per role, with a fresh password
// each run, and an API token for posting events.
func seedUsers(ctx context.Context, a *app.App) (demoAccess, error) {
	var acc demoAccess
	for _, role := range []users.Role{users.Admin, users.Marketing, users.CX, users.Manager} {
		email := string(role) + "@demo.followup.localhost"
		pw := randomPassword()
		u, err := a.Users.ByEmail(ctx, email)
		switch {
		case errors.Is(err, users.ErrNotFound):
			u, err = a.Users.Create(ctx, users.NewUser{Email: email, Name: "Demo " + string(role), Role: role, Team: "demo", Password: pw})
		case err == nil:
			err = a.Users.SetPassword(ctx, u.ID, pw)
		}
		if err != nil {
			return acc, fmt.Errorf("demo user %s: %w", email, err)
		}
		acc.logins = append(acc.logins, demoLogin{email: email, password: pw, role: role})
		switch role {
		case users.Marketing:
			_, acc.token, err = a.Users.NewToken(ctx, u.ID, "demo event feed")
		case users.CX:
			_, acc.cxToken, err = a.Users.NewToken(ctx, u.ID, "demo CX agent")
		}
		if err != nil {
			return acc, err
		}
	}
	return acc, nil
}

func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
