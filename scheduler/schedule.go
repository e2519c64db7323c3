package scheduler

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// eventCandidatesSQL lists the invitations events call for: one per event
// and matching campaign (active or paused: a pause stops sending, not
// listening). The audience filters the event's touchpoint and channel and
// the customer's segment and locale; opted-out customers get nothing. An
// invitation due while the customer was contacted less than the campaign's
// cap ago is to be recorded as suppressed (frequency_cap), so marketing sees
// why nothing went out.
const eventCandidatesSQL = `
SELECT c.id AS campaign_id, e.customer_id, e.id AS event_id, v.id AS survey_version_id, d.due, k.capped,
       cu.time_zone, c.window_start_hour, c.window_end_hour, c.window_weekdays
FROM service_events e
JOIN customers cu ON cu.id = e.customer_id AND cu.opted_out_at IS NULL
LEFT JOIN customer_contacts ct ON ct.customer_id = cu.id
JOIN campaigns c ON c.state IN ('active', 'paused') AND c.trigger_kind = 'event' AND e.kind = ANY (c.event_kinds)
    AND (c.audience->'touchpoints' IS NULL OR jsonb_exists(c.audience->'touchpoints', lower(e.touchpoint)))
    AND (c.audience->'channels' IS NULL OR jsonb_exists(c.audience->'channels', lower(e.channel)))
    AND (c.audience->'segments' IS NULL OR jsonb_exists(c.audience->'segments', lower(cu.segment)))
    AND (c.audience->'locales' IS NULL OR jsonb_exists(c.audience->'locales', cu.locale))
CROSS JOIN LATERAL (SELECT e.occurred_at + make_interval(secs => c.delay_seconds) AS due) d
CROSS JOIN LATERAL (SELECT c.frequency_cap_days > 0 AND ct.last_contacted_at IS NOT NULL
    AND ct.last_contacted_at > d.due - make_interval(days => c.frequency_cap_days) AS capped) k
JOIN LATERAL (SELECT id FROM survey_versions WHERE survey_id = c.survey_id ORDER BY version DESC LIMIT 1) v ON true
WHERE e.id = ANY ($1)`

// candidate is an invitation an event calls for, with what placing it needs.
type candidate struct {
	CampaignID      int64         `db:"campaign_id"`
	CustomerID      int64         `db:"customer_id"`
	EventID         int64         `db:"event_id"`
	SurveyVersionID int64         `db:"survey_version_id"`
	Due             time.Time     `db:"due"`
	Capped          bool          `db:"capped"`
	TimeZone        string        `db:"time_zone"`
	Start           int           `db:"window_start_hour"`
	End             int           `db:"window_end_hour"`
	Weekdays        pq.Int64Array `db:"window_weekdays"`
}

// ScheduleForEvents creates, inside tx, the invitations that active (or
// paused) event campaigns call for, due at the event time plus the
// campaign's delay, moved into the send window in the customer's time zone.
// Each invitation is placed before it is written, and written once. It
// returns how many invitations it scheduled.
func (s *Store) ScheduleForEvents(ctx context.Context, tx sqlx.ExtContext, eventIDs []int64) (int, error) {
	if len(eventIDs) == 0 {
		return 0, nil
	}
	var cands []candidate
	if err := sqlx.SelectContext(ctx, tx, &cands, eventCandidatesSQL, pq.Array(eventIDs)); err != nil {
		return 0, fmt.Errorf("schedule invitations for %d events: %w", len(eventIDs), err)
	}
	if len(cands) == 0 {
		return 0, nil
	}
	n := len(cands)
	campaigns, customers, events, versions := make(pq.Int64Array, n), make(pq.Int64Array, n), make(pq.Int64Array, n), make(pq.Int64Array, n)
	times := make([]time.Time, n)
	states, reasons := make(pq.StringArray, n), make(pq.StringArray, n)
	for i, c := range cands {
		campaigns[i], customers[i], events[i], versions[i] = c.CampaignID, c.CustomerID, c.EventID, c.SurveyVersionID
		times[i], states[i] = c.Due, InvitationScheduled
		if c.Capped {
			states[i], reasons[i] = InvitationSuppressed, ReasonFrequencyCap
			continue
		}
		times[i] = windowOf(c.Start, c.End, c.Weekdays).Next(c.Due, Location(c.TimeZone))
	}
	var scheduled int
	err := sqlx.GetContext(ctx, tx, &scheduled, `WITH ins AS (
		INSERT INTO invitations (campaign_id, customer_id, event_id, survey_version_id, scheduled_for, state, reason)
		SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::timestamptz[], $6::text[], $7::text[])
		ON CONFLICT (campaign_id, event_id) DO NOTHING
		RETURNING id, campaign_id, customer_id, scheduled_for, state
	), queued AS (
		INSERT INTO due_sends (invitation_id, kind, due_at, campaign_id, customer_id)
		SELECT id, 'invitation', scheduled_for, campaign_id, customer_id FROM ins WHERE state = 'scheduled'
		RETURNING 1)
		SELECT count(*) FROM queued`,
		campaigns, customers, events, versions, pq.Array(times), states, reasons)
	if err != nil {
		return 0, fmt.Errorf("schedule invitations for %d events: %w", len(eventIDs), err)
	}
	return scheduled, nil
}

// placement is a newly scheduled invitation with what its send window needs.
type placement struct {
	ID         int64         `db:"id"`
	CampaignID int64         `db:"campaign_id"`
	CustomerID int64         `db:"customer_id"`
	Due        time.Time     `db:"scheduled_for"`
	TimeZone   string        `db:"time_zone"`
	Start      int           `db:"window_start_hour"`
	End        int           `db:"window_end_hour"`
	Weekdays   pq.Int64Array `db:"window_weekdays"`
}

// placeInWindows runs an INSERT that returns placements, then moves each
// invitation due outside its send window to the next allowed moment. It
// returns how many invitations were scheduled.
func placeInWindows(ctx context.Context, tx sqlx.ExtContext, query string, args ...any) (int, error) {
	var rows []placement
	if err := sqlx.SelectContext(ctx, tx, &rows, query, args...); err != nil {
		return 0, err
	}
	var ids []int64
	var times []time.Time
	sends := make([]due, 0, len(rows))
	for _, r := range rows {
		next := r.window().Next(r.Due, Location(r.TimeZone))
		sends = append(sends, due{InvitationID: r.ID, Kind: SendInvitation, At: next, CampaignID: r.CampaignID, CustomerID: r.CustomerID})
		if !next.Equal(r.Due) {
			ids = append(ids, r.ID)
			times = append(times, next)
		}
	}
	if len(ids) > 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE invitations i SET scheduled_for = u.t
			FROM unnest($1::bigint[], $2::timestamptz[]) AS u(id, t) WHERE i.id = ANY ($1) AND i.id = u.id`, pq.Array(ids), pq.Array(times)); err != nil {
			return 0, fmt.Errorf("move invitations into their send window: %w", err)
		}
	}
	if err := putDue(ctx, tx, sends); err != nil {
		return 0, err
	}
	return len(rows), nil
}

func (p placement) window() SendWindow {
	return windowOf(p.Start, p.End, p.Weekdays)
}

func windowOf(start, end int, weekdays pq.Int64Array) SendWindow {
	w := SendWindow{StartHour: start, EndHour: end}
	for _, d := range weekdays {
		w.Weekdays = append(w.Weekdays, time.Weekday(d%7))
	}
	return w
}

var locations sync.Map // name -> *time.Location

// Location returns the time zone called name, cached; UTC when unknown
// (names are validated when stored, so this only guards old data).
func Location(name string) *time.Location {
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = time.UTC
	}
	locations.Store(name, loc)
	return loc
}
