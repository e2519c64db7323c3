package reports

import (
	"context"
	"fmt"
	"math"
	"time"
)

// Indicator is one figure the barometer can watch.
type Indicator struct {
	Name string `json:"name"`
	// Unit is how the value reads: "%", "/100", "per agent per day" or
	// "complaints".
	Unit string `json:"unit"`
	// Sampled indicators are rates or means over a number of replies or
	// complaints: under the barometer's minimum sample they have no value.
	Sampled bool `json:"-"`
	// Label names it for people, per locale.
	Label map[string]string `json:"-"`
}

// Indicators is what the barometer can watch (FOLLOWUP_BAROMETER picks up
// to MaxIndicators of them). Values are computed over the barometer's
// window, except overdue complaints (now).
var Indicators = []Indicator{
	{Name: "acknowledged_on_time", Unit: "%", Sampled: true, Label: map[string]string{
		"en": "Complaints acknowledged within their deadline", "fr": "Réclamations accusées dans les délais"}},
	{Name: "handled_per_agent_day", Unit: "per agent per day", Sampled: true, Label: map[string]string{
		"en": "Complaints handled per agent per day", "fr": "Réclamations traitées par agent et par jour"}},
	{Name: "satisfaction", Unit: "/100", Sampled: true, Label: map[string]string{
		"en": "Satisfaction index (overall)", "fr": "Indice de satisfaction (global)"}},
	{Name: "satisfaction_distributive", Unit: "/100", Sampled: true, Label: map[string]string{
		"en": "Satisfaction: outcome (distributive justice)", "fr": "Satisfaction : résultat (justice distributive)"}},
	{Name: "satisfaction_procedural", Unit: "/100", Sampled: true, Label: map[string]string{
		"en": "Satisfaction: process (procedural justice)", "fr": "Satisfaction : processus (justice procédurale)"}},
	{Name: "satisfaction_interactional", Unit: "/100", Sampled: true, Label: map[string]string{
		"en": "Satisfaction: treatment (interactional justice)", "fr": "Satisfaction : traitement (justice interactionnelle)"}},
	{Name: "recovery_rate", Unit: "%", Sampled: true, Label: map[string]string{
		"en": "Recovery rate (recovery follow-ups positive)", "fr": "Taux de reconquête (suivis de résolution positifs)"}},
	{Name: "response_rate", Unit: "%", Sampled: true, Label: map[string]string{
		"en": "Response rate", "fr": "Taux de réponse"}},
	{Name: "negative_rate", Unit: "%", Sampled: true, Label: map[string]string{
		"en": "Negative replies", "fr": "Réponses négatives"}},
	{Name: "overdue_complaints", Unit: "complaints", Label: map[string]string{
		"en": "Complaints open past their deadline", "fr": "Réclamations ouvertes hors délai"}},
	{Name: "double_deviations", Unit: "complaints", Label: map[string]string{
		"en": "Double deviations", "fr": "Doubles déviations"}},
}

// MaxIndicators is how many indicators a barometer watches at most: a
// barometer of very few indicators is read; a dashboard of forty is not.
const MaxIndicators = 5

// IndicatorByName returns the indicator called name.
func IndicatorByName(name string) (Indicator, bool) {
	for _, in := range Indicators {
		if in.Name == name {
			return in, true
		}
	}
	return Indicator{}, false
}

// LabelIn returns the indicator's label in locale (English by default).
func (in Indicator) LabelIn(locale string) string {
	if l, ok := in.Label[locale]; ok {
		return l
	}
	return in.Label["en"]
}

// Measure is an indicator's value over a window and the number of replies
// or complaints it rests on.
type Measure struct {
	Value  *float64 `json:"value"`
	Sample int      `json:"sample"`
}

// indicatorsSQL computes every indicator in one statement.
var indicatorsSQL = `WITH rep AS (
    SELECT count(*) AS n, count(*) FILTER (WHERE negative) AS neg, avg(so) AS so, avg(sd) AS sd, avg(sp) AS sp, avg(si) AS si,
           count(so) AS n_so, count(sd) AS n_sd, count(sp) AS n_sp, count(si) AS n_si
    FROM ` + filtered(serviceRepliesSQL) + ` AS x
), snt AS (
    SELECT count(*) AS n, count(*) FILTER (WHERE answered) AS answered FROM ` + filtered(serviceSendsSQL) + ` AS x
), cmp AS (
    SELECT count(*) FILTER (WHERE NOT ack_spared AND (acknowledged_at IS NOT NULL OR due_at <= :to)) AS ack_due,
           count(*) FILTER (WHERE NOT ack_spared AND acknowledged_at <= due_at) AS ack_on_time
    FROM ` + filtered(serviceComplaintsSQL) + ` AS x
), handled AS (
    SELECT count(*) FILTER (WHERE resolved_at >= :from AND resolved_at < :to) AS n,
           count(*) FILTER (WHERE (resolved_at >= :from AND resolved_at < :to) OR (state <> 'resolved' AND opened_at < :to)) AS workload
    FROM complaints
), agents AS (
    SELECT count(*) AS n FROM users WHERE role = 'cx' AND disabled_at IS NULL
), recovery AS (
    SELECT count(*) FILTER (WHERE k.recovery_outcome = 'positive') AS positive, count(*) AS n
    FROM complaints k
    WHERE k.recovery_outcome <> ''
      AND COALESCE((SELECT max(r2.submitted_at) FROM invitations i2 JOIN responses r2 ON r2.invitation_id = i2.id
                    WHERE i2.complaint_id = k.id), k.resolved_at, k.updated_at) >= :from
      AND COALESCE((SELECT max(r2.submitted_at) FROM invitations i2 JOIN responses r2 ON r2.invitation_id = i2.id
                    WHERE i2.complaint_id = k.id), k.resolved_at, k.updated_at) < :to
), overdue AS (
    SELECT count(*) AS n FROM complaints WHERE state <> 'resolved' AND due_at < :to
), dd AS (
    SELECT count(*) AS n FROM complaints k WHERE k.double_deviation AND ` + deviatedAtSQL + ` >= :from AND ` + deviatedAtSQL + ` < :to
)
SELECT rep.n AS replies, rep.neg AS negative, rep.so, rep.sd, rep.sp, rep.si, rep.n_so, rep.n_sd, rep.n_sp, rep.n_si,
       snt.n AS sent, snt.answered, cmp.ack_due, cmp.ack_on_time, handled.n AS handled, handled.workload, agents.n AS agents,
       recovery.positive AS recovered, recovery.n AS recoveries, overdue.n AS overdue, dd.n AS double_deviations
FROM rep, snt, cmp, handled, agents, recovery, overdue, dd`

// Measures computes every indicator over [now − window, now). A sampled
// indicator resting on fewer than minSample replies or complaints has no
// value (one unhappy reply is not a trend).
func (s *Store) Measures(ctx context.Context, now time.Time, window time.Duration, minSample int) (map[string]Measure, error) {
	q := Query{From: now.Add(-window), To: now, Grain: Day, Location: time.UTC}
	var row indicatorRow
	if err := s.getNamed(ctx, &row, indicatorsSQL, q.params()); err != nil {
		return nil, fmt.Errorf("barometer indicators: %w", err)
	}
	days := window.Hours() / 24
	percent := func(a, b int) Measure {
		m := Measure{Sample: b}
		if b > 0 {
			v := round2(100 * float64(a) / float64(b))
			m.Value = &v
		}
		return m
	}
	mean := func(v *float64, n int) Measure {
		m := Measure{Sample: n}
		if v != nil && n > 0 {
			x := round2(*v)
			m.Value = &x
		}
		return m
	}
	count := func(n int) Measure { v := float64(n); return Measure{Value: &v, Sample: n} }
	out := map[string]Measure{
		"acknowledged_on_time":       percent(row.AckOnTime, row.AckDue),
		"satisfaction":               mean(row.SO, row.NSO),
		"satisfaction_distributive":  mean(row.SD, row.NSD),
		"satisfaction_procedural":    mean(row.SP, row.NSP),
		"satisfaction_interactional": mean(row.SI, row.NSI),
		"recovery_rate":              percent(row.Recovered, row.Recoveries),
		"response_rate":              percent(row.Answered, row.Sent),
		"negative_rate":              percent(row.Negative, row.Replies),
		"overdue_complaints":         count(row.Overdue),
		"double_deviations":          count(row.DoubleDeviations),
	}
	// Complaints handled per agent rests on the complaints there were to
	// handle (resolved in the window, or open): with none, 0 handled is no
	// failure of the team.
	handled := Measure{Sample: row.Workload}
	if row.Agents > 0 && days > 0 && row.Workload > 0 {
		v := round2(float64(row.Handled) / float64(row.Agents) / days)
		handled.Value = &v
	}
	out["handled_per_agent_day"] = handled
	for name, m := range out {
		if in, _ := IndicatorByName(name); in.Sampled && m.Sample < minSample {
			m.Value = nil
			out[name] = m
		}
	}
	return out, nil
}

type indicatorRow struct {
	Replies          int      `db:"replies"`
	Negative         int      `db:"negative"`
	SO               *float64 `db:"so"`
	SD               *float64 `db:"sd"`
	SP               *float64 `db:"sp"`
	SI               *float64 `db:"si"`
	NSO              int      `db:"n_so"`
	NSD              int      `db:"n_sd"`
	NSP              int      `db:"n_sp"`
	NSI              int      `db:"n_si"`
	Sent             int      `db:"sent"`
	Answered         int      `db:"answered"`
	AckDue           int      `db:"ack_due"`
	AckOnTime        int      `db:"ack_on_time"`
	Handled          int      `db:"handled"`
	Workload         int      `db:"workload"`
	Agents           int      `db:"agents"`
	Recovered        int      `db:"recovered"`
	Recoveries       int      `db:"recoveries"`
	Overdue          int      `db:"overdue"`
	DoubleDeviations int      `db:"double_deviations"`
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
