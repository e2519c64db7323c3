package users

import (
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/mail/address"
)

// Role is what a user does.
type Role string

// Roles.
const (
	// Marketing schedules campaigns and edits surveys.
	Marketing Role = "marketing"
	// CX works the queue of complaints.
	CX Role = "cx"
	// Manager reads the external loop and takes escalations.
	Manager Role = "manager"
	// Admin may do everything, including managing users and the queues.
	Admin Role = "admin"
)

// Roles lists every role.
var Roles = []Role{Marketing, CX, Manager, Admin}

// Valid reports whether r is a role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// User is a person with access to followup.
type User struct {
	ID    int64  `db:"id" json:"id"`
	Email string `db:"email" json:"email"`
	Name  string `db:"name" json:"name"`
	Role  Role   `db:"role" json:"role"`
	Team  string `db:"team" json:"team"`
	// Locale is the language of the person's staff pages ("en", "fr");
	// empty means the browser's.
	Locale     string     `db:"locale" json:"locale"`
	DisabledAt *time.Time `db:"disabled_at" json:"disabled_at,omitempty"`
	CreatedAt  time.Time  `db:"created_at" json:"created_at"`
}

// Can reports whether the user holds one of roles. Admins hold them all.
func (u User) Can(roles ...Role) bool {
	return u.Role == Admin || slices.Contains(roles, u.Role)
}

// Errors of the users package.
var (
	ErrNotFound       = errors.New("user not found")
	ErrEmailTaken     = errors.New("a user with this email already exists")
	ErrBadCredentials = errors.New("wrong email or password")
	ErrWeakPassword   = errors.New("the password must have at least 12 characters")
)

// NewUser is a user to create.
type NewUser struct {
	Email    string
	Name     string
	Role     Role
	Team     string
	Password string
}

// Validate checks a new user.
func (n *NewUser) Validate() error {
	n.Email = strings.ToLower(strings.TrimSpace(n.Email))
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email {
		return fmt.Errorf("%q is not an email address", n.Email)
	}
	if !n.Role.Valid() {
		return fmt.Errorf("%q is not a role (marketing, cx, manager, admin)", n.Role)
	}
	if strings.ContainsAny(n.Name+n.Team, "\r\n") || len(n.Name) > 200 || len(n.Team) > 80 {
		return errors.New("name and team are one short line each")
	}
	if fe := invalid.Text("name", n.Name); fe != nil {
		return fe
	}
	if fe := invalid.Text("team", n.Team); fe != nil {
		return fe
	}
	// Alerts and reports are emailed to users: the mailer's own check.
	if _, err := address.Recipient(n.Name, n.Email); err != nil {
		return err
	}
	if len([]rune(n.Password)) < 12 {
		return ErrWeakPassword
	}
	return nil
}
