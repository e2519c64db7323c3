package scheduler

import (
	"context"
	"errors"
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

// Reasons recorded on suppressed, rescheduled or failed invitations.
const (
	ReasonOptedOut         = "opted_out"
	ReasonCampaignArchived = "campaign_archived"
	ReasonCampaignPaused   = "campaign_paused"
)

// Outgoing is an invitation claimed for sending, with what the email needs.
type Outgoing struct {
	ID              int64     `db:"id"`
	CustomerID      int64     `db:"customer_id"`
	SurveyVersionID int64     `db:"survey_version_id"`
	Attempts        int       `db:"attempts"`
	ExpiresAt       time.Time `db:"expires_at"`
	Email           string    `db:"email"`
	Name            string    `db:"name"`
	Locale          string    `db:"locale"`
	OptedOut        bool      `db:"opted_out"`
	CampaignState   string    `db:"campaign_state"`
}

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
    RETURNING i.id, i.customer_id, i.survey_version_id, i.attempts, i.expires_at, c.state AS campaign_state
)
SELECT cl.id, cl.customer_id, cl.survey_version_id, cl.attempts, cl.expires_at, cl.campaign_state,
       cu.email, cu.name, cu.locale, cu.opted_out_at IS NOT NULL AS opted_out
FROM claimed cl JOIN customers cu ON cu.id = cl.customer_id
ORDER BY cl.id`, batchID, now)
	if err != nil {
		return nil, fmt.Errorf("claim batch %d: %w", batchID, err)
	}
	return out, nil
}

// MarkSent records invitations as sent, with their Message-IDs.
func (s *Store) MarkSent(ctx context.Context, ids []int64, messageIDs []string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `UPDATE invitations i SET state = 'sent', sent_at = $3, message_id = m.mid, reason = '', updated_at = $3
		FROM unnest($1::bigint[], $2::text[]) AS m(id, mid)
		WHERE i.id = m.id AND i.state = 'sending'`, pq.Array(ids), pq.Array(messageIDs), now)
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
	_, err := s.db.ExecContext(ctx, `UPDATE invitations SET state = $2, reason = $3, updated_at = $4
		WHERE id = ANY ($1) AND state IN ('scheduled', 'queued', 'sending')`, pq.Array(ids), state, reason, now)
	if err != nil {
		return fmt.Errorf("mark %d invitations %s: %w", len(ids), state, err)
	}
	return nil
}

// Reschedule puts invitations back to scheduled, due at at: a temporary
// failure or a paused campaign. The sweep claims them again when due.
func (s *Store) Reschedule(ctx context.Context, ids []int64, at time.Time, reason string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.db.ExecContext(ctx, `UPDATE invitations SET state = 'scheduled', scheduled_for = $2, batch_id = NULL,
		reason = $3, updated_at = $4 WHERE id = ANY ($1) AND state IN ('queued', 'sending')`, pq.Array(ids), at, reason, now)
	if err != nil {
		return fmt.Errorf("reschedule %d invitations: %w", len(ids), err)
	}
	return nil
}

// Vet applies the send-time rules to claimed invitations and returns those
// that may be sent now. The others are settled here: a customer who opted
// out or an archived campaign suppresses the invitation; a paused campaign
// puts it back to scheduled, and the sweep skips it until the campaign
// resumes. Rules are checked at send time, not only when scheduling, because
// things change in between.
func (s *Store) Vet(ctx context.Context, claimed []Outgoing, now time.Time) ([]Outgoing, error) {
	var optedOut, archived, paused []int64
	ready := make([]Outgoing, 0, len(claimed))
	for _, inv := range claimed {
		switch {
		case inv.OptedOut:
			optedOut = append(optedOut, inv.ID)
		case inv.CampaignState == StateArchived:
			archived = append(archived, inv.ID)
		case inv.CampaignState != StateActive:
			paused = append(paused, inv.ID)
		default:
			ready = append(ready, inv)
		}
	}
	err := errors.Join(
		s.Suppress(ctx, optedOut, ReasonOptedOut, now),
		s.Suppress(ctx, archived, ReasonCampaignArchived, now),
		s.Reschedule(ctx, paused, now, ReasonCampaignPaused, now),
	)
	if err != nil {
		return nil, err
	}
	return ready, nil
}
