package comments

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
)

// Label is one thing the model reads in a comment.
type Label string

// The labels of the corpus, in its column order.
const (
	LabelNegative   Label = "negative"
	LabelPublic     Label = "public"
	LabelLegal      Label = "legal"
	LabelLeave      Label = "leave"
	LabelIncivility Label = "incivility"
)

// LabelEscalation is the model's sixth output: public or legal, either
// one. Learnt on its own, it catches what each of the two misses alone.
const LabelEscalation Label = "escalation"

// Labels lists the corpus's labels in its column order.
var Labels = []Label{LabelNegative, LabelPublic, LabelLegal, LabelLeave, LabelIncivility}

// Outputs lists the model's outputs: the corpus's labels, then escalation.
var Outputs = []Label{LabelNegative, LabelPublic, LabelLegal, LabelLeave, LabelIncivility, LabelEscalation}

// nLabels is len(Labels); nOut is len(Outputs).
const (
	nLabels = 5
	nOut    = 6
	outEsc  = 5
)

// Model is a linear model over hashed features, one logistic output per
// label, with the probability threshold chosen for each on the dev split.
type Model struct {
	// W holds the weights, dims rows of nOut: W[h*nOut+l].
	W         []float32
	Bias      [nOut]float32
	Threshold [nOut]float32
}

// modelMagic opens an encoded model; the digit is the format's version.
const modelMagic = "followup-comments-model/1"

// Encode writes the model in a compact, deterministic form: the non-zero
// rows only, gzip-compressed with no timestamp.
func (m *Model) Encode(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("encode model: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString(modelMagic)
	put := func(v any) { _ = binary.Write(&buf, binary.LittleEndian, v) }
	put(uint32(featureBits))
	put(uint32(nOut))
	put(m.Bias)
	put(m.Threshold)
	var rows []uint32
	for h := 0; h < dims; h++ {
		for l := 0; l < nLabels; l++ {
			if m.W[h*nOut+l] != 0 {
				rows = append(rows, uint32(h))
				break
			}
		}
	}
	put(uint32(len(rows)))
	for _, h := range rows {
		put(h)
		put(m.W[int(h)*nOut : int(h)*nOut+nOut])
	}
	if _, err := zw.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("encode model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("encode model: %w", err)
	}
	return nil
}

// DecodeModel reads a model written by Encode.
func DecodeModel(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("decode model: %w", err)
	}
	if !bytes.HasPrefix(raw, []byte(modelMagic)) {
		return nil, errors.New("decode model: not a followup comments model (or another version)")
	}
	br := bytes.NewReader(raw[len(modelMagic):])
	get := func(v any) error { return binary.Read(br, binary.LittleEndian, v) }
	var bits, labels, n uint32
	m := &Model{W: make([]float32, dims*nOut)}
	for _, v := range []any{&bits, &labels} {
		if err := get(v); err != nil {
			return nil, fmt.Errorf("decode model: %w", err)
		}
	}
	if bits != featureBits || labels != nOut {
		return nil, fmt.Errorf("decode model: made for %d feature bits and %d labels, this build reads %d and %d", bits, labels, featureBits, nOut)
	}
	for _, v := range []any{&m.Bias, &m.Threshold, &n} {
		if err := get(v); err != nil {
			return nil, fmt.Errorf("decode model: %w", err)
		}
	}
	var row [nOut]float32
	for i := uint32(0); i < n; i++ {
		var h uint32
		if err := get(&h); err != nil {
			return nil, fmt.Errorf("decode model row %d: %w", i, err)
		}
		if err := get(&row); err != nil {
			return nil, fmt.Errorf("decode model row %d: %w", i, err)
		}
		if h >= dims {
			return nil, fmt.Errorf("decode model row %d: feature %d out of range", i, h)
		}
		copy(m.W[int(h)*nOut:], row[:])
	}
	return m, nil
}

//go:embed model/comments.model
var embeddedModel []byte

// embedded decodes the model trained on the corpus and embedded in the
// binary (see cmd/train-comments), once, when first used.
var embedded = sync.OnceValue(func() *Model {
	m, err := DecodeModel(bytes.NewReader(embeddedModel))
	if err != nil {
		panic("comments: embedded model: " + err.Error())
	}
	return m
})

// DefaultModel returns the model embedded in the binary.
func DefaultModel() *Model { return embedded() }

// logits returns the model's score (log-odds) for each label.
func (m *Model) logits(d *doc) [nOut]float64 {
	var z [nOut]float64
	for l := range z {
		z[l] = float64(m.Bias[l])
	}
	for _, f := range d.features {
		row := m.W[int(f.h)*nOut : int(f.h)*nOut+nOut]
		for l := range z {
			z[l] += float64(row[l])
		}
	}
	return z
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func logit(p float64) float64 {
	p = math.Min(math.Max(p, 1e-6), 1-1e-6)
	return math.Log(p / (1 - p))
}

// evidence returns the span of tokens whose features weigh most towards
// label l, widened to a few words around it within its clause: the
// customer's words that made the model say so. sentence limits it to one
// sentence (see pooledLogits); -1 looks at the whole comment.
func (m *Model) evidence(d *doc, l, sentence int) (from, to int, term string, ok bool) {
	weight := m.tokenWeights(d, l)
	var of []int32
	if sentence >= 0 {
		of, _ = d.sentenceOf()
	}
	best := -1
	for i, w := range weight {
		if of != nil && int(of[i]) != sentence {
			continue
		}
		if !d.toks[i].brk && w > 0 && (best < 0 || w > weight[best]) {
			best = i
		}
	}
	if best < 0 {
		return 0, 0, "", false
	}
	from, to = d.widen(best, weight)
	return from, to, d.stems[best], true
}

// tokenWeights spreads the weight of each feature for label l over the
// tokens it was read from.
func (m *Model) tokenWeights(d *doc, l int) []float64 {
	weight := make([]float64, len(d.toks))
	for _, f := range d.features {
		if f.from < 0 {
			continue
		}
		w := float64(m.W[int(f.h)*nOut+l])
		n := float64(f.to - f.from + 1)
		for i := f.from; i <= f.to; i++ {
			weight[i] += w / n
		}
	}
	return weight
}

// widen turns the token that weighs most into a quotation: the
// neighbours that weigh at least a quarter as much, two words at most on
// each side, never across a clause break; at least three words where the
// clause has them ("personne ne répond", not "personne"), the heavier side
// first; without small words at either end ("à l'", "on").
func (d *doc) widen(best int, weight []float64) (from, to int) {
	inClause := func(j int) bool {
		return j >= 0 && j < len(d.toks) && !d.toks[j].brk && d.clause[j] == d.clause[best]
	}
	from, to = best, best
	for k := 0; k < 2; k++ {
		if inClause(from-1) && weight[from-1] >= weight[best]/4 {
			from--
		}
		if inClause(to+1) && weight[to+1] >= weight[best]/4 {
			to++
		}
	}
	for to-from < 2 {
		left, right := inClause(from-1), inClause(to+1)
		if !left && !right {
			break
		}
		if left && (!right || weight[from-1] >= weight[to+1]) {
			from--
		} else {
			to++
		}
	}
	for from < best && smallWord(d.toks[from].norm) {
		from++
	}
	for to > best && smallWord(d.toks[to].norm) {
		to--
	}
	return from, to
}

// smallWord reports whether a word is too small to start or end a
// quotation: articles, prepositions, elided pronouns.
func smallWord(w string) bool {
	return len(w) <= 2 || intentFillers[w]
}
