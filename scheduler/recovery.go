package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// RecoveryCampaignName names followup's own campaign of recovery surveys.
const RecoveryCampaignName = "Recovery check after a complaint"

// RecoveryTTL is how long a recovery survey link stays valid.
const RecoveryTTL = 14 * 24 * time.Hour

// EnsureRecoveryCampaign creates, on first use, the campaign through which
// recovery surveys go out after a complaint is resolved: active, no
// reminder, the default send window in the customer's time zone, and no
// frequency cap (the customer asked to be helped; the check is part of it).
// Opt-outs and bounced addresses still stop it at send time. It returns the
// campaign's id. Processes starting together on a fresh database may all
// call it at once: all but one find the row after the other's commit.
func (s *Store) EnsureRecoveryCampaign(ctx context.Context, surveyID int64, now time.Time) (int64, error) {
	id, err := s.ensureRecoveryCampaign(ctx, surveyID, now)
	if errors.Is(err, sql.ErrNoRows) {
		// Another process inserted it after this statement's snapshot was
		// taken (ON CONFLICT waited for its commit): a new statement sees it.
		id, err = s.ensureRecoveryCampaign(ctx, surveyID, now)
	}
	if err != nil {
		return 0, fmt.Errorf("recovery campaign: %w", err)
	}
	return id, nil
}

func (s *Store) ensureRecoveryCampaign(ctx context.Context, surveyID int64, now time.Time) (int64, error) {
	var id int64
	err := s.db.GetContext(ctx, &id, `WITH existing AS (
		SELECT id FROM campaigns WHERE trigger_kind = 'recovery' ORDER BY id LIMIT 1
	), created AS (
		INSERT INTO campaigns (name, survey_id, state, trigger_kind, frequency_cap_days, invitation_ttl_seconds, created_at, updated_at)
		SELECT $1, $2, 'active', 'recovery', 0, $3, $4, $4 WHERE NOT EXISTS (SELECT 1 FROM existing)
		ON CONFLICT (name) DO NOTHING
		RETURNING id
	)
	SELECT id FROM existing UNION ALL SELECT id FROM created`, RecoveryCampaignName, surveyID, int(RecoveryTTL/time.Second), now)
	return id, err
}

// RecoverySurvey is the recovery survey of a complaint just resolved.
type RecoverySurvey struct {
	ComplaintID int64
	CustomerID  int64
	// ResolvedAt is the resolution it checks: one recovery survey per
	// resolution.
	ResolvedAt time.Time
	// SendAt is when it goes out.
	SendAt time.Time
}

// ScheduleRecovery plans the recovery survey of a complaint inside tx, the
// transaction that resolves it: an invitation of the recovery campaign
// (with its latest survey version), due at r.SendAt. Without an active or
// paused recovery campaign nothing is planned and 0 is returned, as when
// this resolution already has its survey.
func (s *Store) ScheduleRecovery(ctx context.Context, tx *sqlx.Tx, r RecoverySurvey, now time.Time) (int64, error) {
	var ids []int64
	err := tx.SelectContext(ctx, &ids, `
WITH camp AS (
    SELECT c.id, (SELECT v.id FROM survey_versions v WHERE v.survey_id = c.survey_id ORDER BY v.version DESC LIMIT 1) AS version_id
    FROM campaigns c WHERE c.trigger_kind = 'recovery' AND c.state <> 'archived' ORDER BY c.id LIMIT 1
), ins AS (
    INSERT INTO invitations (campaign_id, customer_id, survey_version_id, scheduled_for, occurrence, complaint_id, created_at, updated_at)
    SELECT camp.id, $4, camp.version_id, $2, $5, $1, $3, $3
    FROM camp WHERE camp.version_id IS NOT NULL
    ON CONFLICT DO NOTHING
    RETURNING id, campaign_id, customer_id, scheduled_for
), q AS (
    INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
    SELECT id, 'invitation', scheduled_for, campaign_id, customer_id FROM ins
)
SELECT id FROM ins`, r.ComplaintID, r.SendAt, now, r.CustomerID, r.ResolvedAt)
	if err != nil {
		return 0, fmt.Errorf("plan the recovery survey of complaint %d: %w", r.ComplaintID, err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	return ids[0], nil
}

// WithdrawRecovery withdraws, inside tx, the recovery survey of a complaint
// that is being worked on again, when it has not gone out yet.
func (s *Store) WithdrawRecovery(ctx context.Context, tx *sqlx.Tx, complaintID int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
WITH w AS (
    UPDATE invitations SET state = 'suppressed', reason = $3, updated_at = $2
    WHERE complaint_id = $1 AND state = 'scheduled' RETURNING id
)
DELETE FROM due_sends WHERE invitation_id IN (SELECT id FROM w)`, complaintID, now, ReasonComplaintReopened)
	if err != nil {
		return fmt.Errorf("withdraw the recovery survey of complaint %d: %w", complaintID, err)
	}
	return nil
}
