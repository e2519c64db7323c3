package complaints

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Level is low, medium or high.
type Level int

// Levels.
const (
	Low Level = iota + 1
	Medium
	High
)

func (l Level) String() string {
	switch l {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	}
	return ""
}

// Strategies for deviant behaviour, by frequency and gravity (DOMAIN.md,
// from the deviance seminar).
const (
	// StrategyPedagogic: form, low gravity, high frequency: educate the customer.
	StrategyPedagogic = "pedagogic"
	// StrategySeparation: high gravity, low frequency: sanction and part ways.
	StrategySeparation = "separation"
	// StrategyTolerant: medium gravity and frequency: empower staff.
	StrategyTolerant = "tolerant"
	// StrategyMechanistic: medium gravity, high frequency: formalise the
	// process and the replies.
	StrategyMechanistic = "mechanistic"
	// StrategyExpert: substance, medium to high: in-house specialists.
	StrategyExpert = "expert"
	// StrategyThirdParty: substance, medium to low: external experts.
	StrategyThirdParty = "third_party"
)

// gravity of each deviance kind.
var gravity = map[string]Level{
	"non_comprehension": Low, "pretension": Low, "non_cooperation": Medium, "incivility": Medium, "threat": High,
	"improbability": Low, "injustice": Medium, "disproportion": Medium, "inadmissible": Medium, "fraud": High,
}

// Gravity returns how grave a deviance kind is.
func Gravity(kind string) Level { return gravity[kind] }

// FrequencyOf reads how common a deviance is from its share of recent
// complaints: under 3 % low, under 10 % medium, above high.
func FrequencyOf(share float64) Level {
	switch {
	case share >= 0.10:
		return High
	case share >= 0.03:
		return Medium
	default:
		return Low
	}
}

// Strategy is the suggested way to deal with a complaint's deviance.
type Strategy struct {
	Name string `json:"name"`
	// Form and Substance say which kinds of deviance were weighed.
	Form      []string `json:"form"`
	Substance string   `json:"substance"`
	Gravity   string   `json:"gravity"`
	Frequency string   `json:"frequency"`
	// Share is the part of the last 90 days' complaints with the same
	// deviance, the basis of the frequency.
	Share float64 `json:"share"`
}

// Suggest picks the strategy for a deviance of the given gravity and
// frequency, form and/or substance (the seminar's table, completed so
// every case has an answer: the nearest row wins).
func Suggest(form, substance bool, g, f Level) string {
	switch {
	case !form && !substance:
		return ""
	case form && !substance:
		switch {
		case g == High:
			return StrategySeparation
		case g == Low && f >= Medium:
			return StrategyPedagogic
		case g == Medium && f == High:
			return StrategyMechanistic
		default:
			return StrategyTolerant
		}
	case form && substance && g == Medium && f == Medium:
		return StrategyTolerant
	case form && substance && g == Medium && f == High:
		return StrategyMechanistic
	case form && substance && g == High && f == Low:
		return StrategySeparation
	}
	// Substance: medium to high calls for specialists in house, medium to
	// low for outside experts.
	if g+f >= Medium+Medium {
		return StrategyExpert
	}
	return StrategyThirdParty
}

// DevianceStrategy weighs a complaint's deviance against how common it has
// been over the 90 days before now and suggests a strategy; empty when the
// complaint shows no deviance.
func (s *Store) DevianceStrategy(ctx context.Context, q sqlx.QueryerContext, form []string, substance string, now time.Time) (Strategy, error) {
	st := Strategy{Form: form, Substance: substance}
	if len(form) == 0 && substance == "" {
		return st, nil
	}
	kinds := slices.Clone(form)
	if substance != "" {
		kinds = append(kinds, substance)
	}
	g := Low
	for _, k := range kinds {
		g = max(g, Gravity(k))
	}
	var counts struct {
		Total int `db:"total"`
		Same  int `db:"same"`
	}
	if err := sqlx.GetContext(ctx, q, &counts, `SELECT count(*) AS total,
		count(*) FILTER (WHERE form_deviance && $2 OR substance_deviance = ANY ($2)) AS same
		FROM complaints WHERE opened_at > $1::timestamptz - interval '90 days'`, now, pq.StringArray(kinds)); err != nil {
		return st, fmt.Errorf("deviance frequency: %w", err)
	}
	if counts.Total > 0 {
		st.Share = float64(counts.Same) / float64(counts.Total)
	}
	f := FrequencyOf(st.Share)
	st.Name = Suggest(len(form) > 0, substance != "", g, f)
	st.Gravity, st.Frequency = g.String(), f.String()
	return st, nil
}
