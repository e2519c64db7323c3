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
	c := &usersCmd{ctx: ctx, store: users.NewStore(db), sub: sub, stdin: stdin, stdout: stdout, stderr: stderr,
		email: email, name: name, role: role, team: team, tokenID: tokenID}
	switch sub {
	case "add":
		return c.add()
	case "password":
		return c.password()
	case "token":
		return c.token()
	case "tokens":
		return c.tokens()
	case "revoke":
		return c.revoke()
	case "disable":
		return c.disable()
	case "list":
		return c.list()
	}
	fmt.Fprintf(stderr, "followup users: unknown command %q\n\n%s", sub, usersUsage)
	return errUsage
}

// usersCmd is one run of followup users: its flags and where it writes.
type usersCmd struct {
	ctx                     context.Context
	store                   *users.Store
	sub                     string
	stdin                   io.Reader
	stdout, stderr          io.Writer
	email, name, role, team string
	tokenID                 int64
}

// need refuses an empty required flag.
func (c *usersCmd) need(v, flagName string) error {
	if v == "" {
		fmt.Fprintf(c.stderr, "followup users %s: --%s is required\n\n%s", c.sub, flagName, usersUsage)
		return errUsage
	}
	return nil
}

// user finds the user named by --email.
func (c *usersCmd) user() (users.User, error) {
	if err := c.need(c.email, "email"); err != nil {
		return users.User{}, err
	}
	u, err := c.store.ByEmail(c.ctx, c.email)
	if err != nil {
		return users.User{}, fmt.Errorf("%s: %w", c.email, err)
	}
	return u, nil
}

func (c *usersCmd) add() error {
	if err := c.need(c.email, "email"); err != nil {
		return err
	}
	if err := c.need(c.role, "role"); err != nil {
		return err
	}
	pw, err := newPassword(c.stdin, c.stderr)
	if err != nil {
		return err
	}
	u, err := c.store.Create(c.ctx, users.NewUser{Email: c.email, Name: c.name, Role: users.Role(c.role), Team: c.team, Password: pw})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "user %d: %s (%s) can sign in at /login\n", u.ID, u.Email, u.Role)
	return nil
}

func (c *usersCmd) password() error {
	u, err := c.user()
	if err != nil {
		return err
	}
	pw, err := newPassword(c.stdin, c.stderr)
	if err != nil {
		return err
	}
	if err := c.store.SetPassword(c.ctx, u.ID, pw); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "password of %s changed\n", u.Email)
	return nil
}

func (c *usersCmd) token() error {
	if err := c.need(c.email, "email"); err != nil {
		return err
	}
	if err := c.need(c.name, "name"); err != nil {
		return err
	}
	u, err := c.user()
	if err != nil {
		return err
	}
	t, secret, err := c.store.NewToken(c.ctx, u.ID, c.name)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "token %d for %s (%s), %q. It is shown once; keep it secret:\n", t.ID, u.Email, u.Role, t.Name)
	fmt.Fprintln(c.stdout, secret)
	return nil
}

func (c *usersCmd) tokens() error {
	u, err := c.user()
	if err != nil {
		return err
	}
	list, err := c.store.Tokens(c.ctx, u.ID)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "id\tname\tcreated\tlast used\trevoked")
	for _, t := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.CreatedAt.Format(time.DateTime), when(t.LastUsedAt), when(t.RevokedAt))
	}
	return tw.Flush()
}

func (c *usersCmd) revoke() error {
	if c.tokenID <= 0 {
		return c.need("", "token-id")
	}
	if err := c.store.RevokeToken(c.ctx, c.tokenID, time.Now()); err != nil {
		return fmt.Errorf("token %d: %w", c.tokenID, err)
	}
	fmt.Fprintf(c.stdout, "token %d revoked\n", c.tokenID)
	return nil
}

func (c *usersCmd) disable() error {
	u, err := c.user()
	if err != nil {
		return err
	}
	if err := c.store.Disable(c.ctx, u.ID, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "%s disabled: signed out, tokens revoked\n", u.Email)
	return nil
}

func (c *usersCmd) list() error {
	list, err := c.store.List(c.ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(c.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "id\temail\tname\trole\tteam\tdisabled")
	for _, u := range list {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, u.Team, when(u.DisabledAt))
	}
	return tw.Flush()
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
