package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// scheduleAudienceSQL invites a campaign's audience for one occurrence:
// customers matching the segment and locale filters and, when the audience
// filters events, with a matching event in the look-back period. Opted-out
// customers are never included. The occurrence makes it idempotent.
const scheduleAudienceSQL = `
WITH ins AS (
    INSERT INTO invitations (campaign_id, customer_id, survey_version_id, occurrence, scheduled_for, state, reason)
    SELECT $1, cu.id, $2, $3, $3,
           CASE WHEN capped THEN 'suppressed' ELSE 'scheduled' END,
           CASE WHEN capped THEN 'frequency_cap' ELSE '' END
    FROM customers cu
    LEFT JOIN customer_contacts ct ON ct.customer_id = cu.id
    CROSS JOIN LATERAL (SELECT $4::int > 0 AND ct.last_contacted_at IS NOT NULL
        AND ct.last_contacted_at > $3::timestamptz - make_interval(days => $4::int) AS capped) k
    WHERE cu.opted_out_at IS NULL
      AND (cardinality($5::text[]) = 0 OR lower(cu.segment) = ANY ($5))
      AND (cardinality($6::text[]) = 0 OR cu.locale = ANY ($6))
      AND (NOT $7::bool OR EXISTS (
          SELECT 1 FROM service_events e
          WHERE e.customer_id = cu.id AND e.occurred_at >= $3::timestamptz - make_interval(days => $8::int)
            AND (cardinality($9::text[]) = 0 OR e.kind = ANY ($9))
            AND (cardinality($10::text[]) = 0 OR lower(e.touchpoint) = ANY ($10))
            AND (cardinality($11::text[]) = 0 OR lower(e.channel) = ANY ($11))))
    ON CONFLICT (campaign_id, customer_id, occurrence) WHERE event_id IS NULL DO NOTHING
    RETURNING id, customer_id, scheduled_for, state
)
SELECT ins.id, $1::bigint AS campaign_id, ins.customer_id, ins.scheduled_for, cu.time_zone,
       c.window_start_hour, c.window_end_hour, c.window_weekdays
FROM ins JOIN customers cu ON cu.id = ins.customer_id JOIN campaigns c ON c.id = $1
WHERE ins.state = 'scheduled'`

// AudienceRun is one occurrence of an audience campaign that was run.
type AudienceRun struct {
	CampaignID int64
	Occurrence time.Time
	Scheduled  int
}

// RunAudiences runs the one-off and recurring campaigns whose occurrence
// has come: it invites their audience for that occurrence and moves the
// campaign to its next occurrence (none after a one-off). Occurrences missed
// while no scheduler ran collapse into one. Safe to run twice: occurrences
// are unique per customer, and campaigns are locked while running.
func (s *Store) RunAudiences(ctx context.Context, now time.Time) ([]AudienceRun, error) {
	var runs []AudienceRun
	for {
		run, ok, err := s.runOneAudience(ctx, now)
		if err != nil {
			return runs, err
		}
		if !ok {
			return runs, nil
		}
		runs = append(runs, run)
	}
}

func (s *Store) runOneAudience(ctx context.Context, now time.Time) (AudienceRun, bool, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return AudienceRun{}, false, err
	}
	defer tx.Rollback()
	var r campaignRow
	err = tx.GetContext(ctx, &r, `SELECT `+campaignColumns+` FROM campaigns
		WHERE state = 'active' AND trigger_kind <> 'event' AND next_run_at <= $1
		ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED`, now)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return AudienceRun{}, false, nil
		}
		return AudienceRun{}, false, fmt.Errorf("due audience campaigns: %w", err)
	}
	c, err := r.campaign()
	if err != nil {
		return AudienceRun{}, false, err
	}
	occurrence := *c.NextRunAt
	var versionID int64
	if err := tx.GetContext(ctx, &versionID, `SELECT id FROM survey_versions WHERE survey_id = $1 ORDER BY version DESC LIMIT 1`, c.SurveyID); err != nil {
		return AudienceRun{}, false, fmt.Errorf("survey of campaign %d: %w", c.ID, err)
	}
	a := c.Audience
	n, err := placeInWindows(ctx, tx, scheduleAudienceSQL, c.ID, versionID, occurrence, c.FrequencyCapDays,
		pq.StringArray(nonNil(a.Segments)), pq.StringArray(nonNil(a.Locales)), a.filtersEvents(), max(a.SinceDays, 1),
		pq.StringArray(nonNil(a.EventKinds)), pq.StringArray(nonNil(a.Touchpoints)), pq.StringArray(nonNil(a.Channels)))
	if err != nil {
		return AudienceRun{}, false, fmt.Errorf("invite the audience of campaign %d: %w", c.ID, err)
	}
	c.LastRunAt = &occurrence
	next := c.NextRun(maxTime(occurrence, now))
	if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET last_run_at = $2, next_run_at = $3, updated_at = $4 WHERE id = $1`,
		c.ID, occurrence, next, now); err != nil {
		return AudienceRun{}, false, fmt.Errorf("advance campaign %d: %w", c.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return AudienceRun{}, false, err
	}
	return AudienceRun{CampaignID: c.ID, Occurrence: occurrence, Scheduled: n}, true, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
