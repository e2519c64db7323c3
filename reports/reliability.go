package reports

import (
	"context"
	"fmt"
	"math"
	"slices"

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

// reliabilityItemsSQL lists the scale items of each justice dimension in the
// latest version of each survey answered over the query.
var reliabilityItemsSQL = `WITH latest AS (
    SELECT sv.survey_id, max(x.survey_version_id) AS version
    FROM ` + filtered(serviceRepliesSQL) + ` AS x JOIN survey_versions sv ON sv.id = x.survey_version_id
    GROUP BY sv.survey_id
)
SELECT l.survey_id, s.name AS survey, q.dimension, array_agg(q.key ORDER BY q.key) AS items
FROM latest l
JOIN surveys s ON s.id = l.survey_id
JOIN survey_questions q ON q.survey_version_id = l.version
WHERE q.dimension IN ('distributive', 'procedural', 'interactional') AND q.kind IN ('likert5', 'likert7', 'rating10')
GROUP BY l.survey_id, s.name, q.dimension
ORDER BY s.name, l.survey_id, q.dimension`

// reliabilityValuesSQL gives each reply's answers to the scale items of each
// dimension, reverse items inverted on their scale (1–5, 1–7 or 0–10).
var reliabilityValuesSQL = `SELECT sv.survey_id, q.dimension,
       array_agg(q.key ORDER BY q.key) AS keys,
       array_agg(CASE WHEN q.reverse THEN
                     (CASE q.kind WHEN 'likert5' THEN 6 WHEN 'likert7' THEN 8 ELSE 10 END) - CAST(x.answers ->> q.key AS integer)
                 ELSE CAST(x.answers ->> q.key AS integer) END ORDER BY q.key) AS vals
FROM ` + filtered(serviceRepliesSQL) + ` AS x
JOIN survey_versions sv ON sv.id = x.survey_version_id
JOIN survey_questions q ON q.survey_version_id = x.survey_version_id
WHERE q.dimension IN ('distributive', 'procedural', 'interactional') AND q.kind IN ('likert5', 'likert7', 'rating10')
  AND jsonb_typeof(x.answers -> q.key) = 'number'
GROUP BY sv.survey_id, q.dimension, x.id`

// Reliability returns Cronbach's alpha per survey and dimension of justice
// over the query's replies. A reply counts when it answered every item of
// the dimension (listwise): answers are compared by key across versions.
func (s *Store) Reliability(ctx context.Context, q Query) ([]Reliability, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	var items []struct {
		SurveyID  int64          `db:"survey_id"`
		Survey    string         `db:"survey"`
		Dimension string         `db:"dimension"`
		Items     pq.StringArray `db:"items"`
	}
	if err := s.selectNamed(ctx, &items, reliabilityItemsSQL, q.params()); err != nil {
		return nil, fmt.Errorf("reliability items: %w", err)
	}
	var vals []struct {
		SurveyID  int64          `db:"survey_id"`
		Dimension string         `db:"dimension"`
		Keys      pq.StringArray `db:"keys"`
		Vals      pq.Int64Array  `db:"vals"`
	}
	if err := s.selectNamed(ctx, &vals, reliabilityValuesSQL, q.params()); err != nil {
		return nil, fmt.Errorf("reliability answers: %w", err)
	}
	out := make([]Reliability, 0, len(items))
	for _, it := range items {
		r := Reliability{SurveyID: it.SurveyID, Survey: it.Survey, Dimension: it.Dimension, Items: []string(it.Items)}
		var rows [][]float64
		for _, v := range vals {
			if v.SurveyID != it.SurveyID || v.Dimension != it.Dimension || !slices.Equal([]string(v.Keys), r.Items) {
				continue
			}
			row := make([]float64, len(v.Vals))
			for i, x := range v.Vals {
				row[i] = float64(x)
			}
			rows = append(rows, row)
		}
		r.Replies = len(rows)
		switch a, ok := CronbachAlpha(rows); {
		case len(r.Items) < 2:
			r.Undefined = "too_few_items"
		case len(rows) < 2:
			r.Undefined = "too_few_replies"
		case !ok:
			r.Undefined = "no_variance"
		default:
			a = math.Round(a*1000) / 1000
			r.Alpha = &a
			r.Warning = a < AlphaWarning
		}
		out = append(out, r)
	}
	return out, nil
}
