package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// ExportedInvitation is a survey email of a customer's export: what the
// product keeps of it (its body is not kept; it is rendered when sent).
type ExportedInvitation struct {
	ID           int64      `db:"id" json:"id"`
	Campaign     string     `db:"campaign" json:"campaign"`
	EventID      *int64     `db:"event_id" json:"event_id,omitempty"`
	Kind         string     `db:"send_kind" json:"kind"`
	State        string     `db:"state" json:"state"`
	ScheduledFor time.Time  `db:"scheduled_for" json:"scheduled_for"`
	SentAt       *time.Time `db:"sent_at" json:"sent_at,omitempty"`
	AnsweredAt   *time.Time `db:"answered_at" json:"answered_at,omitempty"`
	ExpiresAt    *time.Time `db:"expires_at" json:"expires_at,omitempty"`
	MessageID    *string    `db:"message_id" json:"message_id,omitempty"`
	Reason       string     `db:"reason" json:"reason,omitempty"`
}

// ExportInvitations returns every invitation of a customer, oldest first.
func (s *Store) ExportInvitations(ctx context.Context, tx sqlx.QueryerContext, customerID int64) ([]ExportedInvitation, error) {
	out := []ExportedInvitation{}
	err := sqlx.SelectContext(ctx, tx, &out, `SELECT i.id, c.name AS campaign, i.event_id, i.send_kind, i.state, i.scheduled_for,
		i.sent_at, i.answered_at, i.expires_at, i.message_id, i.reason
		FROM invitations i JOIN campaigns c ON c.id = i.campaign_id WHERE i.customer_id = $1 ORDER BY i.scheduled_for, i.id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("export invitations of customer %d: %w", customerID, err)
	}
	return out, nil
}

// EraseInvitations removes the mentions of a customer's address from why
// their invitations failed or were suppressed (an SMTP server quotes the
// address it refuses), in tx. Nothing is sent to an erased customer any
// more: customers.EraseCustomer opts them out, which the send-time check
// reads. It returns how many invitations changed.
func (s *Store) EraseInvitations(ctx context.Context, tx sqlx.ExecerContext, customerID int64, email string) (int64, error) {
	res, err := tx.ExecContext(ctx, `UPDATE invitations SET reason = erase_mention(reason, $2)
		WHERE customer_id = $1 AND reason <> erase_mention(reason, $2)`, customerID, email)
	if err != nil {
		return 0, fmt.Errorf("erase the invitations of customer %d: %w", customerID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
