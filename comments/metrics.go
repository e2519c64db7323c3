package comments

// counts are a binary classifier's outcomes on a set of rows.
type counts struct{ tp, fp, fn, tn int }

func (c *counts) add(predicted, actual bool) {
	switch {
	case predicted && actual:
		c.tp++
	case predicted:
		c.fp++
	case actual:
		c.fn++
	default:
		c.tn++
	}
}

// Score is precision, recall and F1 of one label, with its support (how
// many rows carry it).
type Score struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// score returns precision, recall and F1; a measure with nothing to count
// (no positive predicted, or none to find) is 1 when nothing was wrong.
func (c counts) score() Score {
	s := Score{Support: c.tp + c.fn, Precision: 1, Recall: 1}
	if c.tp+c.fp > 0 {
		s.Precision = float64(c.tp) / float64(c.tp+c.fp)
	}
	if c.tp+c.fn > 0 {
		s.Recall = float64(c.tp) / float64(c.tp+c.fn)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

func (c counts) fBeta(beta float64) float64 {
	s := c.score()
	b2 := beta * beta
	if s.Precision == 0 && s.Recall == 0 {
		return 0
	}
	return (1 + b2) * s.Precision * s.Recall / (b2*s.Precision + s.Recall)
}

// Measures are the evaluation's measures, in the order they are printed:
// the five labels, with escalation (public or legal) after negative.
var Measures = []string{"negative", "escalation", "public", "legal", "leave", "incivility"}

// Verdict is what a reader decided for one comment, per measure.
type Verdict map[string]bool

// Truth returns the corpus's labels of a row as a Verdict, escalation
// included.
func (r Row) Truth() Verdict {
	v := Verdict{}
	for l, lab := range Labels {
		v[string(lab)] = r.Labels[l]
	}
	v["escalation"] = v["public"] || v["legal"]
	return v
}

// Evaluation tallies verdicts against the truth, overall and per language.
type Evaluation struct {
	all, byLang map[string]map[string]*counts
	n           int
}

// NewEvaluation starts an empty tally.
func NewEvaluation() *Evaluation {
	return &Evaluation{all: map[string]map[string]*counts{"all": {}}, byLang: map[string]map[string]*counts{}}
}

// Add counts one row's verdict.
func (e *Evaluation) Add(r Row, got Verdict) {
	e.n++
	truth := r.Truth()
	for _, group := range []string{"all", r.Lang} {
		m := e.all[group]
		if m == nil {
			m = map[string]*counts{}
			e.all[group] = m
		}
		for _, k := range Measures {
			c := m[k]
			if c == nil {
				c = &counts{}
				m[k] = c
			}
			c.add(got[k], truth[k])
		}
	}
}

// N is how many rows were counted.
func (e *Evaluation) N() int { return e.n }

// Scores returns the scores per group ("all", "fr", "en") and measure.
func (e *Evaluation) Scores() map[string]map[string]Score {
	out := map[string]map[string]Score{}
	for g, m := range e.all {
		out[g] = map[string]Score{}
		for _, k := range Measures {
			var c counts
			if m[k] != nil {
				c = *m[k]
			}
			out[g][k] = c.score()
		}
	}
	return out
}
