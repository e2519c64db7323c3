package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/config"
	"github.com/followup/followup/users"
)

const usersUsage = `usage:
  followup users add --email E --role marketing|cx|manager|admin [--name N] [--team T]
                      (the password is read from FOLLOWUP_NEW_PASSWORD, else from standard input)
  followup users password --email E        (new password as for add)
  followup users token --email E --name "what it is for"   (prints the token once)
  followup users tokens --email E
  followup users revoke --token-id N
  followup users disable --email E
  followup users list
`

// cmdUsers manages the people who use followup and their API tokens.
func cmdUsers(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(stderr, usersUsage)
		return errUsage
	}
	sub, args := args[0], args[1:]
	var email, name, role, team string
	var tokenID int64
	cfg, _, err := loadConfig("users "+sub, args, stderr, config.Options{}, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the user's email")
		fs.StringVar(&name, "name", "", "the user's name, or the token's purpose")
		fs.StringVar(&role, "role", "", "marketing, cx, manager or admin")
		fs.StringVar(&team, "team", "", "the user's team (CX queues filter by team)")
		fs.Int64Var(&tokenID, "token-id", 0, "the token to revoke")
	})
	if err != nil {
		return err
	}
	db, err := sqlx.Open("postgres", cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	store := users.NewStore(db)
	need := func(v, flagName string) error {
		if v == "" {
			fmt.Fprintf(stderr, "followup users %s: --%s is required\n\n%s", sub, flagName, usersUsage)
			return errUsage
		}
		return nil
	}
	switch sub {
	case "add":
		if err := need(email, "email"); err != nil {
			return err
		}
		if err := need(role, "role"); err != nil {
			return err
		}
		pw, err := newPassword(stdin, stderr)
		if err != nil {
			return err
		}
		u, err := store.Create(ctx, users.NewUser{Email: email, Name: name, Role: users.Role(role), Team: team, Password: pw})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %d: %s (%s) can sign in at /login\n", u.ID, u.Email, u.Role)
	case "password":
		if err := need(email, "email"); err != nil {
			return err
		}
		u, err := store.ByEmail(ctx, email)
		if err != nil {
			return fmt.Errorf("%s: %w", email, err)
		}
		pw, err := newPassword(stdin, stderr)
		if err != nil {
			return err
		}
		if err := store.SetPassword(ctx, u.ID, pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed\n", u.Email)
	case "token":
		if err := need(email, "email"); err != nil {
			return err
		}
		if err := need(name, "name"); err != nil {
			return err
		}
		u, err := store.ByEmail(ctx, email)
		if err != nil {
			return fmt.Errorf("%s: %w", email, err)
		}
		t, secret, err := store.NewToken(ctx, u.ID, name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "token %d for %s (%s), %q. It is shown once; keep it secret:\n", t.ID, u.Email, u.Role, t.Name)
		fmt.Fprintln(stdout, secret)
	case "tokens":
		if err := need(email, "email"); err != nil {
			return err
		}
		u, err := store.ByEmail(ctx, email)
		if err != nil {
			return fmt.Errorf("%s: %w", email, err)
		}
		list, err := store.Tokens(ctx, u.ID)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "id\tname\tcreated\tlast used\trevoked")
		for _, t := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.CreatedAt.Format(time.DateTime), when(t.LastUsedAt), when(t.RevokedAt))
		}
		tw.Flush()
	case "revoke":
		if tokenID <= 0 {
			return need("", "token-id")
		}
		if err := store.RevokeToken(ctx, tokenID, time.Now()); err != nil {
			return fmt.Errorf("token %d: %w", tokenID, err)
		}
		fmt.Fprintf(stdout, "token %d revoked\n", tokenID)
	case "disable":
		if err := need(email, "email"); err != nil {
			return err
		}
		u, err := store.ByEmail(ctx, email)
		if err != nil {
			return fmt.Errorf("%s: %w", email, err)
		}
		if err := store.Disable(ctx, u.ID, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s disabled: signed out, tokens revoked\n", u.Email)
	case "list":
		list, err := store.List(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "id\temail\tname\trole\tteam\tdisabled")
		for _, u := range list {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, u.Team, when(u.DisabledAt))
		}
		tw.Flush()
	default:
		fmt.Fprintf(stderr, "followup users: unknown command %q\n\n%s", sub, usersUsage)
		return errUsage
	}
	return nil
}

// newPassword reads a new password from FOLLOWUP_NEW_PASSWORD or the first
// line of standard input.
func newPassword(stdin io.Reader, stderr io.Writer) (string, error) {
	if pw := os.Getenv("FOLLOWUP_NEW_PASSWORD"); pw != "" {
		return pw, nil
	}
	fmt.Fprint(stderr, "password (at least 12 characters): ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("no password given on standard input or in FOLLOWUP_NEW_PASSWORD")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.Format(time.DateTime)
}
