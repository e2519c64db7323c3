package comments

// Pooling over sentences: a comment that says several things ("I've moved
// my mortgage to another lender and I'm taking it to the ombudsman. Twelve
// weeks for a transfer is a joke.") is read whole and sentence by
// sentence; for the intents (public, legal, leave, incivility and
// escalation) the strongest reading counts, so one clear sentence is not
// drowned by the others. Whether the comment is negative is read whole.

// part is a piece of a comment read on its own: its doc and where its
// text starts in the comment.
type part struct {
	d      *doc
	offset int
}

// sentenceEnds are the runes that end a sentence.
func sentenceEnd(b byte) bool { return b == '.' || b == '!' || b == '?' || b == ';' || b == '\n' }

// sentences returns the byte ranges of a comment's sentences, when it has
// more than one.
func (d *doc) sentences() [][2]int {
	var out [][2]int
	start := -1
	for _, t := range d.toks {
		if !t.brk {
			if start < 0 {
				start = t.start
			}
			continue
		}
		if start >= 0 && sentenceEnd(d.text[t.start]) {
			out = append(out, [2]int{start, t.start})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(d.text)})
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// pooledLogits returns the comment's log-odds per output, each intent
// taken from the sentence (or the whole) that reads it most strongly, and
// the part each came from.
func (m *Model) pooledLogits(d *doc) ([nOut]float64, [nOut]part) {
	z := m.logits(d)
	var from [nOut]part
	for l := range from {
		from[l] = part{d: d}
	}
	for _, s := range d.sentences() {
		sd := extract(d.text[s[0]:s[1]], d.lang)
		zs := m.logits(sd)
		for l := 1; l < nOut; l++ {
			if zs[l] > z[l] {
				z[l], from[l] = zs[l], part{d: sd, offset: s[0]}
			}
		}
	}
	return z, from
}
