package comments

import (
	"math"
	"strings"

	"github.com/jonreiter/govader"
)

// vader is VADER's English valence lexicon (govader), read once. French
// has no such library; French comments rely on the gazetteer's praise and
// blame classes.
var vader = govader.NewSentimentIntensityAnalyzer()

// vaderNegation scales a negated word's valence, as VADER does.
const vaderNegation = -0.74

// valence adds the comment's valence: for English, the valence of each
// word of VADER's lexicon, flipped when negated, and their sum normalised
// as VADER's compound score, in bands; for French the balance of praise
// and blame words, flipped when negated.
func (d *doc) valence() {
	if d.lang == "en" {
		var sum float64
		defer func() {
			c := sum / math.Sqrt(sum*sum+15)
			d.add(-1, -1, "vader", band(c))
			d.polarity(c)
		}()
		for i, t := range d.toks {
			if t.brk {
				continue
			}
			v, ok := vader.Lexicon[strings.ToLower(d.text[t.start:t.end])]
			if !ok {
				v, ok = vader.Lexicon[t.norm]
			}
			if !ok {
				continue
			}
			if d.neg[i] {
				sum += v * vaderNegation
			} else {
				sum += v
			}
			if math.Abs(v) < 0.5 {
				continue
			}
			pol := "+"
			if v < 0 {
				pol = "-"
			}
			if d.neg[i] {
				pol = "not" + pol
			}
			d.add(i, i, "val", pol)
		}
		return
	}
	var score float64
	for _, m := range d.ents {
		var v float64
		switch m.ph.e.kind {
		case classPraise:
			v = 1
		case classBlame:
			v = -1
		default:
			continue
		}
		pol := "+"
		if v < 0 {
			pol = "-"
		}
		if d.neg[m.from] {
			pol = "not" + pol
			v = -v
		}
		score += v
		d.add(m.from, m.to, "val", pol)
	}
	d.add(-1, -1, "frval", band(math.Tanh(score/2)))
	d.polarity(math.Tanh(score / 2))
}

// polarity records whether the whole comment sounds positive or negative,
// which qualifies what it names: a review site in praise is no threat.
func (d *doc) polarity(v float64) {
	switch {
	case v >= 0.3:
		d.all |= positiveTone.bit
	case v <= -0.3:
		d.all |= negativeTone.bit
	}
}

// band puts a valence in −1..1 into one of seven bands.
func band(v float64) string {
	switch {
	case v <= -0.6:
		return "---"
	case v <= -0.3:
		return "--"
	case v < -0.05:
		return "-"
	case v <= 0.05:
		return "0"
	case v < 0.3:
		return "+"
	case v < 0.6:
		return "++"
	}
	return "+++"
}
