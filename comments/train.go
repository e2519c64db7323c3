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
}

// DefaultTrainOptions are the options the embedded model was trained with.
var DefaultTrainOptions = TrainOptions{Seed: 20261202, Epochs: 12, Rate: 0.15, L2: 1e-5}

// Train fits a model on train, one logistic output per label with AdaGrad
// over the hashed features, positives of rare labels weighted up; then
// picks each label's threshold on dev (F1 for most labels, recall weighed
// twice for public and legal, where a miss costs most). A nil dev keeps
// 0.5.
func Train(train, dev []Row, opt TrainOptions) *Model {
	m := &Model{W: make([]float32, dims*nLabels)}
	for l := range m.Threshold {
		m.Threshold[l] = 0.5
	}
	docs := make([]*doc, len(train))
	for i, r := range train {
		docs[i] = extract(r.Text, r.Lang)
	}
	// Weight positives by sqrt(negatives/positives): recall matters more
	// than precision on rare intents.
	var posW [nLabels]float64
	for l := range nLabels {
		pos := 0
		for _, r := range train {
			if r.Labels[l] {
				pos++
			}
		}
		posW[l] = 1
		if pos > 0 && pos < len(train) {
			posW[l] = math.Sqrt(float64(len(train)-pos) / float64(pos))
		}
	}
	w := make([]float64, dims*nLabels)
	g2 := make([]float64, dims*nLabels)
	var bias, bg2 [nLabels]float64
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))
	order := make([]int, len(train))
	for i := range order {
		order[i] = i
	}
	for range opt.Epochs {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		for _, i := range order {
			d, r := docs[i], train[i]
			for l := range nLabels {
				z := bias[l]
				for _, f := range d.features {
					z += w[int(f.h)*nLabels+l]
				}
				y, cw := 0.0, 1.0
				if r.Labels[l] {
					y, cw = 1, posW[l]
				}
				g := (sigmoid(z) - y) * cw
				bg2[l] += g * g
				bias[l] -= opt.Rate * g / math.Sqrt(bg2[l]+1e-8)
				for _, f := range d.features {
					k := int(f.h)*nLabels + l
					gk := g + opt.L2*w[k]
					g2[k] += gk * gk
					w[k] -= opt.Rate * gk / math.Sqrt(g2[k]+1e-8)
				}
			}
		}
	}
	for k, v := range w {
		m.W[k] = float32(v)
	}
	for l := range nLabels {
		m.Bias[l] = float32(bias[l])
	}
	if len(dev) > 0 {
		m.tuneThresholds(dev)
	}
	return m
}

// tuneThresholds picks, per label, the probability threshold that does
// best on rows the model was not trained on.
func (m *Model) tuneThresholds(dev []Row) {
	probs := make([][nLabels]float64, len(dev))
	for i, r := range dev {
		z := m.logits(extract(r.Text, r.Lang))
		for l := range nLabels {
			probs[i][l] = sigmoid(z[l])
		}
	}
	for l := range nLabels {
		beta := 1.0
		if Labels[l] == LabelPublic || Labels[l] == LabelLegal {
			beta = 2
		}
		best, bestF := 0.5, -1.0
		for t := 0.10; t <= 0.90001; t += 0.01 {
			var c counts
			for i, r := range dev {
				c.add(probs[i][l] >= t, r.Labels[l])
			}
			if f := c.fBeta(beta); f > bestF+1e-9 {
				best, bestF = t, f
			}
		}
		m.Threshold[l] = float32(math.Round(best*100) / 100)
	}
}
