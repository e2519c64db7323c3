package reports

import (
	"context"
	"fmt"

	"github.com/followup/followup/invalid"
)

// Scores are the mean scores (0–100) of a set of replies, per dimension of
// justice and overall; nil when no reply has one.
type Scores struct {
	Distributive  *float64 `json:"distributive" db:"distributive"`
	Procedural    *float64 `json:"procedural" db:"procedural"`
	Interactional *float64 `json:"interactional" db:"interactional"`
	Overall       *float64 `json:"overall" db:"overall"`
}

// Figures are what a set of service replies, sends and complaints show.
type Figures struct {
	// Replies are the scored replies to service surveys, Negative those
	// flagged negative, NegativeRate their share (nil without replies).
	Replies      int      `json:"replies" db:"replies"`
	Negative     int      `json:"negative" db:"negative"`
	NegativeRate *float64 `json:"negative_rate" db:"-"`
	Scores
	// Complaints opened from these replies.
	Complaints int `json:"complaints" db:"complaints"`
	// Sent are the service surveys sent, Answered those of them answered
	// since, ResponseRate their share (nil when none was sent).
	Sent         int      `json:"sent" db:"sent"`
	Answered     int      `json:"answered" db:"answered"`
	ResponseRate *float64 `json:"response_rate" db:"-"`
}

func (f *Figures) rates() {
	f.NegativeRate = rate(f.Negative, f.Replies)
	f.ResponseRate = rate(f.Answered, f.Sent)
}

// Point is one period of a trend.
type Point struct {
	// Period names it (2026-11-02, 2026-W45, 2026-11); Start is its first
	// day.
	Period string `json:"period" db:"-"`
	Start  string `json:"start" db:"start"`
	Figures
}

// Trend is a query's figures period by period, empty periods included.
type Trend struct {
	Grain  Grain   `json:"grain"`
	Points []Point `json:"points"`
}

// aggregates computes Figures per group of the three relations; groupSQL
// is the group key's expression over each (it sees the relation's columns
// and :grain and :tz).
func aggregatesSQL(groupReplies, groupComplaints, groupSends string) string {
	return `rep AS (
    SELECT ` + groupReplies + ` AS k, count(*) AS replies, count(*) FILTER (WHERE negative) AS negative,
           round(avg(sd), 2) AS distributive, round(avg(sp), 2) AS procedural,
           round(avg(si), 2) AS interactional, round(avg(so), 2) AS overall
    FROM ` + filtered(serviceRepliesSQL) + ` AS x GROUP BY 1
), cmp AS (
    SELECT ` + groupComplaints + ` AS k, count(*) AS complaints
    FROM ` + filtered(serviceComplaintsSQL) + ` AS x GROUP BY 1
), snt AS (
    SELECT ` + groupSends + ` AS k, count(*) AS sent, count(*) FILTER (WHERE answered) AS answered
    FROM ` + filtered(serviceSendsSQL) + ` AS x GROUP BY 1
)`
}

const figureColumns = `COALESCE(rep.replies, 0) AS replies, COALESCE(rep.negative, 0) AS negative,
       rep.distributive, rep.procedural, rep.interactional, rep.overall,
       COALESCE(cmp.complaints, 0) AS complaints, COALESCE(snt.sent, 0) AS sent, COALESCE(snt.answered, 0) AS answered`

// trendSQL cuts the figures into periods; generate_series makes the empty
// periods present.
var trendSQL = `WITH periods AS (
    SELECT p AS k FROM generate_series(
        date_trunc(:grain, CAST(:from AS timestamptz) AT TIME ZONE :tz),
        CAST(:to AS timestamptz) AT TIME ZONE :tz - CAST('1 microsecond' AS interval),
        CAST('1 ' || :grain AS interval)) AS p
), ` + aggregatesSQL(
	"date_trunc(:grain, submitted_at AT TIME ZONE :tz)",
	"date_trunc(:grain, opened_at AT TIME ZONE :tz)",
	"date_trunc(:grain, sent_at AT TIME ZONE :tz)") + `
SELECT to_char(periods.k, 'YYYY-MM-DD') AS start, ` + figureColumns + `
FROM periods
LEFT JOIN rep ON rep.k = periods.k
LEFT JOIN cmp ON cmp.k = periods.k
LEFT JOIN snt ON snt.k = periods.k
ORDER BY periods.k`

// Trend returns the query's figures per period, oldest first.
func (s *Store) Trend(ctx context.Context, q Query) (Trend, error) {
	if err := q.Validate(); err != nil {
		return Trend{}, err
	}
	t := Trend{Grain: q.Grain, Points: []Point{}}
	if err := s.selectNamed(ctx, &t.Points, trendSQL, q.params()); err != nil {
		return t, fmt.Errorf("trend: %w", err)
	}
	for i := range t.Points {
		p := &t.Points[i]
		p.rates()
		p.Period = p.Start
		if start, err := parseDay(p.Start, q.Location); err == nil {
			p.Period = PeriodLabel(start, q.Grain)
		}
	}
	return t, nil
}

// Row is one value of a split and its figures.
type Row struct {
	// Key is the split's value; empty for replies without one.
	Key string `json:"key" db:"key"`
	Figures
}

// Breakdown is the query's figures per value of a split.
type Breakdown struct {
	By   Split `json:"by"`
	Rows []Row `json:"rows"`
}

// Breakdown returns the query's figures for each value of split by, the
// highest negative rate first (the values with replies before those
// without), then the most replies.
func (s *Store) Breakdown(ctx context.Context, q Query, by Split) (Breakdown, error) {
	if err := q.Validate(); err != nil {
		return Breakdown{}, err
	}
	if !by.Valid() {
		return Breakdown{}, invalid.Field("by", "must be touchpoint, channel, team, campaign or segment")
	}
	col := string(by) // a known split: safe to name in SQL
	query := `WITH ` + aggregatesSQL(col, col, col) + `,
keys AS (SELECT k FROM rep UNION SELECT k FROM cmp UNION SELECT k FROM snt)
SELECT keys.k AS key, ` + figureColumns + `
FROM keys
LEFT JOIN rep ON rep.k = keys.k
LEFT JOIN cmp ON cmp.k = keys.k
LEFT JOIN snt ON snt.k = keys.k
ORDER BY CAST(COALESCE(rep.negative, 0) AS float) / NULLIF(rep.replies, 0) DESC NULLS LAST, COALESCE(rep.replies, 0) DESC, keys.k`
	b := Breakdown{By: by, Rows: []Row{}}
	if err := s.selectNamed(ctx, &b.Rows, query, q.params()); err != nil {
		return b, fmt.Errorf("breakdown by %s: %w", by, err)
	}
	for i := range b.Rows {
		b.Rows[i].rates()
	}
	return b, nil
}

// Totals returns the query's figures over its whole range.
func (s *Store) Totals(ctx context.Context, q Query) (Figures, error) {
	if err := q.Validate(); err != nil {
		return Figures{}, err
	}
	query := `WITH ` + aggregatesSQL("1", "1", "1") + `
SELECT ` + figureColumns + `
FROM (SELECT 1 AS k) AS one
LEFT JOIN rep ON rep.k = one.k
LEFT JOIN cmp ON cmp.k = one.k
LEFT JOIN snt ON snt.k = one.k`
	var f Figures
	if err := s.getNamed(ctx, &f, query, q.params()); err != nil {
		return f, fmt.Errorf("totals: %w", err)
	}
	f.rates()
	return f, nil
}
