package reports

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// ScoreLine is the internal scoring of one agent or one team over a period.
type ScoreLine struct {
	// Key is the agent's user id, or the team's code ("" for complaints
	// without a team); Label names them.
	Key   string `json:"key" db:"key"`
	Label string `json:"label" db:"-"`
	// Handled are the complaints resolved in the period.
	Handled int `json:"handled" db:"handled"`
	// AckDue are the complaints opened in the period whose acknowledgement
	// is settled (sent, or its deadline passed), mild cases a survey spares
	// left out; AckOnTime those acknowledged by their deadline.
	AckDue        int      `json:"acknowledgement_due" db:"ack_due"`
	AckOnTime     int      `json:"acknowledged_on_time" db:"ack_on_time"`
	AckOnTimeRate *float64 `json:"acknowledged_on_time_rate" db:"-"`
	// ResolvedOnTime are the handled complaints resolved by their deadline.
	ResolvedOnTime     int      `json:"resolved_on_time" db:"resolved_on_time"`
	ResolvedOnTimeRate *float64 `json:"resolved_on_time_rate" db:"-"`
	// RecoveryAnswered are the handled complaints whose recovery follow-up
	// came back; RecoveryPositive those it found positive.
	RecoveryAnswered int      `json:"recovery_answered" db:"recovery_answered"`
	RecoveryPositive int      `json:"recovery_positive" db:"recovery_positive"`
	RecoveryRate     *float64 `json:"recovery_rate" db:"-"`
	// Compensation against advice, on the handled complaints: what was
	// granted and what the advice suggested, per currency (amounts of
	// different currencies are never added), and how many were granted
	// more than the advice's maximum (an apology advises none).
	Compensation []CurrencyAmounts `json:"compensation" db:"-"`
	AboveAdvice  int               `json:"compensation_above_advice" db:"above_advice"`
	// Reopened counts the reopenings in the period.
	Reopened int `json:"reopened" db:"reopened"`
}

// CurrencyAmounts are the compensation granted and advised in one currency.
type CurrencyAmounts struct {
	Currency     string `json:"currency"`
	GrantedCents int64  `json:"granted_cents"`
	AdvisedCents int64  `json:"advised_cents"`
}

// scoreRow is one line of scorecardSQL: a key's figures in one currency.
type scoreRow struct {
	ScoreLine
	Currency string `db:"currency"`
	Granted  int64  `db:"granted"`
	Advised  int64  `db:"advised"`
}

// lines merges the rows of each key (one per currency) into one line.
func lines(rows []scoreRow) []ScoreLine {
	var out []ScoreLine
	at := map[string]int{}
	for _, r := range rows {
		l := r.ScoreLine
		if r.Handled > 0 || r.Granted != 0 || r.Advised != 0 {
			l.Compensation = []CurrencyAmounts{{Currency: r.Currency, GrantedCents: r.Granted, AdvisedCents: r.Advised}}
		}
		if i, ok := at[l.Key]; ok {
			out[i].add(l)
			continue
		}
		at[l.Key] = len(out)
		out = append(out, l)
	}
	return out
}

// Scorecard is the internal scoring of the CX team over [From, To): one
// line per agent (every enabled CX user, and anyone else who owned a
// complaint counted), one per team, and the total.
type Scorecard struct {
	From   time.Time   `json:"from"`
	To     time.Time   `json:"to"`
	Agents []ScoreLine `json:"agents"`
	Teams  []ScoreLine `json:"teams"`
	Total  ScoreLine   `json:"total"`
}

// scorecardSQL scores the complaints something happened to in the period
// (opened, resolved or reopened), grouped by :key.
const scorecardSQL = `WITH k AS (
    SELECT c.*, COALESCE(CAST(c.owner_id AS text), '') AS agent,
           EXISTS (SELECT 1 FROM complaint_events ev WHERE ev.complaint_id = c.id AND ev.kind = 'acknowledgement_skipped') AS ack_spared,
           (SELECT count(*) FROM complaint_events ev WHERE ev.complaint_id = c.id AND ev.kind = 'reopened'
                AND ev.created_at >= :from AND ev.created_at < :to) AS reopenings,
           c.opened_at >= :from AND c.opened_at < :to AS opened_in,
           c.resolved_at >= :from AND c.resolved_at < :to AS handled_in,
           -- the currency of the complaint (of its grants, else of its customer, else the default)
           COALESCE((SELECT g.currency FROM compensation_grants g WHERE g.complaint_id = c.id ORDER BY g.id LIMIT 1),
                    (SELECT cu.currency FROM customers cu WHERE cu.id = c.customer_id), :currency) AS currency,
           CASE WHEN jsonb_typeof(c.advice->'suggested_cents') = 'number' THEN CAST(c.advice->>'suggested_cents' AS bigint) ELSE 0 END AS suggested,
           CASE WHEN jsonb_typeof(c.advice->'max_cents') = 'number' THEN CAST(c.advice->>'max_cents' AS bigint) ELSE 0 END AS max_cents
    FROM complaints c
    WHERE (c.opened_at >= :from AND c.opened_at < :to) OR (c.resolved_at >= :from AND c.resolved_at < :to)
       OR EXISTS (SELECT 1 FROM complaint_events ev WHERE ev.complaint_id = c.id AND ev.kind = 'reopened'
                  AND ev.created_at >= :from AND ev.created_at < :to)
)
SELECT %s AS key, currency,
       count(*) FILTER (WHERE handled_in) AS handled,
       count(*) FILTER (WHERE opened_in AND NOT ack_spared AND (acknowledged_at IS NOT NULL OR due_at <= :now)) AS ack_due,
       count(*) FILTER (WHERE opened_in AND NOT ack_spared AND acknowledged_at <= due_at) AS ack_on_time,
       count(*) FILTER (WHERE handled_in AND resolved_at <= due_at) AS resolved_on_time,
       count(*) FILTER (WHERE handled_in AND recovery_outcome <> '') AS recovery_answered,
       count(*) FILTER (WHERE handled_in AND recovery_outcome = 'positive') AS recovery_positive,
       COALESCE(sum(compensation_granted_cents) FILTER (WHERE handled_in), 0) AS granted,
       COALESCE(sum(suggested) FILTER (WHERE handled_in), 0) AS advised,
       count(*) FILTER (WHERE handled_in AND compensation_granted_cents > max_cents) AS above_advice,
       COALESCE(sum(reopenings), 0) AS reopened
FROM k GROUP BY 1, 2 ORDER BY 1, 2`

// Scorecard scores each agent and team over [from, to); now decides which
// acknowledgements are due. Agents are the complaints' owners (unassigned
// complaints count in their team and the total only), teams the team that
// served the customer, which answers for the complaint.
func (s *Store) Scorecard(ctx context.Context, from, to, now time.Time) (Scorecard, error) {
	q := Query{From: from, To: to, Grain: Month}
	if err := q.Validate(); err != nil {
		return Scorecard{}, err
	}
	sc := Scorecard{From: from, To: to}
	p := map[string]any{"from": from, "to": to, "now": now, "currency": s.Currency()}
	var agentRows, teamRows []scoreRow
	if err := s.selectNamed(ctx, &agentRows, fmt.Sprintf(scorecardSQL, "agent"), p); err != nil {
		return sc, fmt.Errorf("scorecard per agent: %w", err)
	}
	if err := s.selectNamed(ctx, &teamRows, fmt.Sprintf(scorecardSQL, "team"), p); err != nil {
		return sc, fmt.Errorf("scorecard per team: %w", err)
	}
	byAgent, byTeam := lines(agentRows), lines(teamRows)
	var people []struct {
		ID      int64  `db:"id"`
		Label   string `db:"label"`
		Team    string `db:"team"`
		Enabled bool   `db:"enabled"`
	}
	if err := s.db.SelectContext(ctx, &people, `SELECT id, COALESCE(NULLIF(name, ''), email) AS label, team,
		disabled_at IS NULL AND role = 'cx' AS enabled FROM users ORDER BY lower(COALESCE(NULLIF(name, ''), email)), id`); err != nil {
		return sc, fmt.Errorf("scorecard agents: %w", err)
	}
	got := map[string]ScoreLine{}
	for _, l := range byAgent {
		got[l.Key] = l
	}
	teams := map[string]ScoreLine{}
	for _, l := range byTeam {
		teams[l.Key] = l
	}
	for _, u := range people {
		key := fmt.Sprint(u.ID)
		l, ok := got[key]
		if !ok && !u.Enabled {
			continue
		}
		l.Key, l.Label = key, u.Label
		sc.Agents = append(sc.Agents, l.rated())
		if _, ok := teams[u.Team]; !ok && u.Enabled && u.Team != "" {
			teams[u.Team] = ScoreLine{Key: u.Team}
		}
	}
	if l, ok := got[""]; ok {
		l.Label = "unassigned"
		sc.Agents = append(sc.Agents, l.rated())
	}
	keys := slices.Sorted(maps.Keys(teams))
	if len(keys) > 0 && keys[0] == "" { // no team last
		keys = append(keys[1:], "")
	}
	for _, key := range keys {
		l := teams[key]
		l.Key, l.Label = key, key
		if key == "" {
			l.Label = "no team"
		}
		sc.Teams = append(sc.Teams, l.rated())
		sc.Total.add(l)
	}
	sc.Total.Label = "total"
	sc.Total = sc.Total.rated()
	if sc.Agents == nil {
		sc.Agents = []ScoreLine{}
	}
	if sc.Teams == nil {
		sc.Teams = []ScoreLine{}
	}
	return sc, nil
}

func (l *ScoreLine) add(o ScoreLine) {
	l.Handled += o.Handled
	l.AckDue += o.AckDue
	l.AckOnTime += o.AckOnTime
	l.ResolvedOnTime += o.ResolvedOnTime
	l.RecoveryAnswered += o.RecoveryAnswered
	l.RecoveryPositive += o.RecoveryPositive
	for _, m := range o.Compensation {
		i := slices.IndexFunc(l.Compensation, func(c CurrencyAmounts) bool { return c.Currency == m.Currency })
		if i < 0 {
			l.Compensation = append(l.Compensation, m)
			continue
		}
		l.Compensation[i].GrantedCents += m.GrantedCents
		l.Compensation[i].AdvisedCents += m.AdvisedCents
	}
	slices.SortFunc(l.Compensation, func(a, b CurrencyAmounts) int { return strings.Compare(a.Currency, b.Currency) })
	l.AboveAdvice += o.AboveAdvice
	l.Reopened += o.Reopened
}

func (l ScoreLine) rated() ScoreLine {
	if l.Compensation == nil {
		l.Compensation = []CurrencyAmounts{}
	}
	l.AckOnTimeRate = rate(l.AckOnTime, l.AckDue)
	l.ResolvedOnTimeRate = rate(l.ResolvedOnTime, l.Handled)
	l.RecoveryRate = rate(l.RecoveryPositive, l.RecoveryAnswered)
	return l
}
