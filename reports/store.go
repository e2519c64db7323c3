package reports

import (
	"context"
	"fmt"
	"math"

	"github.com/jmoiron/sqlx"
)

// Store reads the figures of the external loop and keeps its own tables
// (barometer breaches, action plans, weekly reports).
type Store struct {
	db *sqlx.DB
	// currency is the one of complaints whose customer's is not known.
	currency string
}

// NewStore returns a Store on db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

// SetCurrency sets the currency of compensation for customers whose own is
// not known (FOLLOWUP_CURRENCY); EUR otherwise.
func (s *Store) SetCurrency(code string) { s.currency = code }

// Currency is the currency of compensation for customers whose own is not
// known.
func (s *Store) Currency() string {
	if s.currency == "" {
		return "EUR"
	}
	return s.currency
}

// selectNamed runs a query with :named parameters into dest (a slice).
func (s *Store) selectNamed(ctx context.Context, dest any, query string, params map[string]any) error {
	q, args, err := s.db.BindNamed(query, params)
	if err != nil {
		return fmt.Errorf("bind query: %w", err)
	}
	return s.db.SelectContext(ctx, dest, q, args...)
}

// getNamed runs a query with :named parameters into dest (one row).
func (s *Store) getNamed(ctx context.Context, dest any, query string, params map[string]any) error {
	q, args, err := s.db.BindNamed(query, params)
	if err != nil {
		return fmt.Errorf("bind query: %w", err)
	}
	return s.db.GetContext(ctx, dest, q, args...)
}

// Service replies, complaints and sends: the rows every aggregation starts
// from, each with one column per split. Recovery follow-ups (a survey sent
// after a complaint was resolved) judge the recovery, not the service:
// they are left out here and counted by the recovery rate only.
const (
	splitColumns = `COALESCE(e.touchpoint, '') AS touchpoint, COALESCE(e.channel, '') AS channel,
       COALESCE(e.team, '') AS team, c.name AS campaign, cu.segment AS segment`

	serviceRepliesSQL = `SELECT r.id, r.submitted_at, r.score_distributive AS sd, r.score_procedural AS sp,
       r.score_interactional AS si, r.score_overall AS so, COALESCE(r.negative, false) AS negative, r.risks,
       r.survey_version_id, r.answers, ` + splitColumns + `
FROM responses r
JOIN invitations i ON i.id = r.invitation_id
JOIN campaigns c ON c.id = i.campaign_id
JOIN customers cu ON cu.id = r.customer_id
LEFT JOIN service_events e ON e.id = i.event_id
WHERE r.scored_at IS NOT NULL AND c.trigger_kind <> 'recovery' AND i.complaint_id IS NULL
  AND r.submitted_at >= :from AND r.submitted_at < :to`

	// serviceComplaintsSQL's ack_spared marks the mild cases a survey
	// spares the acknowledgement: no acknowledgement is owed to them.
	serviceComplaintsSQL = `SELECT k.id, k.opened_at, k.priority, k.risks, k.state, k.due_at, k.acknowledged_at,
       k.resolved_at, k.double_deviation, k.deadline_breached_at, k.recovery_outcome,
       k.compensation_granted_cents,
       EXISTS (SELECT 1 FROM complaint_events ev WHERE ev.complaint_id = k.id AND ev.kind = 'acknowledgement_skipped') AS ack_spared,
       ` + splitColumns + `
FROM complaints k
JOIN responses r ON r.id = k.response_id
JOIN invitations i ON i.id = r.invitation_id
JOIN campaigns c ON c.id = i.campaign_id
JOIN customers cu ON cu.id = k.customer_id
LEFT JOIN service_events e ON e.id = i.event_id
WHERE c.trigger_kind <> 'recovery' AND i.complaint_id IS NULL
  AND k.opened_at >= :from AND k.opened_at < :to`

	// serviceSendsSQL are the service surveys sent in the period: the
	// response rate is the share of them answered (by now).
	serviceSendsSQL = `SELECT i.id, i.sent_at, i.answered_at IS NOT NULL AS answered, ` + splitColumns + `
FROM invitations i
JOIN campaigns c ON c.id = i.campaign_id
JOIN customers cu ON cu.id = i.customer_id
LEFT JOIN service_events e ON e.id = i.event_id
WHERE c.trigger_kind <> 'recovery' AND i.complaint_id IS NULL
  AND i.sent_at >= :from AND i.sent_at < :to`
)

// filtered wraps one of the relations above with the query's filters.
func filtered(relation string) string {
	return "(SELECT * FROM (" + relation + ") AS unfiltered WHERE " + filterSQL + ")"
}

// rate is a/b, or nil when b is 0 (no rate to speak of).
func rate(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	r := math.Round(float64(a)/float64(b)*10000) / 10000
	return &r
}
