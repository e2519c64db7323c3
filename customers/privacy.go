package customers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Erased is the word that replaces what a person wrote or was called once
// their data is erased or past its retention.
const Erased = "[erased]"

// ErasedEmail is the address an erased customer keeps: unique per
// customer, in the reserved .invalid domain, so it can never be mailed.
func ErasedEmail(id int64) string { return fmt.Sprintf("erased-%d@erased.invalid", id) }

// ErasedRef is the external reference an erased customer keeps.
func ErasedRef(id int64) string { return fmt.Sprintf("erased-%d", id) }

// Profile is everything the customers table holds of one person, with the
// suppression of their address.
type Profile struct {
	Customer
	CreatedAt time.Time  `db:"created_at" json:"created_at"`
	UpdatedAt time.Time  `db:"updated_at" json:"updated_at"`
	ErasedAt  *time.Time `db:"erased_at" json:"erased_at,omitempty"`
	// Suppression says why the address must not be mailed ("bounced",
	// "unsubscribed"), or "" when it may be.
	Suppression       string `db:"suppression" json:"suppression,omitempty"`
	SuppressionDetail string `db:"suppression_detail" json:"suppression_detail,omitempty"`
}

// Profile returns one customer's profile, in tx when it is not nil.
func (s *Store) Profile(ctx context.Context, tx sqlx.QueryerContext, id int64) (Profile, error) {
	if tx == nil {
		tx = s.db
	}
	var p Profile
	err := sqlx.GetContext(ctx, tx, &p, `SELECT cu.id, cu.external_ref, cu.email, cu.name, cu.locale, cu.time_zone, cu.segment,
		cu.annual_value_cents, cu.currency, cu.opted_out_at, cu.created_at, cu.updated_at, cu.erased_at,
		COALESCE(sup.reason, '') AS suppression, COALESCE(sup.detail, '') AS suppression_detail
		FROM customers cu LEFT JOIN email_suppressions sup ON sup.email = lower(cu.email) WHERE cu.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("customer %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("customer %d profile: %w", id, err)
	}
	return p, nil
}

// ExportEvents returns every service event of a customer, oldest first.
func (s *Store) ExportEvents(ctx context.Context, tx sqlx.QueryerContext, customerID int64) ([]Event, error) {
	out := []Event{}
	err := sqlx.SelectContext(ctx, tx, &out, `SELECT id, external_id, customer_id, kind, channel, touchpoint, team, occurred_at,
		prejudice_cents, attributes FROM service_events WHERE customer_id = $1 ORDER BY occurred_at, id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("export events of customer %d: %w", customerID, err)
	}
	return out, nil
}

// ErasedPerson is who a customer was before EraseCustomer: what other
// owners look for in the text they keep (an address quoted in an SMTP
// error, a name in an alert).
type ErasedPerson struct {
	Email       string
	Name        string
	ExternalRef string
	// Before is false when the customer was already erased: Email, Name
	// and ExternalRef are then the placeholders.
	Before bool
}

// ErasedCounts are the rows an erase changed, per table.
type ErasedCounts map[string]int64

// EraseCustomer replaces a customer's personal data in tx, locking the row:
// the name is emptied, the email and the external reference become
// placeholders (ErasedEmail, ErasedRef), the customer is opted out, and
// their events lose their external id and attributes (their kind, time,
// team, touchpoint and prejudice stay for the reports). A suppression of
// the address is kept only as its hash (customer_email_hash), unless
// another customer still carries the address. Erasing twice changes
// nothing more.
func (s *Store) EraseCustomer(ctx context.Context, tx *sqlx.Tx, id int64, now time.Time) (ErasedPerson, ErasedCounts, error) {
	var p ErasedPerson
	var erasedAt *time.Time
	row := tx.QueryRowxContext(ctx, `SELECT email, name, external_ref, erased_at FROM customers WHERE id = $1 FOR UPDATE`, id)
	if err := row.Scan(&p.Email, &p.Name, &p.ExternalRef, &erasedAt); errors.Is(err, sql.ErrNoRows) {
		return p, nil, fmt.Errorf("customer %d: %w", id, ErrNotFound)
	} else if err != nil {
		return p, nil, fmt.Errorf("lock customer %d to erase it: %w", id, err)
	}
	p.Before = erasedAt == nil
	counts := ErasedCounts{}
	if p.Before {
		var others int
		if err := tx.GetContext(ctx, &others, `SELECT count(*) FROM customers WHERE lower(email) = lower($1) AND id <> $2 AND erased_at IS NULL`,
			p.Email, id); err != nil {
			return p, nil, fmt.Errorf("customers sharing the address of customer %d: %w", id, err)
		}
		if others == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO email_suppressions (email, reason, detail, created_at)
				SELECT customer_email_hash(email), reason, '', created_at FROM email_suppressions WHERE email = lower($1)
				ON CONFLICT (email) DO NOTHING`, p.Email); err != nil {
				return p, nil, fmt.Errorf("hash the suppression of customer %d: %w", id, err)
			}
			res, err := tx.ExecContext(ctx, `DELETE FROM email_suppressions WHERE email = lower($1)`, p.Email)
			if err != nil {
				return p, nil, fmt.Errorf("erase the suppression of customer %d: %w", id, err)
			}
			counts["email_suppressions"] = rowsAffected(res)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE customers SET email = $2, name = '', external_ref = $3,
			opted_out_at = COALESCE(opted_out_at, $4), erased_at = $4, updated_at = $4 WHERE id = $1`,
			id, ErasedEmail(id), ErasedRef(id), now); err != nil {
			return p, nil, fmt.Errorf("erase customer %d: %w", id, err)
		}
		counts["customers"] = 1
	}
	res, err := tx.ExecContext(ctx, `UPDATE service_events SET external_id = 'erased-' || id, attributes = '{}'
		WHERE customer_id = $1 AND (external_id <> 'erased-' || id OR attributes <> '{}')`, id)
	if err != nil {
		return p, nil, fmt.Errorf("erase the events of customer %d: %w", id, err)
	}
	counts["service_events"] = rowsAffected(res)
	return p, counts, nil
}

// Resolve finds the customer a command names: by external reference
// first, then, for text with an @, by email (refused when several
// customers share it), then "id:N" by id.
func (s *Store) Resolve(ctx context.Context, ref string) (int64, error) {
	var id int64
	err := s.db.GetContext(ctx, &id, `SELECT id FROM customers WHERE external_ref = $1`, ref)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("find customer %q: %w", ref, err)
	}
	var n int64
	if _, serr := fmt.Sscanf(ref, "id:%d", &n); serr == nil && fmt.Sprintf("id:%d", n) == ref {
		if err := s.db.GetContext(ctx, &id, `SELECT id FROM customers WHERE id = $1`, n); err == nil {
			return id, nil
		}
		return 0, fmt.Errorf("customer %s: %w", ref, ErrNotFound)
	}
	var ids []int64
	if err := s.db.SelectContext(ctx, &ids, `SELECT id FROM customers WHERE lower(email) = lower($1) ORDER BY id`, ref); err != nil {
		return 0, fmt.Errorf("find customer %q by email: %w", ref, err)
	}
	switch len(ids) {
	case 0:
		return 0, fmt.Errorf("customer %q (an external reference, an email or id:N): %w", ref, ErrNotFound)
	case 1:
		return ids[0], nil
	default:
		return 0, fmt.Errorf("%d customers have the address %s (ids %v): name one by its external reference or id:N", len(ids), ref, ids)
	}
}

func rowsAffected(res sql.Result) int64 {
	n, _ := res.RowsAffected()
	return n
}
