package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ReasonTemporary begins the reason of an email given up after temporary
// failures (the server down, throttling) for the whole give-up period; its
// first word is the cause the stats count ("temporary").
const ReasonTemporary = "temporary delivery failure"

// Resent says what ResendFailed put back.
type Resent struct {
	// Invitations are first emails that had failed, due again.
	Invitations int `json:"invitations" db:"invitations"`
	// Reminders are reminders that had been given up, due again.
	Reminders int `json:"reminders" db:"reminders"`
}

// ResendFailed puts back every email of a campaign given up after
// temporary failures (a long SMTP outage): failed first emails become due
// now, with a fresh give-up period, and so do the reminders given up on
// invitations still open. Nothing else changes: the send-time rules
// (opt-out, suppressed addresses, a paused campaign, the frequency cap)
// are applied when they go, as for any email. Emails refused for good
// (bounced, rejected) are not resent. An archived campaign resends nothing
// (ErrArchived).
func (s *Store) ResendFailed(ctx context.Context, campaignID int64, now time.Time) (Resent, error) {
	var out Resent
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return out, fmt.Errorf("resend failed emails of campaign %d: %w", campaignID, err)
	}
	defer tx.Rollback()
	var state string
	err = tx.GetContext(ctx, &state, `SELECT state FROM campaigns WHERE id = $1 FOR SHARE`, campaignID)
	if errors.Is(err, sql.ErrNoRows) {
		return out, fmt.Errorf("campaign %d: %w", campaignID, ErrNotFound)
	}
	if err != nil {
		return out, fmt.Errorf("campaign %d: %w", campaignID, err)
	}
	if state == StateArchived {
		return out, fmt.Errorf("resend failed emails of campaign %d: %w", campaignID, ErrArchived)
	}
	// A reminder given up leaves its invitation sent with no next reminder
	// and the failure as its reason; an expired or answered one stays so.
	if err := tx.GetContext(ctx, &out, `WITH back AS (
		UPDATE invitations SET
			state = CASE WHEN state = 'failed' THEN 'scheduled' ELSE state END,
			scheduled_for = CASE WHEN state = 'failed' THEN $2 ELSE scheduled_for END,
			next_reminder_at = CASE WHEN state = 'sent' THEN $2 ELSE next_reminder_at END,
			attempts = 0, first_failed_at = NULL, reason = '', batch_id = NULL, updated_at = $2
		WHERE campaign_id = $1 AND starts_with(reason, $3)
			AND ((state = 'failed' AND send_kind <> 'reminder') OR (state = 'sent' AND send_kind = 'reminder' AND next_reminder_at IS NULL))
		RETURNING id, campaign_id, customer_id, CASE WHEN state = 'sent' THEN 'reminder' ELSE 'invitation' END AS kind),
	due AS (
		INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
		SELECT id, kind, $2, campaign_id, customer_id FROM back
		ON CONFLICT (invitation_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at)
	SELECT count(*) FILTER (WHERE kind = 'invitation') AS invitations, count(*) FILTER (WHERE kind = 'reminder') AS reminders FROM back`,
		campaignID, now, ReasonTemporary); err != nil {
		return out, fmt.Errorf("resend failed emails of campaign %d: %w", campaignID, err)
	}
	if err := tx.Commit(); err != nil {
		return out, fmt.Errorf("resend failed emails of campaign %d: %w", campaignID, err)
	}
	return out, nil
}
