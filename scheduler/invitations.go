package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/prepared"
	"github.com/followup/followup/internal/trunc"
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
	// ReasonComplaintReopened withdraws a recovery survey not yet sent: its
	// complaint was reopened, so there is no recovery to check yet.
	ReasonComplaintReopened = "complaint_reopened"
	// ReasonAddressBounced and ReasonAddressUnsubscribed: the address is
	// suppressed (customers.SuppressedBounced, SuppressedUnsubscribed).
	ReasonAddressBounced      = "address_" + customers.SuppressedBounced
	ReasonAddressUnsubscribed = "address_" + customers.SuppressedUnsubscribed
)

// SuppressionReasons are the reasons an invitation is suppressed with,
// as Stats.Suppressed counts them; each has its words for people in
// templates. (ReasonCampaignPaused only puts an invitation back to wait.)
var SuppressionReasons = []string{
	ReasonFrequencyCap, ReasonOptedOut, ReasonAddressBounced, ReasonAddressUnsubscribed,
	ReasonCampaignArchived, ReasonComplaintReopened,
}

// Outgoing is a queued invitation a worker is sending, with what the email needs.
type Outgoing struct {
	ID              int64 `db:"id"`
	CustomerID      int64 `db:"customer_id"`
	CampaignID      int64 `db:"campaign_id"`
	SurveyVersionID int64 `db:"survey_version_id"`
	// Attempts counts the earlier temporary failures of this email (the
	// first send, or the reminder now due).
	Attempts int `db:"attempts"`
	// FirstFailedAt is when this email first failed temporarily; nil
	// before any failure.
	FirstFailedAt *time.Time `db:"first_failed_at"`
	ExpiresAt     time.Time  `db:"expires_at"`
	Email         string     `db:"email"`
	Name          string     `db:"name"`
	Locale        string     `db:"locale"`
	OptedOut      bool       `db:"opted_out"`
	CampaignState string     `db:"campaign_state"`
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

// ClaimBatch is ClaimSend for callers that need no lease of their own (tests,
// fixtures): ok is false when the batch is done, unknown or held by a
// worker whose lease has not run out.
func (s *Store) ClaimBatch(ctx context.Context, batchID int64, now, leaseCutoff time.Time) (out []Outgoing, ok bool, err error) {
	c, ok, err := s.ClaimSend(ctx, batchID, now, leaseCutoff)
	var held *BatchHeldError
	if errors.As(err, &held) {
		return nil, false, nil
	}
	return c.Invitations, ok, err
}

// sendTimeFacts joins an invitation (i) to what the send-time rules read:
// its campaign (c), its customer (cu) and the suppression of the customer's
// address (sup), for the claim and for the recheck within a batch.
const sendTimeFacts = `invitations i
JOIN campaigns c ON c.id = i.campaign_id
JOIN customers cu ON cu.id = i.customer_id
LEFT JOIN email_suppressions sup ON sup.email = lower(cu.email)`

// FinishBatch records that a batch's task is done, whoever holds it (for
// fixtures; workers use FinishClaim).
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
// The attempt count and the first failure's time start again: each email
// (the first, each reminder) has its own give-up period. An email whose
// campaign was archived while it was on the wire is recorded sent all the
// same (it was: the server took it), without a reminder.
func (s *Store) MarkSent(ctx context.Context, sent []Sent, now time.Time) error {
	return s.markSent(ctx, sent, now, false)
}

// RecordSent is MarkSent for a worker recording each email the moment the
// server accepted it, committed without waiting for the disk
// (synchronous_commit off): many small commits a second cost no flush
// each. A crash of the worker loses nothing (PostgreSQL has the record);
// only a crash of PostgreSQL's own machine within the WAL writer's delay
// (about half a second by default) can lose the last records, whose
// emails would then be sent again. A clean stop of PostgreSQL loses none.
func (s *Store) RecordSent(ctx context.Context, sent []Sent, now time.Time) error {
	return s.markSent(ctx, sent, now, true)
}

func (s *Store) markSent(ctx context.Context, sent []Sent, now time.Time, async bool) error {
	if len(sent) == 0 {
		return nil
	}
	ids := make(pq.Int64Array, len(sent))
	mids := make(pq.StringArray, len(sent))
	// Times as text: pq.Array of time.Time encodes by reflection, a
	// visible share of the worker's CPU at thousands of records a second.
	exps := make(pq.StringArray, len(sent))
	for i, x := range sent {
		ids[i], mids[i], exps[i] = x.ID, x.MessageID, x.ExpiresAt.UTC().Format(time.RFC3339Nano)
	}
	var err error
	if async {
		// Many small records a second: planned once per connection.
		var st *sqlx.Stmt
		if st, err = s.stmts.Stmt(ctx, recordSentSQL); err == nil {
			_, err = st.ExecContext(ctx, ids, mids, exps, now)
		}
	} else {
		_, err = s.db.ExecContext(ctx, markSentSQL, ids, mids, exps, now)
	}
	if err != nil {
		return fmt.Errorf("mark %d invitations sent: %w", len(sent), err)
	}
	return nil
}

// markSentSQL records emails sent ($1 ids, $2 Message-IDs, $3 link
// expiries, $4 now). An invitation answered while its email was in flight
// (a quick reader, or a link opened from an earlier email) stays answered,
// but records that it was sent. (id = ANY guides the planner to the
// primary key: joining the unnest alone can make it hash the whole table.)
// The arrays are opaque to the planner (prepared.Opaque): planned at every
// group commit, the statement took a third of PostgreSQL's CPU per email.
var markSentSQL = markSentQuery("")

// recordSentSQL is markSentSQL committed without waiting for the disk.
var recordSentSQL = markSentQuery(", " + prepared.AsyncCommit)

func markSentQuery(alsoFrom string) string {
	return `
WITH done AS (
UPDATE invitations i SET
    state = CASE WHEN i.state IN ('queued', 'suppressed') THEN 'sent' ELSE i.state END,
    sent_at = COALESCE(i.sent_at, $4), last_sent_at = $4, message_id = m.mid, expires_at = m.exp, reason = '', updated_at = $4,
    attempts = 0, first_failed_at = NULL,
    reminders_sent = i.reminders_sent + (i.send_kind = 'reminder')::int,
    next_reminder_at = CASE WHEN i.state = 'queued' AND c.state <> 'archived' THEN
        $4::timestamptz + make_interval(days => c.reminder_days[i.reminders_sent + (i.send_kind = 'reminder')::int + 1]) END
FROM unnest(` + prepared.Opaque("$1::bigint[]") + `, ` + prepared.Opaque("$2::text[]") + `, ` + prepared.Opaque("$3::timestamptz[]") + `)
    AS m(id, mid, exp), campaigns c` + alsoFrom + `
WHERE i.id = ANY (` + prepared.Opaque("$1::bigint[]") + `) AND i.id = m.id AND c.id = i.campaign_id
    AND (i.state IN ('queued', 'answered') OR (i.state = 'suppressed' AND i.reason = 'campaign_archived'))
RETURNING i.id, i.campaign_id, i.customer_id, i.next_reminder_at)
INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
SELECT id, 'reminder', next_reminder_at, campaign_id, customer_id FROM done WHERE next_reminder_at IS NOT NULL
ON CONFLICT (invitation_id, kind) DO UPDATE SET due_at = EXCLUDED.due_at`
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
	// Every batch of replies runs it: prepared, with a plan kept.
	st, err := s.stmts.In(ctx, tx, `UPDATE invitations SET state = 'answered', answered_at = $2, next_reminder_at = NULL, updated_at = now()
		WHERE id = ANY (`+prepared.Opaque("$1::bigint[]")+`) AND state IN ('sent', 'queued', 'sending')`)
	if err == nil {
		_, err = st.ExecContext(ctx, pq.Array(ids), at)
	}
	if err != nil {
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
// (counted, and dating the email's first failure when it is the first)
// from a wait.
func (s *Store) Reschedule(ctx context.Context, ids []int64, at time.Time, reason string, countAttempt bool, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `WITH back AS (
		UPDATE invitations SET
		state = CASE WHEN send_kind = 'reminder' THEN 'sent' ELSE 'scheduled' END,
		scheduled_for = CASE WHEN send_kind = 'reminder' THEN scheduled_for ELSE $2 END,
		next_reminder_at = CASE WHEN send_kind = 'reminder' THEN $2 ELSE next_reminder_at END,
		batch_id = NULL, reason = $3, updated_at = $4, attempts = attempts + $5::int,
		first_failed_at = CASE WHEN $5::int = 1 THEN COALESCE(first_failed_at, $4) ELSE first_failed_at END
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

// Ping says whether the database answers: a sender that could not record
// asks it before sending again.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("ping the database: %w", err)
	}
	return nil
}

// MarkBounced records a late bounce: the relay accepted invitation id's
// email and reported later that it could not be delivered. The invitation
// ends failed, as it does when the server refuses the address at once,
// with no reminder to follow; one answered, expired or already ended keeps
// its state. It says whether the invitation changed.
func (s *Store) MarkBounced(ctx context.Context, id int64, reason string, now time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE invitations SET state = 'failed', reason = $2, next_reminder_at = NULL, updated_at = $3
		WHERE id = $1 AND state IN ('sent', 'queued', 'sending')`, id, trunc.Runes("bounced: "+reason, 500), now)
	if err != nil {
		return false, fmt.Errorf("mark invitation %d bounced: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
