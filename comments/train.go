package comments

import (
	"math"
	"math/rand/v2"
)

// TrainOptions set how a model is trained. The same corpus, options and
// seed always give the same weights.
type TrainOptions struct {
	Seed   uint64
	Epochs int
	// Rate is AdaGrad's learning rate; L2 the weight decay per step.
	Rate float64
	L2   float64
	// Folds is how many parts the corpus is cut into to choose the
	// thresholds on predictions made by models that did not see the rows.
	Folds int
}

// DefaultTrainOptions are the options the embedded model was trained with.
var DefaultTrainOptions = TrainOptions{Seed: 20261202, Epochs: 12, Rate: 0.04, L2: 1e-5, Folds: 5}

// target returns a row's value for output l: its label, or public or
// legal for escalation.
func (r Row) target(l int) bool {
	if l == outEsc {
		return r.Labels[1] || r.Labels[2]
	}
	return r.Labels[l]
}

// Train fits a model on rows: one logistic output per label (and one for
// escalation) with AdaGrad over the hashed features, positives of rare
// labels weighted up. Each output's threshold is chosen on out-of-fold
// predictions (the rows cut into opt.Folds parts, each predicted by a
// model trained on the others): F1 for most outputs, recall weighed twice
// for public, legal and escalation, where a miss costs most. The final
// weights are trained on every row.
func Train(rows []Row, opt TrainOptions) *Model {
	docs := make([]*doc, len(rows))
	for i, r := range rows {
		docs[i] = extract(r.Text, r.Lang)
	}
	m := fit(rows, docs, opt)
	for l := range m.Threshold {
		m.Threshold[l] = 0.5
	}
	if opt.Folds > 1 {
		m.Threshold = thresholds(rows, OutOfFold(rows, docs, opt))
	}
	return m
}

// OutOfFold returns, for every row, the probabilities given by a model
// trained without the fold the row is in.
func OutOfFold(rows []Row, docs []*doc, opt TrainOptions) [][nOut]float64 {
	if docs == nil {
		docs = make([]*doc, len(rows))
		for i, r := range rows {
			docs[i] = extract(r.Text, r.Lang)
		}
	}
	probs := make([][nOut]float64, len(rows))
	for f := range opt.Folds {
		var trRows []Row
		var trDocs []*doc
		for i := range rows {
			if i%opt.Folds != f {
				trRows, trDocs = append(trRows, rows[i]), append(trDocs, docs[i])
			}
		}
		m := fit(trRows, trDocs, opt)
		for i := range rows {
			if i%opt.Folds == f {
				z, _ := m.pooledLogits(docs[i])
				for l := range nOut {
					probs[i][l] = sigmoid(z[l])
				}
			}
		}
	}
	return probs
}

// fit trains the weights on rows whose features are docs.
func fit(rows []Row, docs []*doc, opt TrainOptions) *Model {
	m := &Model{W: make([]float32, dims*nOut)}
	// Weight positives by sqrt(negatives/positives): recall matters more
	// than precision on rare intents.
	var posW [nOut]float64
	for l := range nOut {
		pos := 0
		for _, r := range rows {
			if r.target(l) {
				pos++
			}
		}
		posW[l] = 1
		if pos > 0 && pos < len(rows) {
			posW[l] = math.Sqrt(float64(len(rows)-pos) / float64(pos))
		}
	}
	w := make([]float64, dims*nOut)
	g2 := make([]float64, dims*nOut)
	var bias, bg2 [nOut]float64
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	// The weights returned are the mean of the weights after each epoch
	// of the second half (Polyak averaging), steadier than the last ones.
	avg := make([]float64, dims*nOut)
	var avgBias [nOut]float64
	averaged := 0
	for epoch := range opt.Epochs {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, i := range order {
			d, r := docs[i], rows[i]
			for l := range nOut {
				z := bias[l]
				for _, f := range d.features {
					z += w[int(f.h)*nOut+l]
				}
				y, cw := 0.0, 1.0
				if r.target(l) {
					y, cw = 1, posW[l]
				}
				g := (sigmoid(z) - y) * cw
				bg2[l] += g * g
				bias[l] -= opt.Rate * g / math.Sqrt(bg2[l]+1e-8)
				for _, f := range d.features {
					k := int(f.h)*nOut + l
					gk := g + opt.L2*w[k]
					g2[k] += gk * gk
					w[k] -= opt.Rate * gk / math.Sqrt(g2[k]+1e-8)
				}
			}
		}
		if 2*epoch >= opt.Epochs {
			for k, v := range w {
				avg[k] += v
			}
			for l := range nOut {
				avgBias[l] += bias[l]
			}
			averaged++
		}
	}
	for k, v := range avg {
		m.W[k] = float32(v / float64(averaged))
	}
	for l := range nOut {
		m.Bias[l] = float32(avgBias[l] / float64(averaged))
	}
	return m
}

// minRecall is the recall of escalation (public or legal) the thresholds
// keep, out of fold: a customer about to go public or legal must not be
// missed, so precision is sought only above it.
const minRecall = 0.95

// thresholds picks, per output, the probability threshold that does best
// on predictions of rows the model did not see: F1 for each label; then,
// for the escalation output, the highest threshold at which the product's
// decision (public, legal, or escalation alone; see Reading.Decide) still
// finds minRecall of the comments that go public or legal.
func thresholds(rows []Row, probs [][nOut]float64) [nOut]float32 {
	var out [nOut]float32
	for l := range nLabels {
		best, bestF := 0.5, -1.0
		for t := 0.10; t <= 0.90001; t += 0.01 {
			var c counts
			for i, r := range rows {
				c.add(probs[i][l] >= t, r.target(l))
			}
			if f := c.fBeta(1); f > bestF+1e-9 {
				best, bestF = t, f
			}
		}
		out[l] = float32(math.Round(best*100) / 100)
	}
	out[outEsc] = 0.10
	for t := 0.90; t >= 0.0999; t -= 0.01 {
		out[outEsc] = float32(math.Round(t*100) / 100)
		var c counts
		for i, r := range rows {
			rd := Reading{Prob: probs[i]}
			for l := range nOut {
				rd.Threshold[l] = float64(out[l])
			}
			esc := false
			for _, s := range rd.Decide(Ratings{}) {
				esc = esc || s.Kind == SignalPublic || s.Kind == SignalLegal
			}
			c.add(esc, r.target(outEsc))
		}
		if c.score().Recall >= minRecall {
			break
		}
	}
	return out
}

// CrossValidate measures training on rows without the test split: every
// row is decided, with middle ratings, by a model trained on the other
// folds, with thresholds chosen on those same out-of-fold predictions.
func CrossValidate(rows []Row, opt TrainOptions) *Evaluation {
	ev, _ := crossValidate(rows, opt)
	return ev
}

// Mistake is a row the cross-validation got wrong on a measure.
type Mistake struct {
	Row     Row
	Measure string
	Got     bool
	Prob    [nOut]float64
}

// CrossValidateMistakes is CrossValidate with the rows it got wrong.
func CrossValidateMistakes(rows []Row, opt TrainOptions) (*Evaluation, []Mistake) {
	return crossValidate(rows, opt)
}

func crossValidate(rows []Row, opt TrainOptions) (*Evaluation, []Mistake) {
	var mistakes []Mistake
	probs := OutOfFold(rows, nil, opt)
	th := thresholds(rows, probs)
	ev := NewEvaluation()
	for i, r := range rows {
		rd := Reading{Prob: probs[i]}
		for l := range nOut {
			rd.Threshold[l] = float64(th[l])
		}
		v := Verdict{}
		signals := rd.Decide(Ratings{})
		for _, s := range signals {
			v[string(s.Kind)] = true
		}
		v["negative"] = len(signals) > 0
		v["escalation"] = v["public"] || v["legal"]
		ev.Add(r, v)
		truth := r.Truth()
		for _, m := range Measures {
			if v[m] != truth[m] {
				mistakes = append(mistakes, Mistake{Row: r, Measure: m, Got: v[m], Prob: probs[i]})
			}
		}
	}
	return ev, mistakes
}
