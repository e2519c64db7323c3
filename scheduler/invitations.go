package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// Invitation states.
const (
	InvitationScheduled  = "scheduled"
	InvitationQueued     = "queued"
	InvitationSending    = "sending"
	InvitationSent       = "sent"
	InvitationAnswered   = "answered"
	InvitationExpired    = "expired"
	InvitationSuppressed = "suppressed"
	InvitationFailed     = "failed"
)

// What a queued invitation sends.
const (
	SendInvitation = "invitation"
	SendReminder   = "reminder"
)

// Reasons recorded on suppressed, rescheduled or failed invitations.
const (
	ReasonOptedOut         = "opted_out"
	ReasonCampaignArchived = "campaign_archived"
	ReasonCampaignPaused   = "campaign_paused"
	ReasonFrequencyCap     = "frequency_cap"
)

// Outgoing is an invitation claimed for sending, with what the email needs.
type Outgoing struct {
	ID              int64     `db:"id"`
	CustomerID      int64     `db:"customer_id"`
	CampaignID      int64     `db:"campaign_id"`
	SurveyVersionID int64     `db:"survey_version_id"`
	Attempts        int       `db:"attempts"`
	ExpiresAt       time.Time `db:"expires_at"`
	Email           string    `db:"email"`
	Name            string    `db:"name"`
	Locale          string    `db:"locale"`
	OptedOut        bool      `db:"opted_out"`
	CampaignState   string    `db:"campaign_state"`
	// SendKind is SendInvitation or SendReminder.
	SendKind string `db:"send_kind"`
	// RemindersSent counts the reminders already sent before this one.
	RemindersSent int `db:"reminders_sent"`
	// CapDays is the campaign's frequency cap.
	CapDays int `db:"frequency_cap_days"`
}

// Reminder reports whether the email is a reminder.
func (o Outgoing) Reminder() bool { return o.SendKind == SendReminder }

// ClaimBatch moves a batch's queued invitations to sending and returns
// them. Invitations already claimed by another run are skipped, so a batch
// delivered twice is sent once. Each claimed invitation gets its expiry: now
// plus its campaign's invitation lifetime.
func (s *Store) ClaimBatch(ctx context.Context, batchID int64, now time.Time) ([]Outgoing, error) {
	var out []Outgoing
	err := s.db.SelectContext(ctx, &out, `
WITH claimed AS (
    UPDATE invitations i
    SET state = 'sending', sending_at = $2, attempts = i.attempts + 1, updated_at = $2,
        expires_at = $2::timestamptz + make_interval(secs => c.invitation_ttl_seconds)
    FROM campaigns c
    WHERE c.id = i.campaign_id AND i.batch_id = $1 AND i.state = 'queued'
    RETURNING i.id, i.customer_id, i.campaign_id, i.survey_version_id, i.attempts, i.expires_at, i.send_kind,
              i.reminders_sent, c.state AS campaign_state, c.frequency_cap_days
)
SELECT cl.id, cl.customer_id, cl.campaign_id, cl.survey_version_id, cl.attempts, cl.expires_at, cl.send_kind,
       cl.reminders_sent, cl.campaign_state, cl.frequency_cap_days,
       cu.email, cu.name, cu.locale, cu.opted_out_at IS NOT NULL AS opted_out
FROM claimed cl JOIN customers cu ON cu.id = cl.customer_id
ORDER BY cl.id`, batchID, now)
	if err != nil {
		return nil, fmt.Errorf("claim batch %d: %w", batchID, err)
	}
	return out, nil
}

// MarkSent records invitations as sent, with their Message-IDs, and plans
// the next reminder from the campaign's reminder days.
func (s *Store) MarkSent(ctx context.Context, ids []int64, messageIDs []string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	// An invitation answered while its email was in flight (a quick reader,
	// or a link opened from an earlier email) stays answered, but records
	// that it was sent.
	_, err := s.db.ExecContext(ctx, `
UPDATE invitations i SET
    state = CASE WHEN i.state = 'sending' THEN 'sent' ELSE i.state END,
    sent_at = COALESCE(i.sent_at, $3), last_sent_at = $3, message_id = m.mid, reason = '', updated_at = $3,
    reminders_sent = i.reminders_sent + (i.send_kind = 'reminder')::int,
    next_reminder_at = CASE WHEN i.state = 'sending' THEN
        $3::timestamptz + make_interval(days => c.reminder_days[i.reminders_sent + (i.send_kind = 'reminder')::int + 1]) END
FROM unnest($1::bigint[], $2::text[]) AS m(id, mid), campaigns c
WHERE i.id = m.id AND c.id = i.campaign_id AND i.state IN ('sending', 'answered')`, pq.Array(ids), pq.Array(messageIDs), now)
	if err != nil {
		return fmt.Errorf("mark %d invitations sent: %w", len(ids), err)
	}
	return nil
}

// Suppress ends invitations that must not be sent, with the reason.
func (s *Store) Suppress(ctx context.Context, ids []int64, reason string, now time.Time) error {
	return s.finish(ctx, ids, InvitationSuppressed, reason, now)
}

// MarkFailed ends invitations that cannot be delivered, with the reason.
func (s *Store) MarkFailed(ctx context.Context, ids []int64, reason string, now time.Time) error {
	return s.finish(ctx, ids, InvitationFailed, reason, now)
}

func (s *Store) finish(ctx context.Context, ids []int64, state, reason string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	// A reminder that cannot go out leaves the invitation sent: the survey
	// it reminds of was delivered. Only a first send ends the invitation.
	_, err := s.db.ExecContext(ctx, `UPDATE invitations SET
		state = CASE WHEN send_kind = 'reminder' THEN 'sent' ELSE $2 END,
		next_reminder_at = CASE WHEN send_kind = 'reminder' THEN NULL ELSE next_reminder_at END,
		reason = $3, updated_at = $4
		WHERE id = ANY ($1) AND state IN ('scheduled', 'queued', 'sending')`, pq.Array(ids), state, reason, now)
	if err != nil {
		return fmt.Errorf("mark %d invitations %s: %w", len(ids), state, err)
	}
	return nil
}

// Reschedule puts invitations back to wait until at: a temporary failure
// or a paused campaign. The sweep claims them again when due. A reminder
// goes back to waiting as a reminder.
func (s *Store) Reschedule(ctx context.Context, ids []int64, at time.Time, reason string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `UPDATE invitations SET
		state = CASE WHEN send_kind = 'reminder' THEN 'sent' ELSE 'scheduled' END,
		scheduled_for = CASE WHEN send_kind = 'reminder' THEN scheduled_for ELSE $2 END,
		next_reminder_at = CASE WHEN send_kind = 'reminder' THEN $2 ELSE next_reminder_at END,
		batch_id = NULL, reason = $3, updated_at = $4
		WHERE id = ANY ($1) AND state IN ('queued', 'sending')`, pq.Array(ids), at, reason, now)
	if err != nil {
		return fmt.Errorf("reschedule %d invitations: %w", len(ids), err)
	}
	return nil
}
