package reports

import (
	"context"
	"fmt"
	"slices"

	"github.com/followup/followup/surveys"
)

// RiskCount is how often a risk of dissatisfaction showed.
type RiskCount struct {
	Risk surveys.Risk `json:"risk" db:"risk"`
	// Replies showing the risk (from a "what went wrong" answer or the
	// comment), and complaints tagged with it.
	Replies    int `json:"replies" db:"replies"`
	Complaints int `json:"complaints" db:"complaints"`
}

// Risks counts the 13 risks of dissatisfaction over the query, every risk
// present (zero when it did not show), the most frequent first.
func (s *Store) Risks(ctx context.Context, q Query) ([]RiskCount, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	query := `WITH rr AS (
    SELECT risk, count(DISTINCT x.id) AS n FROM ` + filtered(serviceRepliesSQL) + ` AS x, unnest(x.risks) AS risk GROUP BY risk
), cr AS (
    SELECT risk, count(DISTINCT x.id) AS n FROM ` + filtered(serviceComplaintsSQL) + ` AS x, unnest(x.risks) AS risk GROUP BY risk
)
SELECT COALESCE(rr.risk, cr.risk) AS risk, COALESCE(rr.n, 0) AS replies, COALESCE(cr.n, 0) AS complaints
FROM rr FULL JOIN cr ON cr.risk = rr.risk`
	var found []RiskCount
	if err := s.selectNamed(ctx, &found, query, q.params()); err != nil {
		return nil, fmt.Errorf("risks: %w", err)
	}
	return orderRisks(found), nil
}

// orderRisks puts every one of the 13 risks in, the most replies first,
// then the most complaints, then the source material's order.
func orderRisks(found []RiskCount) []RiskCount {
	out := make([]RiskCount, 0, len(surveys.Risks))
	seen := map[surveys.Risk]bool{}
	for _, r := range surveys.Risks {
		rc := RiskCount{Risk: r}
		for _, f := range found {
			if f.Risk == r {
				rc = f
			}
		}
		seen[r] = true
		out = append(out, rc)
	}
	for _, f := range found {
		if !seen[f.Risk] {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b RiskCount) int {
		if a.Replies != b.Replies {
			return b.Replies - a.Replies
		}
		return b.Complaints - a.Complaints
	})
	return out
}
