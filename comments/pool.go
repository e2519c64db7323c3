package comments

// Pooling over sentences: a comment that says several things ("I've moved
// my mortgage to another lender and I'm taking it to the ombudsman. Twelve
// weeks for a transfer is a joke.") is read whole and sentence by
// sentence; for the intents (public, legal, leave and escalation) the
// strongest reading counts, so one clear sentence is not
// drowned by the others. Whether the comment is negative is read whole.
//
// A sentence's reading is the comment's features of the whole (its
// language, tone, withdrawals) plus the features of the sentence's own
// words: the comment is read once.

// pooled are the outputs read sentence by sentence: the intents.
// Incivility is read whole: abuse is in the tone of the whole comment.
var pooled = []int{1, 2, 3, outEsc}

// sentenceEnd reports whether a break ends a sentence.
func sentenceEnd(b byte) bool { return b == '.' || b == '!' || b == '?' || b == ';' || b == '\n' }

// sentenceOf returns, per token, the index of its sentence, and how many
// sentences the comment has.
func (d *doc) sentenceOf() ([]int32, int) {
	of := make([]int32, len(d.toks))
	n, words := 0, false
	for i, t := range d.toks {
		of[i] = int32(n)
		if t.brk && words && sentenceEnd(d.text[t.start]) {
			n++
			words = false
		} else if !t.brk {
			words = true
		}
	}
	if words {
		n++
	}
	return of, n
}

// pooledLogits returns the comment's log-odds per output, each intent
// taken from the sentence (or the whole) that reads it most strongly, and
// the sentence each came from (-1 for the whole).
func (m *Model) pooledLogits(d *doc) (z [nOut]float64, from [nOut]int) {
	z = m.logits(d)
	for l := range from {
		from[l] = -1
	}
	of, n := d.sentenceOf()
	if n < 2 {
		return z, from
	}
	var global [nOut]float64
	for l := range global {
		global[l] = float64(m.Bias[l])
	}
	local := make([][nOut]float64, n)
	for _, f := range d.features {
		row := m.W[int(f.h)*nOut : int(f.h)*nOut+nOut]
		if f.from < 0 {
			for l := range global {
				global[l] += float64(row[l])
			}
			continue
		}
		s := of[f.from]
		if of[f.to] != s {
			continue // a feature spanning two sentences belongs to neither
		}
		for l := range nOut {
			local[s][l] += float64(row[l])
		}
	}
	for s := range local {
		for _, l := range pooled {
			if v := global[l] + local[s][l]; v > z[l] {
				z[l], from[l] = v, s
			}
		}
	}
	return z, from
}
