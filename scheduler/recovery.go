package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
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
