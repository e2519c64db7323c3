package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Invitation states.
const (
	InvitationScheduled  = "scheduled"
	InvitationQueued     = "queued"
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

// Outgoing is a queued invitation a worker is sending, with what the email needs.
type Outgoing struct {
	ID              int64 `db:"id"`
	CustomerID      int64 `db:"customer_id"`
	CampaignID      int64 `db:"campaign_id"`
	SurveyVersionID int64 `db:"survey_version_id"`
	// Attempts counts the earlier temporary failures of this email (the
	// first send, or the reminder now due).
	Attempts      int       `db:"attempts"`
	ExpiresAt     time.Time `db:"expires_at"`
	Email         string    `db:"email"`
	Name          string    `db:"name"`
	Locale        string    `db:"locale"`
	OptedOut      bool      `db:"opted_out"`
	CampaignState string    `db:"campaign_state"`
	// SendKind is SendInvitation or SendReminder.
	SendKind string `db:"send_kind"`
	// RemindersSent counts the reminders already sent before this one.
	RemindersSent int `db:"reminders_sent"`
	// CapDays is the campaign's frequency cap.
	CapDays int `db:"frequency_cap_days"`
	// AddressSuppressed says why the address must not be emailed
	// (bounced, unsubscribed), empty when it may.
	AddressSuppressed string `db:"address_suppressed"`
	// Recovery marks a recovery survey, sent after a complaint was resolved.
	Recovery bool `db:"recovery"`
}

// Reminder reports whether the email is a reminder.
func (o Outgoing) Reminder() bool { return o.SendKind == SendReminder }

// ClaimBatch takes a send batch for this worker and returns its invitations
// still queued, each with its link expiry (now plus its campaign's
// invitation lifetime). A batch held by another worker is skipped, unless
// that worker started it before leaseCutoff and never finished: it crashed,
// and what it did not mark sent goes again. ok is false when there is
// nothing to do (done, held, or unknown).
func (s *Store) ClaimBatch(ctx context.Context, batchID int64, now, leaseCutoff time.Time) (out []Outgoing, ok bool, err error) {
	var ids pq.Int64Array
	err = s.db.GetContext(ctx, &ids, `UPDATE send_batches SET state = 'sending', started_at = $2, attempts = attempts + 1
		WHERE id = $1 AND (state = 'queued' OR (state = 'sending' AND started_at < $3))
		RETURNING invitation_ids`, batchID, now, leaseCutoff)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("claim batch %d: %w", batchID, err)
	}
	err = s.db.SelectContext(ctx, &out, `
SELECT i.id, i.customer_id, i.campaign_id, i.survey_version_id, i.attempts, i.send_kind, i.reminders_sent,
       $2::timestamptz + make_interval(secs => c.invitation_ttl_seconds) AS expires_at,
       c.state AS campaign_state, c.frequency_cap_days, c.trigger_kind = 'recovery' AS recovery,
       cu.email, cu.name, cu.locale, cu.opted_out_at IS NOT NULL AS opted_out,
       COALESCE(sup.reason, '') AS address_suppressed
FROM `+sendTimeFacts+`
WHERE i.id = ANY ($1) AND i.state = 'queued' AND i.batch_id = $3
ORDER BY i.id`, ids, now, batchID)
	if err != nil {
		return nil, false, fmt.Errorf("invitations of batch %d: %w", batchID, err)
	}
	return out, true, nil
}

// sendTimeFacts joins an invitation (i) to what the send-time rules read:
// its campaign (c), its customer (cu) and the suppression of the customer's
// address (sup), for the claim and for the recheck within a batch.
const sendTimeFacts = `invitations i
JOIN campaigns c ON c.id = i.campaign_id
JOIN customers cu ON cu.id = i.customer_id
LEFT JOIN email_suppressions sup ON sup.email = lower(cu.email)`

// ReleaseBatch gives a batch back after its task failed midway (the
// database went away...), so the task's retry can take it again at once
// instead of waiting for the lease to pass.
func (s *Store) ReleaseBatch(ctx context.Context, batchID int64) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE send_batches SET state = 'queued' WHERE id = $1 AND state = 'sending'`, batchID); err != nil {
		return fmt.Errorf("release batch %d: %w", batchID, err)
	}
	return nil
}

// FinishBatch records that a batch's task is done.
func (s *Store) FinishBatch(ctx context.Context, batchID int64, now time.Time) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE send_batches SET state = 'done', finished_at = $2 WHERE id = $1`, batchID, now); err != nil {
		return fmt.Errorf("finish batch %d: %w", batchID, err)
	}
	return nil
}

// Sent is an email that was accepted by the mail server.
type Sent struct {
	ID        int64
	MessageID string
	// ExpiresAt is the expiry signed into the email's link.
	ExpiresAt time.Time
}

// MarkSent records invitations as sent, with their Message-IDs and link
// expiry, and plans the next reminder from the campaign's reminder days.
// The attempt count starts again: each email (the first, each reminder)
// has its own MaxSendAttempts.
func (s *Store) MarkSent(ctx context.Context, sent []Sent, now time.Time) error {
	if len(sent) == 0 {
		return nil
	}
	ids := make(pq.Int64Array, len(sent))
	mids := make(pq.StringArray, len(sent))
	exps := make([]time.Time, len(sent))
	for i, x := range sent {
		ids[i], mids[i], exps[i] = x.ID, x.MessageID, x.ExpiresAt
	}
	// (id = ANY guides the planner to the primary key: joining the unnest
	// alone can make it hash the whole table.)
	// An invitation answered while its email was in flight (a quick reader,
	// or a link opened from an earlier email) stays answered, but records
	// that it was sent.
	_, err := s.db.ExecContext(ctx, `
WITH done AS (
UPDATE invitations i SET
    state = CASE WHEN i.state = 'queued' THEN 'sent' ELSE i.state END,
    sent_at = COALESCE(i.sent_at, $4), last_sent_at = $4, message_id = m.mid, expires_at = m.exp, reason = '', updated_at = $4,
    attempts = 0,
    reminders_sent = i.reminders_sent + (i.send_kind = 'reminder')::int,
    next_reminder_at = CASE WHEN i.state = 'queued' THEN
        $4::timestamptz + make_interval(days => c.reminder_days[i.reminders_sent + (i.send_kind = 'reminder')::int + 1]) END
FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS m(id, mid, exp), campaigns c
WHERE i.id = ANY ($1) AND i.id = m.id AND c.id = i.campaign_id AND i.state IN ('queued', 'answered')
RETURNING i.id, i.campaign_id, i.customer_id, i.next_reminder_at)
INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
SELECT id, 'reminder', next_reminder_at, campaign_id, customer_id FROM done WHERE next_reminder_at IS NOT NULL
ON CONFLICT (invitation_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at`, ids, mids, pq.Array(exps), now)
	if err != nil {
		return fmt.Errorf("mark %d invitations sent: %w", len(sent), err)
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

// MarkAnswered records, inside tx (the transaction that stores the
// replies), that invitations were answered at: no reminder follows. An
// invitation not sent, queued or sending (expired, suppressed, already
// answered) keeps its state.
func (s *Store) MarkAnswered(ctx context.Context, tx *sqlx.Tx, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET state = 'answered', answered_at = $2, next_reminder_at = NULL, updated_at = now()
		WHERE id = ANY ($1) AND state IN ('sent', 'queued', 'sending')`, pq.Array(ids), at); err != nil {
		return fmt.Errorf("mark %d invitations answered: %w", len(ids), err)
	}
	return nil
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
		reason = $3, updated_at = $4, attempts = attempts + (state = 'queued' AND $2 = 'failed')::int
		WHERE id = ANY ($1) AND state IN ('scheduled', 'queued')`, pq.Array(ids), state, reason, now)
	if err != nil {
		return fmt.Errorf("mark %d invitations %s: %w", len(ids), state, err)
	}
	return nil
}

// Reschedule puts invitations back to wait until at: a temporary failure
// or a paused campaign. The sweep claims them again when due. A reminder
// goes back to waiting as a reminder. countAttempt tells a failed attempt
// (counted against MaxSendAttempts) from a wait.
func (s *Store) Reschedule(ctx context.Context, ids []int64, at time.Time, reason string, countAttempt bool, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `WITH back AS (
		UPDATE invitations SET
		state = CASE WHEN send_kind = 'reminder' THEN 'sent' ELSE 'scheduled' END,
		scheduled_for = CASE WHEN send_kind = 'reminder' THEN scheduled_for ELSE $2 END,
		next_reminder_at = CASE WHEN send_kind = 'reminder' THEN $2 ELSE next_reminder_at END,
		batch_id = NULL, reason = $3, updated_at = $4, attempts = attempts + $5::int
		WHERE id = ANY ($1) AND state = 'queued'
		RETURNING id, send_kind, campaign_id, customer_id)
		INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
		SELECT id, send_kind, $2, campaign_id, customer_id FROM back
		ON CONFLICT (invitation_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at`, pq.Array(ids), at, reason, now, boolInt(countAttempt))
	if err != nil {
		return fmt.Errorf("reschedule %d invitations: %w", len(ids), err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
