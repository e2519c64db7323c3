package reports

import (
	"context"
	"fmt"
	"time"
)

// ComplaintFigures are what happened to the complaints opened over a query.
type ComplaintFigures struct {
	Opened int `json:"opened" db:"opened"`
	// ByPriority counts them by priority, P1 to P4.
	ByPriority map[string]int `json:"by_priority" db:"-"`
	P1         int            `json:"-" db:"p1"`
	P2         int            `json:"-" db:"p2"`
	P3         int            `json:"-" db:"p3"`
	P4         int            `json:"-" db:"p4"`
	// AckDue are those whose acknowledgement is settled (sent, or its
	// deadline passed), mild cases their survey spares the acknowledgement
	// left out; AckOnTime those acknowledged by their deadline.
	AckDue        int      `json:"acknowledgement_due" db:"ack_due"`
	AckOnTime     int      `json:"acknowledged_on_time" db:"ack_on_time"`
	AckOnTimeRate *float64 `json:"acknowledged_on_time_rate" db:"-"`
	Resolved      int      `json:"resolved" db:"resolved"`
	// Overdue are still open past their deadline now; DeadlineBreached
	// passed their deadline unresolved at some point.
	Overdue          int `json:"overdue" db:"overdue"`
	DeadlineBreached int `json:"deadline_breached" db:"breached"`
	DoubleDeviations int `json:"double_deviations" db:"double_deviations"`
	// RecoveryPositive and RecoveryNegative are the recovery follow-ups
	// answered; RecoveryRate the share positive.
	RecoveryPositive         int      `json:"recovery_positive" db:"recovery_positive"`
	RecoveryNegative         int      `json:"recovery_negative" db:"recovery_negative"`
	RecoveryRate             *float64 `json:"recovery_rate" db:"-"`
	CompensationGrantedCents int64    `json:"compensation_granted_cents" db:"compensation"`
}

// Complaints returns the figures of the complaints opened over the query;
// now decides which are overdue.
func (s *Store) Complaints(ctx context.Context, q Query, now time.Time) (ComplaintFigures, error) {
	if err := q.Validate(); err != nil {
		return ComplaintFigures{}, err
	}
	query := `SELECT count(*) AS opened,
       count(*) FILTER (WHERE priority = 1) AS p1, count(*) FILTER (WHERE priority = 2) AS p2,
       count(*) FILTER (WHERE priority = 3) AS p3, count(*) FILTER (WHERE priority = 4) AS p4,
       count(*) FILTER (WHERE NOT ack_spared AND (acknowledged_at IS NOT NULL OR due_at <= :now)) AS ack_due,
       count(*) FILTER (WHERE NOT ack_spared AND acknowledged_at <= due_at) AS ack_on_time,
       count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved,
       count(*) FILTER (WHERE state <> 'resolved' AND due_at < :now) AS overdue,
       count(*) FILTER (WHERE deadline_breached_at IS NOT NULL) AS breached,
       count(*) FILTER (WHERE double_deviation) AS double_deviations,
       count(*) FILTER (WHERE recovery_outcome = 'positive') AS recovery_positive,
       count(*) FILTER (WHERE recovery_outcome = 'negative') AS recovery_negative,
       COALESCE(sum(compensation_granted_cents), 0) AS compensation
FROM ` + filtered(serviceComplaintsSQL) + ` AS x`
	p := q.params()
	p["now"] = now
	var f ComplaintFigures
	if err := s.getNamed(ctx, &f, query, p); err != nil {
		return f, fmt.Errorf("complaint figures: %w", err)
	}
	f.ByPriority = map[string]int{"P1": f.P1, "P2": f.P2, "P3": f.P3, "P4": f.P4}
	f.AckOnTimeRate = rate(f.AckOnTime, f.AckDue)
	f.RecoveryRate = rate(f.RecoveryPositive, f.RecoveryPositive+f.RecoveryNegative)
	return f, nil
}

// DoubleDeviation is a complaint whose recovery failed: the follow-up after
// resolution was negative again, or the promised deadline was missed.
type DoubleDeviation struct {
	ComplaintID int64     `json:"complaint_id" db:"id"`
	Customer    string    `json:"customer" db:"customer"`
	Priority    int       `json:"priority" db:"priority"`
	Reason      string    `json:"reason" db:"reason"`
	State       string    `json:"state" db:"state"`
	Owner       string    `json:"owner" db:"owner"`
	Team        string    `json:"team" db:"team"`
	At          time.Time `json:"at" db:"at"`
}

// deviatedAtSQL is when a complaint's recovery failed: the missed deadline,
// or the negative recovery follow-up (its latest reply).
const deviatedAtSQL = `CASE WHEN k.double_deviation_reason = 'promise_missed' THEN COALESCE(k.deadline_breached_at, k.due_at)
    ELSE COALESCE((SELECT max(r2.submitted_at) FROM invitations i2 JOIN responses r2 ON r2.invitation_id = i2.id
                   WHERE i2.complaint_id = k.id), k.updated_at) END`

// DoubleDeviations lists the double deviations that happened in [from,
// to), the most recent first.
func (s *Store) DoubleDeviations(ctx context.Context, from, to time.Time, limit int) ([]DoubleDeviation, error) {
	out := []DoubleDeviation{}
	err := s.selectNamed(ctx, &out, `SELECT * FROM (
    SELECT k.id, COALESCE(NULLIF(cu.name, ''), cu.external_ref) AS customer, k.priority, k.double_deviation_reason AS reason,
           k.state, COALESCE(NULLIF(u.name, ''), u.email, '') AS owner, k.team, `+deviatedAtSQL+` AS at
    FROM complaints k
    JOIN customers cu ON cu.id = k.customer_id
    LEFT JOIN users u ON u.id = k.owner_id
    WHERE k.double_deviation) AS d
WHERE at >= :from AND at < :to
ORDER BY at DESC, id DESC LIMIT :limit`, map[string]any{"from": from, "to": to, "limit": limit})
	if err != nil {
		return nil, fmt.Errorf("double deviations: %w", err)
	}
	return out, nil
}
