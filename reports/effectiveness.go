package reports

import (
	"context"
	"time"

	"github.com/followup/followup/surveys"
)

// EffectSide is what the replies linked to an action's cause showed over
// one window: for a touchpoint or a team, the replies about it; for a
// risk, every reply, and how many of them showed the risk.
type EffectSide struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Figures Figures   `json:"figures"`
	// RiskReplies and RiskRate are for a risk: the replies showing it and
	// their share of all replies.
	RiskReplies *int     `json:"risk_replies,omitempty"`
	RiskRate    *float64 `json:"risk_rate,omitempty"`
}

// Effectiveness compares the window before an action's start with the
// window after it, of the same length (the time since the start, at most
// MaxEffectWindow), side by side.
type Effectiveness struct {
	Before EffectSide `json:"before"`
	After  EffectSide `json:"after"`
	// Verdict is better, worse, unchanged (the key rate moved less than
	// two points), too_few_replies (under MinEffectReplies on a side) or
	// not_started.
	Verdict string `json:"verdict"`
	// Measure names the key rate: negative_rate, or risk_rate for a risk.
	Measure string `json:"measure"`
}

// Effectiveness windows and the replies a verdict needs on each side.
const (
	MaxEffectWindow  = 90 * 24 * time.Hour
	MinEffectReplies = 5
)

// Effectiveness measures action a at now.
func (s *Store) Effectiveness(ctx context.Context, a ActionPlan, now time.Time, loc *time.Location) (Effectiveness, error) {
	e := Effectiveness{Measure: "negative_rate"}
	if a.Cause.Kind == CauseRisk {
		e.Measure = "risk_rate"
	}
	start, err := parseDay(a.StartsOn, loc)
	if err != nil {
		return e, err
	}
	length := min(now.Sub(start), MaxEffectWindow)
	if length <= 0 {
		e.Verdict = "not_started"
		length = 0
	}
	e.After = EffectSide{From: start, To: start.Add(length)}
	e.Before = EffectSide{From: start.Add(-length), To: start}
	if e.Verdict == "not_started" {
		return e, nil
	}
	for _, side := range []*EffectSide{&e.Before, &e.After} {
		q := Query{From: side.From, To: side.To, Grain: Day, Location: loc}
		if a.Cause.Kind == CauseTouchpoint || a.Cause.Kind == CauseTeam {
			q.Filters = map[Split]string{Split(a.Cause.Kind): a.Cause.Value}
		}
		if side.Figures, err = s.Totals(ctx, q); err != nil {
			return e, err
		}
		if a.Cause.Kind == CauseRisk {
			risks, err := s.Risks(ctx, q)
			if err != nil {
				return e, err
			}
			n := 0
			for _, r := range risks {
				if r.Risk == surveys.Risk(a.Cause.Value) {
					n = r.Replies
				}
			}
			side.RiskReplies = &n
			side.RiskRate = rate(n, side.Figures.Replies)
		}
	}
	key := func(side EffectSide) *float64 {
		if a.Cause.Kind == CauseRisk {
			return side.RiskRate
		}
		return side.Figures.NegativeRate
	}
	b, af := key(e.Before), key(e.After)
	switch {
	case e.Before.Figures.Replies < MinEffectReplies || e.After.Figures.Replies < MinEffectReplies || b == nil || af == nil:
		e.Verdict = "too_few_replies"
	case *af < *b-0.02:
		e.Verdict = "better"
	case *af > *b+0.02:
		e.Verdict = "worse"
	default:
		e.Verdict = "unchanged"
	}
	return e, nil
}
