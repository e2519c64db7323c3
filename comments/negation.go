package comments

import "strings"

// negations are the words that undo what follows them: "pas du tout
// satisfait", "not unhappy", "je ne vais pas porter plainte". "dont",
// "wont"... are the spellings without apostrophe.
var negations = set(
	"not", "no", "never", "t", "nor", "without", "hardly", "neither", "nothing",
	"dont", "doesnt", "didnt", "wont", "isnt", "wasnt", "cant", "couldnt", "wouldnt", "arent", "werent", "havent", "hasnt",
	"pas", "jamais", "aucun", "aucune", "ni", "sans", "guere",
)

// shortNegations only undo the word right after them: "no good", but not
// "no problem, great service".
var shortNegations = set("no", "nothing", "aucun", "aucune", "sans", "ni", "nor", "without")

// negationStops end the look-back for a negation: a new clause with its
// own subject, or a condition ("if not fixed, I will sue" is a threat).
var negationStops = set(
	"but", "however", "if", "unless", "otherwise", "or", "i", "we", "then",
	"mais", "cependant", "pourtant", "si", "sinon", "je", "j", "nous", "alors",
)

// negationReach is how many words back a negation still applies: "pas du
// tout satisfait", "I will not post this on Facebook".
const negationReach = 4

// frenchNe is the first half of French negation ("ne", "n'"). Customers
// often drop it, so "pas" before a word negates it on its own; "ne" is
// needed only where the second half alone would mislead.
var frenchNe = set("ne", "n")

// neOnly are negations only after "ne": "je ne suis plus satisfait" is
// negated, "plus rapide" is not.
var neOnly = set("plus", "point")

// frenchNegEnds close a "ne" frame after the verb: "je ne recommande pas",
// "je ne recommanderai jamais".
var frenchNegEnds = set("pas", "plus", "jamais", "guere", "point")

// frenchClitics may sit between "ne" and its verb: "je ne vous le
// recommande pas".
var frenchClitics = set("me", "m", "te", "t", "se", "s", "le", "la", "l", "les", "lui", "leur", "vous", "nous", "y", "en")

// intentFillers do not count towards the reach of a negation over an
// intent: the negation governs the verb ("not going to post on facebook",
// "je ne vais pas le mettre sur Facebook"), and the network or office
// named comes after articles, prepositions and pronouns.
var intentFillers = set(
	"to", "on", "in", "at", "about", "of", "the", "a", "an", "this", "that", "it", "my", "your", "any",
	"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "sur", "en", "ca", "cela", "y", "mon", "ma", "mes", "votre", "vos",
)

// hesitation reports whether a word is "hesitate" in either language: a
// negated hesitation ("I won't hesitate to sue", "je n'hésiterai pas à
// porter plainte") confirms what follows rather than undoing it.
func hesitation(word string) bool { return strings.HasPrefix(word, "hesit") }

// negatesHesitation reports whether the negation at k bears on "hesitate"
// (after it in English, before it in French).
func negatesHesitation(toks []token, k int) bool {
	for _, j := range []int{k - 1, k + 1} {
		if j >= 0 && j < len(toks) && !toks[j].brk && hesitation(toks[j].norm) {
			return true
		}
	}
	return false
}

// negatesState reports whether the negation at k bears on an English past
// participle followed by another verb before the intent at i: "still not
// fixed going to post on Facebook" negates the problem's state and the
// intent stands, while "not contacted my lawyer" negates the intent. French
// participles are not told apart from infinitives by their spelling, so
// French relies on the subject ("je") to end the look-back.
func negatesState(toks []token, k, i int) bool {
	j := k + 1
	if j >= i || len(toks[j].norm) <= 3 || !strings.HasSuffix(toks[j].norm, "ed") {
		return false
	}
	for m := j + 1; m < i; m++ {
		if !intentFillers[toks[m].norm] {
			return true
		}
	}
	return false
}

// negatesNounOnly reports whether the negation at k is "pas de", which
// like "no" undoes only the noun after it, not the intent at i: "pas
// d'avis Google" is negated, "pas de réponse avis Google ce soir" is not.
func negatesNounOnly(toks []token, k, i int) bool {
	return k+2 < len(toks) && (toks[k+1].norm == "de" || toks[k+1].norm == "d") && i != k+2
}

// negationBefore returns the index where a negation that undoes the words
// starting at token i begins, or -1. It looks back a few words, never
// across a clause break, a new subject or a condition. For an intent,
// fillers are not counted, so the negation reaches the intent verb.
func negationBefore(toks []token, i int, intent bool) int {
	dist := 0
	for k := i - 1; k >= 0 && dist < negationReach; k-- {
		t := toks[k]
		if t.brk {
			return -1
		}
		if negationStops[t.norm] {
			return -1
		}
		if intent && intentFillers[t.norm] {
			continue
		}
		dist++
		switch {
		case negations[t.norm]:
			if shortNegations[t.norm] && dist > 1 || negatesNounOnly(toks, k, i) {
				continue
			}
			if negatesHesitation(toks, k) || intent && negatesState(toks, k, i) {
				return -1
			}
			return k
		case neOnly[t.norm]:
			// The evidence starts at "ne": "plus satisfait" alone would
			// read as "more satisfied".
			if ne := frenchNeBefore(toks, k, false); ne >= 0 {
				return ne
			}
		case t.norm == "longer" && k > 0 && toks[k-1].norm == "no":
			// "no longer satisfied": "no" alone reaches one word only.
			return k - 1
		}
	}
	return -1
}

// frenchNeBefore returns the index of a "ne" at most three words before
// token i, or -1. Before a verb only clitic pronouns may sit between them
// ("ne vous le recommande"); before "plus" the verb does too ("ne suis
// plus").
func frenchNeBefore(toks []token, i int, verb bool) int {
	for k := i - 1; k >= 0 && k >= i-3; k-- {
		t := toks[k]
		switch {
		case t.brk:
			return -1
		case frenchNe[t.norm]:
			return k
		case verb && !frenchClitics[t.norm]:
			return -1
		case !verb && negationStops[t.norm]:
			return -1
		}
	}
	return -1
}

// frenchNegationAround finds a French negation whose second half comes
// after the words from token i to end: "je ne recommande pas", "je ne le
// recommanderai jamais". It returns the first and last tokens of the
// negated words, or ok false.
func frenchNegationAround(toks []token, i, end int) (from, to int, ok bool) {
	ne := frenchNeBefore(toks, i, true)
	if ne < 0 {
		return 0, 0, false
	}
	for k := end + 1; k < len(toks) && k <= end+2; k++ {
		t := toks[k]
		if t.brk {
			return 0, 0, false
		}
		if frenchNegEnds[t.norm] {
			return ne, k, true
		}
	}
	return 0, 0, false
}

// negated returns the span of tokens, negation included, that undoes the
// words from token i to end, or ok false when nothing does.
func negated(toks []token, i, end int, intent bool) (from, to int, ok bool) {
	if neg := negationBefore(toks, i, intent); neg >= 0 {
		return neg, end, true
	}
	return frenchNegationAround(toks, i, end)
}
