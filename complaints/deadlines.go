package complaints

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// What the deadline check did to a complaint.
const (
	// DeadlineWarned: little time is left; the owner is told.
	DeadlineWarned = "deadline_warned"
	// DeadlineBreached: the deadline passed unresolved; the priority rises
	// one step and a manager is told.
	DeadlineBreached = "deadline_breached"
	// DeadlinePromiseMissed: the deadline passed after the customer was
	// promised it: a double deviation, P1 and flagged, with a new P1
	// deadline the customer is told in a new acknowledgement.
	DeadlinePromiseMissed = "double_deviation"
)

// DeadlineEvent is what the deadline check did to one complaint.
type DeadlineEvent struct {
	ComplaintID int64    `db:"id"`
	Kind        string   `db:"kind"`
	From        Priority `db:"from_priority"`
	To          Priority `db:"priority"`
	// DueAt is the deadline the event is about (the one missed, for a
	// breach); NewDueAt is the complaint's deadline afterwards: a missed
	// promise gets a new one, otherwise it is DueAt.
	DueAt        time.Time `db:"due_at"`
	NewDueAt     time.Time `db:"new_due_at"`
	OwnerID      *int64    `db:"owner_id"`
	CustomerName string    `db:"customer_name"`
	// Apologised, on a missed promise, is true when the customer already
	// had their apology and a new date for an earlier miss: this miss
	// escalates inside the team and sends the customer nothing.
	Apologised bool `db:"apologised"`
}

// DefaultWarnShare is the share of a priority's allowed time left when the
// owner is warned: a quarter (1 hour before a 4-hour P1 deadline).
const DefaultWarnShare = 0.25

// CheckDeadlines warns of deadlines that are near and escalates those that
// passed, each once, inside tx. A complaint is warned when less than
// warnShare of its priority's allowed time is left. A breach raises the
// priority one step; a breach of a deadline the customer was promised (the
// acknowledgement gave it) is a double deviation: P1 and flagged, with a new
// P1 deadline from now (the promise is withdrawn until the customer is told
// the new one; see Loop.CheckDeadlines). Each promise missed escalates
// again, the new one included; deadline_breached_at keeps the first breach.
func (s *Store) CheckDeadlines(ctx context.Context, tx *sqlx.Tx, now time.Time, warnShare float64) ([]DeadlineEvent, error) {
	if warnShare <= 0 || warnShare >= 1 {
		warnShare = DefaultWarnShare
	}
	// A complaint is warned once its deadline is within warnShare of its
	// priority's allowed business time: the cut-off per priority is that
	// much business time from now (a Friday evening's cut-off for a P1
	// lies on Monday morning), in its team's calendar. Slot 0 is the
	// default calendar's, slot i the one of teams[i-1]: cut-offs hold 4
	// per slot, newP1 one (a missed promise's new P1 deadline).
	cals, err := s.teamCalendars(ctx)
	if err != nil {
		return nil, err
	}
	teams := make(pq.StringArray, 0, len(cals))
	for t := range cals {
		teams = append(teams, t)
	}
	slices.Sort(teams)
	policies := []Policy{s.policy}
	for _, t := range teams {
		policies = append(policies, s.policy.ForTeam(cals, t))
	}
	cutoffs := make(pq.StringArray, 0, 4*len(policies))
	newP1 := make(pq.StringArray, 0, len(policies))
	var last time.Time
	for _, pol := range policies {
		for p := P1; p <= P4; p++ {
			lead := time.Duration(float64(pol.Allowed(p)) * warnShare)
			c := pol.Calendar.Add(now, lead)
			cutoffs = append(cutoffs, c.UTC().Format(time.RFC3339Nano))
			if c.After(last) {
				last = c
			}
		}
		newP1 = append(newP1, pol.Deadline(P1, now).UTC().Format(time.RFC3339Nano))
	}
	// The trail's entries are written here in SQL, for the whole batch:
	// their data are the JSON of DeadlineWarnedEvent, DeadlineBreachedEvent
	// and DoubleDeviationEvent (TestCheckDeadlinesTrail reads them back).
	var out []DeadlineEvent
	if err := tx.SelectContext(ctx, &out, `
WITH w AS (
    UPDATE complaints c SET deadline_warned_at = $1, updated_at = $1
    WHERE c.state <> 'resolved' AND c.deadline_warned_at IS NULL
      -- not breached yet, or given a new deadline after a missed promise
      AND (c.deadline_breached_at IS NULL OR c.due_at > c.deadline_breached_at)
      AND c.due_at > $1 AND c.due_at <= $3
      AND c.due_at <= ($2::timestamptz[])[COALESCE(array_position($4::text[], c.team), 0) * 4 + c.priority]
    RETURNING c.id, c.priority, c.due_at, c.owner_id, c.customer_id
), a AS (
    INSERT INTO complaint_events (complaint_id, kind, actor, data, created_at)
    SELECT id, 'deadline_warned', 'system', jsonb_build_object('due_at', due_at), $1 FROM w
)
SELECT w.id, 'deadline_warned' AS kind, w.priority AS from_priority, w.priority, w.due_at, w.due_at AS new_due_at, w.owner_id, cu.name AS customer_name
FROM w JOIN customers cu ON cu.id = w.customer_id ORDER BY w.due_at`, now, cutoffs, last, teams); err != nil {
		return nil, fmt.Errorf("warn of near deadlines: %w", err)
	}
	var breached []DeadlineEvent
	if err := tx.SelectContext(ctx, &breached, `
WITH b AS (
    SELECT id, priority, due_at,
        ($3::timestamptz[])[COALESCE(array_position($4::text[], team), 0) + 1] AS new_p1_due,
        promised_due_at IS NOT NULL AND promised_due_at <= $1 AS promised,
        -- the customer already had their apology for a missed promise
        -- (since the complaint was last reopened, if it was)
        EXISTS (SELECT 1 FROM complaint_events e WHERE e.complaint_id = complaints.id AND e.kind = 'double_deviation'
            AND e.data->>'reason' = $2 AND e.id > COALESCE((SELECT max(r.id) FROM complaint_events r
                WHERE r.complaint_id = complaints.id AND r.kind = 'reopened'), 0)) AS apologised
    FROM complaints
    WHERE state <> 'resolved' AND ((due_at <= $1 AND deadline_breached_at IS NULL)
        OR (promised_due_at IS NOT NULL AND promised_due_at <= $1))
    ORDER BY due_at LIMIT 1000 FOR UPDATE SKIP LOCKED
), u AS (
    UPDATE complaints c SET deadline_breached_at = COALESCE(c.deadline_breached_at, $1), updated_at = $1,
        priority = CASE WHEN b.promised THEN 1 ELSE GREATEST(c.priority - 1, 1) END,
        double_deviation = c.double_deviation OR b.promised,
        double_deviation_reason = CASE WHEN b.promised THEN $2 ELSE c.double_deviation_reason END,
        due_at = CASE WHEN b.promised THEN b.new_p1_due ELSE c.due_at END,
        -- withdrawn until the customer is told the new date; after the
        -- apology, the new date stands without a new email, so that a
        -- further miss escalates again inside the team
        promised_due_at = CASE WHEN b.promised AND b.apologised THEN b.new_p1_due WHEN b.promised THEN NULL ELSE c.promised_due_at END,
        deadline_warned_at = CASE WHEN b.promised THEN NULL ELSE c.deadline_warned_at END
    FROM b WHERE c.id = b.id
    RETURNING c.id, b.priority AS from_priority, c.priority, b.due_at, c.due_at AS new_due_at, c.owner_id, c.customer_id, b.promised, b.apologised
), a AS (
    INSERT INTO complaint_events (complaint_id, kind, actor, data, created_at)
    SELECT id, 'deadline_breached', 'system', jsonb_build_object('due_at', due_at, 'from_priority', 'P' || from_priority,
        'to_priority', 'P' || priority, 'promised', promised), $1 FROM u
    UNION ALL
    SELECT id, 'double_deviation', 'system', jsonb_build_object('reason', $2::text, 'missed_due_at', due_at, 'due_at', new_due_at), $1 FROM u WHERE promised
)
SELECT u.id, CASE WHEN u.promised THEN 'double_deviation' ELSE 'deadline_breached' END AS kind,
    u.from_priority, u.priority, u.due_at, u.new_due_at, u.owner_id, cu.name AS customer_name, u.promised AND u.apologised AS apologised
FROM u JOIN customers cu ON cu.id = u.customer_id ORDER BY u.due_at`, now, DoubleDeviationPromise, newP1, teams); err != nil {
		return nil, fmt.Errorf("escalate breached deadlines: %w", err)
	}
	return append(out, breached...), nil
}
