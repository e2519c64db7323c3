package reports

import (
	"context"
	"fmt"
	"time"
)

// CompensationRow is compensation granted against advised for one agent of
// one team, in one currency, over a period: what managers read to see who
// grants above the advice.
type CompensationRow struct {
	Team     string `db:"team" json:"team"`
	Agent    string `db:"agent" json:"agent"`
	Currency string `db:"currency" json:"currency"`
	// Complaints the agent asked compensation on.
	Complaints int `db:"complaints" json:"complaints"`
	// GrantedCents were granted (at once or approved).
	GrantedCents int64 `db:"granted_cents" json:"granted_cents"`
	// AdvisedCents is the sum of those complaints' suggested amounts, and
	// AdvisedMaxCents of the top of their advised ranges.
	AdvisedCents    int64 `db:"advised_cents" json:"advised_cents"`
	AdvisedMaxCents int64 `db:"advised_max_cents" json:"advised_max_cents"`
	// AboveAdvice counts complaints granted more than the advised range.
	AboveAdvice int `db:"above_advice" json:"above_advice"`
	// Pending and Refused count requests still waiting and refused.
	Pending int `db:"pending" json:"pending"`
	Refused int `db:"refused" json:"refused"`
}

// compensationSQL groups the compensation asked in the period by the
// complaint's team, the person who asked and the currency; each
// complaint's advice counts once per person.
const compensationSQL = `WITH g AS (
    SELECT g.complaint_id, g.requested_by, g.currency,
        COALESCE(sum(g.cents) FILTER (WHERE g.state IN ('granted', 'approved')), 0) AS granted,
        count(*) FILTER (WHERE g.state = 'pending') AS pending,
        count(*) FILTER (WHERE g.state = 'refused') AS refused
    FROM compensation_grants g
    WHERE g.requested_at >= :from AND g.requested_at < :to
    GROUP BY g.complaint_id, g.requested_by, g.currency
)
SELECT c.team, COALESCE(NULLIF(u.name, ''), u.email, 'followup') AS agent, g.currency,
    count(*) AS complaints, CAST(sum(g.granted) AS bigint) AS granted_cents,
    CAST(sum(COALESCE(CAST(c.advice->>'suggested_cents' AS bigint), 0)) AS bigint) AS advised_cents,
    CAST(sum(COALESCE(CAST(c.advice->>'max_cents' AS bigint), 0)) AS bigint) AS advised_max_cents,
    count(*) FILTER (WHERE g.granted > COALESCE(CAST(c.advice->>'max_cents' AS bigint), 0)) AS above_advice,
    CAST(sum(g.pending) AS int) AS pending, CAST(sum(g.refused) AS int) AS refused
FROM g JOIN complaints c ON c.id = g.complaint_id
LEFT JOIN users u ON u.id = g.requested_by
GROUP BY c.team, agent, g.currency
ORDER BY c.team, g.currency, agent`

// Compensation is compensation granted against advised per team and agent
// for the requests made in [from, to), with a total row per team and
// currency (Agent empty) after its agents.
func (s *Store) Compensation(ctx context.Context, from, to time.Time) ([]CompensationRow, error) {
	var rows []CompensationRow
	if err := s.selectNamed(ctx, &rows, compensationSQL, map[string]any{"from": from, "to": to}); err != nil {
		return nil, fmt.Errorf("compensation report: %w", err)
	}
	out := make([]CompensationRow, 0, len(rows)+4)
	for i := 0; i < len(rows); {
		total := CompensationRow{Team: rows[i].Team, Currency: rows[i].Currency}
		j := i
		for ; j < len(rows) && rows[j].Team == total.Team && rows[j].Currency == total.Currency; j++ {
			r := rows[j]
			out = append(out, r)
			total.Complaints += r.Complaints
			total.GrantedCents += r.GrantedCents
			total.AdvisedCents += r.AdvisedCents
			total.AdvisedMaxCents += r.AdvisedMaxCents
			total.AboveAdvice += r.AboveAdvice
			total.Pending += r.Pending
			total.Refused += r.Refused
		}
		out = append(out, total)
		i = j
	}
	return out, nil
}
