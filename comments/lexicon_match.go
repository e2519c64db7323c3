package comments

import (
	"slices"
	"strings"
)

type phrase struct {
	e     *entry
	text  string
	words []string
	// selfNegated phrases carry their own negation ("won't be back").
	selfNegated bool
}

// phraseIndex is the compiled lexicon, indexed by first word; phrases
// whose first word is a prefix (ends in *) are indexed by its first letters
// (up to three), so a comment word is only tried against phrases it can
// start.
type phraseIndex struct {
	exact  map[string][]phrase
	prefix map[string][]phrase
}

// stemKey is how many leading letters index a prefix phrase.
const stemKey = 3

var phrases = compileLexicon(lexicon)

func compileLexicon(lex []entry) phraseIndex {
	idx := phraseIndex{exact: map[string][]phrase{}, prefix: map[string][]phrase{}}
	for i := range lex {
		e := &lex[i]
		for _, p := range e.phrases {
			// Any word may be a prefix ("cancel* my subscription"); folding
			// drops the *, so it is put back on the word's last piece.
			var words []string
			for _, w := range strings.Fields(p) {
				stem, star := strings.CutSuffix(w, "*")
				folded := foldPhrase(stem)
				if star && len(folded) > 0 {
					folded[len(folded)-1] += "*"
				}
				words = append(words, folded...)
			}
			ph := phrase{e: e, text: p, words: words}
			for _, w := range words {
				ph.selfNegated = ph.selfNegated || negations[w]
			}
			if stem, ok := strings.CutSuffix(words[0], "*"); ok {
				key := stem[:min(stemKey, len(stem))]
				idx.prefix[key] = append(idx.prefix[key], ph)
			} else {
				idx.exact[words[0]] = append(idx.exact[words[0]], ph)
			}
		}
	}
	return idx
}

// wordMatches says whether a comment word matches a phrase word.
func wordMatches(pattern, word string) bool {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(word, p)
	}
	return pattern == word
}

// matchAt returns the index of the last token of ph matched from token i,
// or -1. A phrase does not run across a clause break.
func (ph phrase) matchAt(toks []token, i int) int {
	if i+len(ph.words) > len(toks) {
		return -1
	}
	for k, w := range ph.words {
		t := toks[i+k]
		if t.brk || !wordMatches(w, t.norm) {
			return -1
		}
	}
	return i + len(ph.words) - 1
}

// MatchLexicon reads a free-text comment in French or English with the
// keyword lexicon and returns the signals its phrases carry and the risks of dissatisfaction it shows, each
// with the customer's words as evidence. Negations are understood ("not
// unhappy" is no anger, "pas du tout satisfait" is), accents are optional,
// and words ambiguous between the two languages are read in the comment's
// language.
func MatchLexicon(text string) ([]Signal, []RiskEvidence) {
	toks := tokenize(text)
	return matchLexicon(text, toks, guessLanguage(toks))
}

// matchLexicon is MatchLexicon on a comment already tokenized, read in
// lang ("" for both languages).
func matchLexicon(text string, toks []token, lang string) ([]Signal, []RiskEvidence) {
	signals := []Signal{}
	risks := []RiskEvidence{}
	seen := map[string]bool{}
	// covered is, per kind, the last token an earlier match used: "office
	// de la protection du consommateur" is one legal signal, not two.
	covered := map[string]int{}
	for i, t := range toks {
		if t.brk {
			continue
		}
		// The longest phrase of each kind (and risk) wins at a position.
		var best map[string]struct {
			ph  phrase
			end int
		}
		try := func(ph phrase) {
			if ph.e.lang != "" && lang != "" && ph.e.lang != lang {
				return
			}
			end := ph.matchAt(toks, i)
			if end < 0 {
				return
			}
			key := string(ph.e.kind) + "/" + string(ph.e.risk)
			if best == nil {
				best = map[string]struct {
					ph  phrase
					end int
				}{}
			}
			if b, ok := best[key]; !ok || end > b.end {
				best[key] = struct {
					ph  phrase
					end int
				}{ph, end}
			}
		}
		for _, ph := range phrases.exact[t.norm] {
			try(ph)
		}
		for k := 1; k <= min(stemKey, len(t.norm)); k++ {
			for _, ph := range phrases.prefix[t.norm[:k]] {
				try(ph)
			}
		}
		if best == nil {
			continue
		}
		keys := make([]string, 0, len(best))
		for k := range best {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			b := best[k]
			if end, ok := covered[k]; ok && i <= end {
				continue
			}
			covered[k] = b.end
			var from, to int
			neg := false
			if !b.ph.selfNegated {
				from, to, neg = negated(toks, i, b.end, b.ph.e.kind.intent())
			}
			evidence := text[toks[i].start:toks[b.end].end]
			switch b.ph.e.kind {
			case signalPraise:
				if !neg {
					continue
				}
				evidence = text[toks[from].start:toks[to].end]
				add(&signals, seen, Signal{Kind: SignalAnger, Term: "not " + b.ph.text, Evidence: evidence})
			case signalRisk:
				if neg {
					continue
				}
				k := "risk/" + string(b.ph.e.risk)
				if !seen[k] {
					seen[k] = true
					risks = append(risks, RiskEvidence{Risk: b.ph.e.risk, Source: "comment", Evidence: evidence})
				}
			default:
				if neg {
					continue
				}
				add(&signals, seen, Signal{Kind: b.ph.e.kind, Term: b.ph.text, Evidence: evidence})
			}
		}
	}
	slices.SortStableFunc(signals, func(a, b Signal) int { return kindRank(a.Kind) - kindRank(b.Kind) })
	return signals, risks
}

func add(signals *[]Signal, seen map[string]bool, s Signal) {
	k := string(s.Kind) + "/" + strings.ToLower(s.Evidence)
	if seen[k] {
		return
	}
	seen[k] = true
	*signals = append(*signals, s)
}
