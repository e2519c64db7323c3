package reports

import (
	"context"
	"math"
)

// The complaint-handling literature's figures on silent customers (see
// DOMAIN.md): for every customer who complains, 26 stay silent; only 5 to
// 10 % of unhappy customers complain.
const (
	SilentPerComplainer = 26
	ComplainShareLow    = 0.05
	ComplainShareHigh   = 0.10
)

// Silent estimates the unhappy customers who did not tell us, two ways,
// each with its assumption (the pages and the report state them).
type Silent struct {
	// Sent service surveys, Answered of them, Unanswered the rest;
	// Negative replies among all replies of the period.
	Sent         int      `json:"sent"`
	Answered     int      `json:"answered"`
	Unanswered   int      `json:"unanswered"`
	Replies      int      `json:"replies"`
	Negative     int      `json:"negative"`
	ResponseRate *float64 `json:"response_rate"`
	NegativeRate *float64 `json:"negative_rate"`
	// Extrapolated assumes customers who did not answer are unhappy as
	// often as those who did: Unanswered × NegativeRate. Nil without replies.
	Extrapolated *int `json:"extrapolated_unhappy_silent"`
	// SeedSilent is the literature's 26 silent for each customer who spoke
	// up (here: each negative reply); SeedTotalLow and SeedTotalHigh the
	// unhappy customers in all if those who spoke up are 10 % (low) or 5 %
	// (high) of them. They describe spontaneous complaints: with a survey
	// asking everyone, they are an upper bound.
	SeedSilent    int `json:"seed_silent"`
	SeedTotalLow  int `json:"seed_total_low"`
	SeedTotalHigh int `json:"seed_total_high"`
}

// EstimateSilent derives the estimate from a period's figures.
func EstimateSilent(f Figures) Silent {
	s := Silent{Sent: f.Sent, Answered: f.Answered, Unanswered: max(f.Sent-f.Answered, 0),
		Replies: f.Replies, Negative: f.Negative, ResponseRate: f.ResponseRate, NegativeRate: rate(f.Negative, f.Replies)}
	if f.Replies > 0 {
		n := int(math.Round(float64(s.Unanswered) * float64(f.Negative) / float64(f.Replies)))
		s.Extrapolated = &n
	}
	s.SeedSilent = SilentPerComplainer * f.Negative
	s.SeedTotalLow = int(math.Round(float64(f.Negative) / ComplainShareHigh))
	s.SeedTotalHigh = int(math.Round(float64(f.Negative) / ComplainShareLow))
	return s
}

// Silent returns the estimate over the query.
func (s *Store) Silent(ctx context.Context, q Query) (Silent, error) {
	f, err := s.Totals(ctx, q)
	if err != nil {
		return Silent{}, err
	}
	return EstimateSilent(f), nil
}
