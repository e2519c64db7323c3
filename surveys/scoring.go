package surveys

import (
	"github.com/followup/followup/comments"
	"math"
	"slices"
)

// NPS categories of a 0–10 overall rating.
const (
	Detractor = "detractor" // 0–6
	Passive   = "passive"   // 7–8
	Promoter  = "promoter"  // 9–10
)

// Reason kinds: why a reply is negative.
const (
	ReasonLowScore  = "low_score" // a dimension or the overall score under its threshold
	ReasonDetractor = "detractor" // the 0–10 overall rating is 6 or less
	ReasonSignal    = "signal"    // the comment carries a signal (public, legal, leave, threat, incivility, anger)
)

// Reason is one cause of a negative reply, kept as evidence.
type Reason struct {
	Kind      string    `json:"kind"`
	Dimension Dimension `json:"dimension,omitempty"`
	Score     float64   `json:"score,omitempty"`
	Threshold float64   `json:"threshold,omitempty"`
	// Signal and Evidence say which signal of the comment made the reply
	// negative, in the customer's words.
	Signal   SignalKind `json:"signal,omitempty"`
	Evidence string     `json:"evidence,omitempty"`
	// Confidence is the comment reader's probability for the signal, once
	// the ratings were weighed.
	Confidence float64 `json:"confidence,omitempty"`
}

// Result is the scoring of one reply.
type Result struct {
	// Scores holds 0–100 per dimension of justice that has answered items,
	// and Overall when anything was answered.
	Scores map[Dimension]float64 `json:"scores"`
	// NPS is the 0–10 overall rating, when the survey has one and it was answered.
	NPS         *int   `json:"nps,omitempty"`
	NPSCategory string `json:"nps_category,omitempty"`
	// Risks are the risks of dissatisfaction the reply shows, from the
	// choice question and the comment; RiskEvidence says where each came from.
	Risks        []Risk         `json:"risks"`
	RiskEvidence []RiskEvidence `json:"risk_evidence"`
	// Signals are what the comment reveals, with the customer's words.
	Signals  []Signal `json:"signals"`
	Negative bool     `json:"negative"`
	Reasons  []Reason `json:"reasons"`
}

// Score returns the score of a dimension and whether it exists.
func (r Result) Score(d Dimension) (float64, bool) {
	v, ok := r.Scores[d]
	return v, ok
}

// Lowest returns the lowest score of the reply (dimensions and overall), or
// 100 when nothing was scored.
func (r Result) Lowest() float64 {
	lo := 100.0
	for _, v := range r.Scores {
		lo = math.Min(lo, v)
	}
	return lo
}

// ItemScore maps an answer on a scale to 0–100, inverted for reverse items.
func ItemScore(q Question, v int) (float64, bool) {
	lo, hi, ok := q.Kind.Scale()
	if !ok || v < lo || v > hi {
		return 0, false
	}
	s := float64(v-lo) / float64(hi-lo) * 100
	if q.Reverse {
		s = 100 - s
	}
	return s, true
}

// Score computes a reply's scores: each dimension of justice is the mean of
// its answered items on 0–100 (reverse items inverted); overall is the mean
// of the overall items, or of the dimensions when the survey has no overall
// item. The reply is negative when a score falls under the survey's
// threshold, the 0–10 overall rating is a detractor, or the comment carries
// a signal once the ratings are weighed (see comments.Reading.Decide).
// Risks of dissatisfaction come from the choice question's answers and
// from the comment.
func (s *Survey) Score(a Answers) Result { return s.ScoreIn(a, "") }

// ScoreIn scores a reply given in a locale ("fr" or "en"), the language
// the comment is read in when its own words do not tell.
func (s *Survey) ScoreIn(a Answers, locale string) Result {
	sums := map[Dimension]float64{}
	counts := map[Dimension]int{}
	res := Result{Scores: map[Dimension]float64{}, Risks: []Risk{}, RiskEvidence: []RiskEvidence{}, Reasons: []Reason{}}
	for _, q := range s.Questions {
		ans, answered := a[q.Key]
		if !answered {
			continue
		}
		if ans.Value != nil {
			if v, ok := ItemScore(q, *ans.Value); ok {
				sums[q.Dimension] += v
				counts[q.Dimension]++
			}
			if q.Kind == Rating10 && q.Dimension == Overall && res.NPS == nil {
				n := *ans.Value
				res.NPS = &n
				res.NPSCategory = NPSCategory(n)
			}
			continue
		}
		for _, key := range append(slices.Clone(ans.Choices), ans.Text) {
			for _, o := range q.Options {
				if o.Key == key && o.Risk != "" && !slices.Contains(res.Risks, Risk(o.Risk)) {
					res.Risks = append(res.Risks, Risk(o.Risk))
					res.RiskEvidence = append(res.RiskEvidence, RiskEvidence{Risk: Risk(o.Risk), Source: "choice", Evidence: q.Key + "=" + o.Key})
				}
			}
		}
	}
	var dimSum float64
	var dimCount int
	for _, d := range JusticeDimensions {
		if counts[d] > 0 {
			v := round2(sums[d] / float64(counts[d]))
			res.Scores[d] = v
			dimSum += v
			dimCount++
		}
	}
	switch {
	case counts[Overall] > 0:
		res.Scores[Overall] = round2(sums[Overall] / float64(counts[Overall]))
	case dimCount > 0:
		res.Scores[Overall] = round2(dimSum / float64(dimCount))
	}
	for _, d := range append(slices.Clone(JusticeDimensions), Overall) {
		v, ok := res.Scores[d]
		if ok && v < s.Thresholds.For(d) {
			res.Reasons = append(res.Reasons, Reason{Kind: ReasonLowScore, Dimension: d, Score: v, Threshold: s.Thresholds.For(d)})
		}
	}
	if res.NPSCategory == Detractor {
		res.Reasons = append(res.Reasons, Reason{Kind: ReasonDetractor, Dimension: Overall, Score: float64(*res.NPS)})
	}
	reading := comments.Read(s.Comment(a), locale)
	res.Signals = reading.Decide(res.Ratings())
	for _, ev := range reading.Risks {
		if !slices.Contains(res.Risks, ev.Risk) {
			res.Risks = append(res.Risks, ev.Risk)
			res.RiskEvidence = append(res.RiskEvidence, ev)
		}
	}
	reported := map[SignalKind]bool{}
	for _, sig := range res.Signals {
		if !reported[sig.Kind] {
			reported[sig.Kind] = true
			res.Reasons = append(res.Reasons, Reason{Kind: ReasonSignal, Signal: sig.Kind, Evidence: sig.Evidence, Confidence: sig.Confidence})
		}
	}
	slices.Sort(res.Risks)
	res.Negative = len(res.Reasons) > 0
	return res
}

// Ratings summarises what the reply's scales said, for weighing the
// comment: the mean of its scores (each dimension answered and overall).
func (r Result) Ratings() comments.Ratings {
	if len(r.Scores) == 0 {
		return comments.Ratings{}
	}
	var sum float64
	for _, v := range r.Scores {
		sum += v
	}
	return comments.Ratings{Known: true, Score: sum / float64(len(r.Scores))}
}

// Decided by: which part of a reply made it negative.
const (
	DecidedByRatings = "ratings"
	DecidedByComment = "comment"
	DecidedByBoth    = "ratings and comment"
)

// DecidedBy says which part of the reply made it negative: the ratings
// (a low score or a detractor rating), the comment, or both; empty when
// the reply is not negative.
func (r Result) DecidedBy() string { return DecidedBy(r.Reasons) }

// DecidedBy says which part of a reply made it negative, from the reasons
// stored with it (see Result.DecidedBy).
func DecidedBy(reasons []Reason) string {
	var ratings, comment bool
	for _, why := range reasons {
		if why.Kind == ReasonSignal {
			comment = true
		} else {
			ratings = true
		}
	}
	switch {
	case ratings && comment:
		return DecidedByBoth
	case ratings:
		return DecidedByRatings
	case comment:
		return DecidedByComment
	}
	return ""
}

// NPSCategory classifies a 0–10 rating.
func NPSCategory(n int) string {
	switch {
	case n <= 6:
		return Detractor
	case n <= 8:
		return Passive
	default:
		return Promoter
	}
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
