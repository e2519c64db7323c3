package reports

import (
	"context"
	"fmt"

	"github.com/lib/pq"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/surveys"
)

// DefaultTopRisks is how many risks a risk trend follows unless asked.
const DefaultTopRisks = 5

// RiskTrend follows the most frequent risks of dissatisfaction period by
// period, empty periods included.
type RiskTrend struct {
	Grain Grain `json:"grain"`
	// Risks are the risks followed: the top ones over the whole query, as
	// Risks orders them, leaving out those that did not show at all.
	Risks []surveys.Risk `json:"risks"`
	// Points are the periods, oldest first; each counts the risks in the
	// order of Risks.
	Points []RiskPoint `json:"points"`
}

// RiskPoint is one period of a risk trend.
type RiskPoint struct {
	// Period names it (2026-11-02, 2026-W45, 2026-11); Start is its first
	// day.
	Period string      `json:"period"`
	Start  string      `json:"start"`
	Risks  []RiskCount `json:"risks"`
}

// riskTrendSQL counts the risks of :risks per period; generate_series
// makes the empty periods present, and the left join keeps them when no
// risk is followed.
var riskTrendSQL = `WITH periods AS (
    SELECT p AS k FROM generate_series(
        date_trunc(:grain, CAST(:from AS timestamptz) AT TIME ZONE :tz),
        CAST(:to AS timestamptz) AT TIME ZONE :tz - CAST('1 microsecond' AS interval),
        CAST('1 ' || :grain AS interval)) AS p
), followed AS (
    SELECT risk, ord FROM unnest(CAST(:risks AS text[])) WITH ORDINALITY AS f(risk, ord)
), rr AS (
    SELECT date_trunc(:grain, x.submitted_at AT TIME ZONE :tz) AS k, risk, count(DISTINCT x.id) AS n
    FROM ` + filtered(serviceRepliesSQL) + ` AS x, unnest(x.risks) AS risk
    WHERE risk = ANY (CAST(:risks AS text[])) GROUP BY 1, 2
), cr AS (
    SELECT date_trunc(:grain, x.opened_at AT TIME ZONE :tz) AS k, risk, count(DISTINCT x.id) AS n
    FROM ` + filtered(serviceComplaintsSQL) + ` AS x, unnest(x.risks) AS risk
    WHERE risk = ANY (CAST(:risks AS text[])) GROUP BY 1, 2
)
SELECT to_char(periods.k, 'YYYY-MM-DD') AS start, followed.risk, COALESCE(rr.n, 0) AS replies, COALESCE(cr.n, 0) AS complaints
FROM periods
LEFT JOIN followed ON true
LEFT JOIN rr ON rr.k = periods.k AND rr.risk = followed.risk
LEFT JOIN cr ON cr.k = periods.k AND cr.risk = followed.risk
ORDER BY periods.k, followed.ord`

// RiskTrend counts, per period of the query, the replies and complaints
// showing each of its top risks (1 to 13). Summed over the periods, each
// risk's counts are those Risks gives for the whole query.
func (s *Store) RiskTrend(ctx context.Context, q Query, top int) (RiskTrend, error) {
	if err := q.Validate(); err != nil {
		return RiskTrend{}, err
	}
	if top < 1 || top > len(surveys.Risks) {
		return RiskTrend{}, invalid.Field("top", fmt.Sprintf("must be a whole number from 1 to %d", len(surveys.Risks)))
	}
	totals, err := s.Risks(ctx, q)
	if err != nil {
		return RiskTrend{}, err
	}
	t := RiskTrend{Grain: q.Grain, Risks: []surveys.Risk{}, Points: []RiskPoint{}}
	for _, rc := range totals {
		if len(t.Risks) < top && (rc.Replies > 0 || rc.Complaints > 0) {
			t.Risks = append(t.Risks, rc.Risk)
		}
	}
	names := make(pq.StringArray, len(t.Risks))
	for i, r := range t.Risks {
		names[i] = string(r)
	}
	p := q.params()
	p["risks"] = names
	var rows []struct {
		Start      string        `db:"start"`
		Risk       *surveys.Risk `db:"risk"`
		Replies    int           `db:"replies"`
		Complaints int           `db:"complaints"`
	}
	if err := s.selectNamed(ctx, &rows, riskTrendSQL, p); err != nil {
		return t, fmt.Errorf("risk trend: %w", err)
	}
	for _, row := range rows {
		if n := len(t.Points); n == 0 || t.Points[n-1].Start != row.Start {
			pt := RiskPoint{Period: row.Start, Start: row.Start, Risks: []RiskCount{}}
			if start, err := parseDay(row.Start, q.Location); err == nil {
				pt.Period = PeriodLabel(start, q.Grain)
			}
			t.Points = append(t.Points, pt)
		}
		if row.Risk != nil {
			pt := &t.Points[len(t.Points)-1]
			pt.Risks = append(pt.Risks, RiskCount{Risk: *row.Risk, Replies: row.Replies, Complaints: row.Complaints})
		}
	}
	return t, nil
}
