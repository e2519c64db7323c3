package customers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/followup/followup/internal/trunc"
)

// Reasons an address is suppressed.
const (
	// SuppressedBounced: the mail server refused the address for good.
	SuppressedBounced = "bounced"
	// SuppressedUnsubscribed: its owner asked to receive nothing more.
	SuppressedUnsubscribed = "unsubscribed"
)

// SuppressAddress records that email must not be emailed again, with why.
// A first reason is kept: an address that bounced stays bounced.
func (s *Store) SuppressAddress(ctx context.Context, email, reason, detail string, now time.Time) error {
	detail = trunc.Runes(detail, 500)
	_, err := s.db.ExecContext(ctx, `INSERT INTO email_suppressions (email, reason, detail, created_at) VALUES (lower($1), $2, $3, $4)
		ON CONFLICT (email) DO NOTHING`, strings.TrimSpace(email), reason, detail, now)
	if err != nil {
		return fmt.Errorf("suppress %s: %w", email, err)
	}
	return nil
}

// AddressSuppression returns why email is suppressed, or "" when it is not.
func (s *Store) AddressSuppression(ctx context.Context, email string) (string, error) {
	var reason string
	err := s.db.GetContext(ctx, &reason, `SELECT reason FROM email_suppressions WHERE email = lower($1)`, strings.TrimSpace(email))
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("suppression of %s: %w", email, err)
	}
	return reason, nil
}

// OptOut records that a customer wants no more surveys: from now on no
// campaign includes them and nothing already scheduled is sent (checked at
// send time). Their address is suppressed too, for any other record that
// carries it. Opting out twice keeps the first date.
func (s *Store) OptOut(ctx context.Context, customerID int64, now time.Time) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("opt out customer %d: %w", customerID, err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit, ErrTxDone: nothing to undo
	var email string
	err = tx.GetContext(ctx, &email, `UPDATE customers SET opted_out_at = COALESCE(opted_out_at, $2), updated_at = $2
		WHERE id = $1 RETURNING email`, customerID, now)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("customer %d: %w", customerID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("opt out customer %d: %w", customerID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO email_suppressions (email, reason, created_at) VALUES (lower($1), 'unsubscribed', $2)
		ON CONFLICT (email) DO NOTHING`, email, now); err != nil {
		return fmt.Errorf("suppress the address of customer %d: %w", customerID, err)
	}
	return tx.Commit()
}
