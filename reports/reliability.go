package reports

import (
	"context"
	"fmt"
	"math"

	"github.com/lib/pq"
)

// Reliability is Cronbach's alpha of one dimension of justice of one survey
// over a period's replies.
type Reliability struct {
	SurveyID  int64  `json:"survey_id"`
	Survey    string `json:"survey"`
	Dimension string `json:"dimension"`
	// Items are the question keys of the dimension, in the survey's latest
	// version answered in the period.
	Items []string `json:"items"`
	// Replies is how many replies answered every item (alpha uses only them).
	Replies int      `json:"replies"`
	Alpha   *float64 `json:"alpha"`
	// Warning is true when alpha is under 0.7: the items do not measure
	// the dimension consistently (reword or replace some).
	Warning bool `json:"warning"`
	// Undefined says why there is no alpha: too_few_items (alpha needs two),
	// too_few_replies, no_variance (everyone answered alike).
	Undefined string `json:"undefined,omitempty"`
}

// reliabilitySQL computes, per survey and justice dimension, the sums
// Cronbach's alpha needs, in one pass over the query's replies: the items
// are the dimension's scale questions in the survey's latest version
// answered over the query; a reply counts when it answered them all
// (answers are compared by key across versions); reverse items are
// inverted on their scale (1–5, 1–7 or 0–10).
var reliabilitySQL = `WITH x AS (
    SELECT id, survey_version_id, answers FROM ` + filtered(serviceRepliesSQL) + ` AS r
), latest AS (
    SELECT sv.survey_id, max(x.survey_version_id) AS version
    FROM x JOIN survey_versions sv ON sv.id = x.survey_version_id
    GROUP BY sv.survey_id
), items AS (
    SELECT l.survey_id, s.name AS survey, q.dimension, array_agg(q.key ORDER BY q.key) AS items
    FROM latest l
    JOIN surveys s ON s.id = l.survey_id
    JOIN survey_questions q ON q.survey_version_id = l.version
    WHERE q.dimension IN ('distributive', 'procedural', 'interactional') AND q.kind IN ('likert5', 'likert7', 'rating10')
    GROUP BY l.survey_id, s.name, q.dimension
), answers AS (
    -- One row per answer to an item, its value on the scale; OFFSET 0
    -- keeps the answers' JSON out of the window's sort below.
    SELECT it.survey_id, it.dimension, x.id AS reply, q.key, cardinality(it.items) AS k,
           CASE WHEN q.reverse THEN (CASE q.kind WHEN 'likert5' THEN 6 WHEN 'likert7' THEN 8 ELSE 10 END) - CAST(x.answers ->> q.key AS integer)
                ELSE CAST(x.answers ->> q.key AS integer) END AS v
    FROM x
    JOIN survey_versions sv ON sv.id = x.survey_version_id
    JOIN items it ON it.survey_id = sv.survey_id
    JOIN survey_questions q ON q.survey_version_id = x.survey_version_id AND q.dimension = it.dimension AND q.key = ANY (it.items)
    WHERE jsonb_typeof(x.answers -> q.key) = 'number'
    OFFSET 0
), vals AS (
    -- answered counts each reply's answers to the dimension's items, so
    -- complete replies need no self-join.
    SELECT survey_id, dimension, reply, key, k, v, count(*) OVER (PARTITION BY survey_id, dimension, reply) AS answered
    FROM answers
), complete AS (
    SELECT survey_id, dimension, reply, key, v FROM vals WHERE answered = k
), totals AS (
    SELECT survey_id, dimension, count(*) AS n, var_samp(total) AS total_var
    FROM (SELECT survey_id, dimension, reply, sum(v) AS total FROM complete GROUP BY survey_id, dimension, reply) AS per_reply
    GROUP BY survey_id, dimension
), sums AS (
    SELECT survey_id, dimension, sum(var) AS item_var
    FROM (SELECT survey_id, dimension, key, var_samp(v) AS var FROM complete GROUP BY survey_id, dimension, key) AS per_item
    GROUP BY survey_id, dimension
)
SELECT it.survey_id, it.survey, it.dimension, it.items, COALESCE(t.n, 0) AS replies,
       CAST(t.total_var AS double precision) AS total_var, CAST(s.item_var AS double precision) AS item_var
FROM items it
LEFT JOIN totals t ON t.survey_id = it.survey_id AND t.dimension = it.dimension
LEFT JOIN sums s ON s.survey_id = it.survey_id AND s.dimension = it.dimension
ORDER BY it.survey, it.survey_id, it.dimension`

// Reliability returns Cronbach's alpha per survey and dimension of justice
// over the query's replies, computed in PostgreSQL from the item and total
// variances of the complete replies.
func (s *Store) Reliability(ctx context.Context, q Query) ([]Reliability, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	var rows []struct {
		SurveyID  int64          `db:"survey_id"`
		Survey    string         `db:"survey"`
		Dimension string         `db:"dimension"`
		Items     pq.StringArray `db:"items"`
		Replies   int            `db:"replies"`
		TotalVar  *float64       `db:"total_var"`
		ItemVar   *float64       `db:"item_var"`
	}
	if err := s.selectNamed(ctx, &rows, reliabilitySQL, q.params()); err != nil {
		return nil, fmt.Errorf("reliability: %w", err)
	}
	out := make([]Reliability, 0, len(rows))
	for _, row := range rows {
		r := Reliability{SurveyID: row.SurveyID, Survey: row.Survey, Dimension: row.Dimension, Items: []string(row.Items), Replies: row.Replies}
		switch {
		case len(r.Items) < 2:
			r.Undefined = "too_few_items"
		case r.Replies < 2 || row.TotalVar == nil || row.ItemVar == nil:
			r.Undefined = "too_few_replies"
		default:
			a, ok := alphaOf(len(r.Items), *row.ItemVar, *row.TotalVar)
			if !ok {
				r.Undefined = "no_variance"
				break
			}
			a = math.Round(a*1000) / 1000
			r.Alpha = &a
			r.Warning = a < AlphaWarning
		}
		out = append(out, r)
	}
	return out, nil
}
