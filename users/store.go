package users

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/followup/followup/internal/prepared"
	"github.com/followup/followup/invalid"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Store reads and writes users, sessions and API tokens.
type Store struct {
	db *sqlx.DB
	// stmts keeps the statements every alert runs prepared.
	stmts *prepared.Cache
	// dummyHash is checked when an email is unknown, so a sign-in takes as
	// long whether or not the account exists. It is made at the first
	// sign-in, not with the store: hashing takes 19 MB and tens of
	// milliseconds, which the roles that never sign anyone in (worker,
	// scheduler, inbound) need not pay.
	dummyOnce sync.Once
	dummyHash string
}

// NewStore returns a Store on db.
func NewStore(db *sqlx.DB) *Store {
	return &Store{db: db, stmts: prepared.New(db)}
}

// dummy returns dummyHash, made on first use.
func (s *Store) dummy() string {
	s.dummyOnce.Do(func() { s.dummyHash, _ = HashPassword("no account has this password") })
	return s.dummyHash
}

const userColumns = `id, email, name, role, team, locale, disabled_at, created_at`

// Create stores a new user with a hashed password.
func (s *Store) Create(ctx context.Context, n NewUser) (User, error) {
	if err := n.Validate(); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(n.Password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.db.GetContext(ctx, &u, `INSERT INTO users (email, name, role, team, password_hash) VALUES ($1, $2, $3, $4, $5)
		RETURNING `+userColumns, n.Email, n.Name, n.Role, n.Team, hash)
	var pqErr *pq.Error
	if errors.As(err, &pqErr) && pqErr.Code == "23505" {
		return User{}, fmt.Errorf("user %s: %w", n.Email, ErrEmailTaken)
	}
	if err != nil {
		return User{}, fmt.Errorf("create user %s: %w", n.Email, err)
	}
	return u, nil
}

// SetPassword replaces a user's password.
func (s *Store) SetPassword(ctx context.Context, id int64, password string) error {
	if len([]rune(password)) < 12 {
		return ErrWeakPassword
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, id, hash)
	if err != nil {
		return fmt.Errorf("set password of user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Get returns one user.
func (s *Store) Get(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// ByEmail returns the user with email.
func (s *Store) ByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.db.GetContext(ctx, &u, `SELECT `+userColumns+` FROM users WHERE email = lower($1)`, strings.TrimSpace(email))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// List returns every user, by email.
func (s *Store) List(ctx context.Context) ([]User, error) {
	out := []User{}
	err := s.db.SelectContext(ctx, &out, `SELECT `+userColumns+` FROM users ORDER BY email`)
	return out, err
}

// ByRole returns the enabled users with one of roles (admins not included
// unless asked).
func (s *Store) ByRole(ctx context.Context, roles ...Role) ([]User, error) {
	names := make(pq.StringArray, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	out := []User{}
	// Every alert asks: prepared, with its plan kept.
	st, err := s.stmts.Stmt(ctx, `SELECT `+userColumns+` FROM users WHERE role = ANY (`+prepared.Opaque("$1::text[]")+`) AND disabled_at IS NULL ORDER BY email`)
	if err == nil {
		err = st.SelectContext(ctx, &out, names)
	}
	if err != nil {
		return nil, fmt.Errorf("users with roles %v: %w", names, err)
	}
	return out, nil
}

// StaffLocales are the languages of the staff pages a person may choose.
var StaffLocales = []string{"en", "fr"}

// SetLocale sets the language of a person's staff pages: one of
// StaffLocales, or "" for the browser's language.
func (s *Store) SetLocale(ctx context.Context, id int64, locale string) error {
	if locale != "" && !slices.Contains(StaffLocales, locale) {
		return invalid.Field("locale", fmt.Sprintf("%q is not a language of the staff pages (en, fr)", locale))
	}
	res, err := s.db.ExecContext(ctx, `UPDATE users SET locale = $2 WHERE id = $1`, id, locale)
	if err != nil {
		return fmt.Errorf("set locale of user %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Disable stops a user from signing in and revokes their sessions and tokens.
func (s *Store) Disable(ctx context.Context, id int64, now time.Time) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }() // after Commit, ErrTxDone: nothing to undo
	if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = COALESCE(disabled_at, $2) WHERE id = $1`, id, now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE user_id = $1`, id, now); err != nil {
		return err
	}
	return tx.Commit()
}

// Authenticate returns the enabled user whose email and password match.
func (s *Store) Authenticate(ctx context.Context, email, password string) (User, error) {
	// Made before the lookup, whatever its outcome: the first sign-in,
	// known account or not, pays for it alike.
	dummy := s.dummy()
	var row struct {
		User
		Hash string `db:"password_hash"`
	}
	err := s.db.GetContext(ctx, &row, `SELECT `+userColumns+`, password_hash FROM users WHERE email = lower($1)`, strings.TrimSpace(email))
	if errors.Is(err, sql.ErrNoRows) {
		CheckPassword(dummy, password)
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("sign in %s: %w", email, err)
	}
	if !CheckPassword(row.Hash, password) || row.DisabledAt != nil {
		return User{}, ErrBadCredentials
	}
	return row.User, nil
}

// Session is a signed-in browser.
type Session struct {
	// Token goes in the cookie; only its hash is stored.
	Token string
	// CSRF must come back with every form the session posts.
	CSRF      string
	User      User
	ExpiresAt time.Time
}

// NewSession signs a user in for ttl.
func (s *Store) NewSession(ctx context.Context, u User, now time.Time, ttl time.Duration) (Session, error) {
	sess := Session{Token: "fs_" + randomToken(), CSRF: randomToken(), User: u, ExpiresAt: now.Add(ttl)}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		hashToken(sess.Token), u.ID, sess.CSRF, now, sess.ExpiresAt); err != nil {
		return Session{}, fmt.Errorf("new session: %w", err)
	}
	return sess, nil
}

// SessionByToken returns the live session with token, or ErrNotFound.
func (s *Store) SessionByToken(ctx context.Context, token string, now time.Time) (Session, error) {
	var row struct {
		User
		CSRF      string    `db:"csrf_token"`
		ExpiresAt time.Time `db:"expires_at"`
	}
	err := s.db.GetContext(ctx, &row, `SELECT u.id, u.email, u.name, u.role, u.team, u.locale, u.disabled_at, u.created_at, s.csrf_token, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`, hashToken(token), now)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	return Session{Token: token, CSRF: row.CSRF, User: row.User, ExpiresAt: row.ExpiresAt}, nil
}

// EndSession signs a browser out.
func (s *Store) EndSession(ctx context.Context, token string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token))
	return err
}

// Token is an API token's record. Its secret is shown once, at creation.
type Token struct {
	ID         int64      `db:"id" json:"id"`
	UserID     int64      `db:"user_id" json:"user_id"`
	Name       string     `db:"name" json:"name"`
	CreatedAt  time.Time  `db:"created_at" json:"created_at"`
	LastUsedAt *time.Time `db:"last_used_at" json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `db:"revoked_at" json:"revoked_at,omitempty"`
}

// NewToken creates an API token for a user and returns its secret, which
// is not stored and cannot be shown again.
func (s *Store) NewToken(ctx context.Context, userID int64, name string) (Token, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 || strings.ContainsAny(name, "\r\n") {
		return Token{}, "", errors.New("a token needs a name of one short line, such as \"CRM export\"")
	}
	secret := "fu_" + randomToken()
	var t Token
	err := s.db.GetContext(ctx, &t, `INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, $2, $3)
		RETURNING id, user_id, name, created_at, last_used_at, revoked_at`, userID, name, hashToken(secret))
	if err != nil {
		return Token{}, "", fmt.Errorf("new token: %w", err)
	}
	return t, secret, nil
}

// UserByToken returns the enabled user owning a live API token.
func (s *Store) UserByToken(ctx context.Context, secret string, now time.Time) (User, error) {
	var u User
	err := s.db.GetContext(ctx, &u, `WITH t AS (
			UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id)
		SELECT `+userColumns+` FROM users WHERE id = (SELECT user_id FROM t) AND disabled_at IS NULL`, hashToken(secret), now)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	return u, err
}

// Tokens lists a user's tokens (never their secrets).
func (s *Store) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	out := []Token{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id`, userID)
	return out, err
}

// RevokeToken makes a token unusable.
func (s *Store) RevokeToken(ctx context.Context, id int64, now time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1`, id, now)
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}
