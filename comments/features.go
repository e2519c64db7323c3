package comments

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
)

// featureBits sets the size of the hashed feature space (2^18 buckets).
const featureBits = 18

// dims is how many buckets features are hashed into.
const dims = 1 << featureBits

// feature is one hashed feature of a comment, with the tokens it was read
// from (from < 0 for a feature of the whole comment), so a prediction can
// quote the customer's words that weighed most.
type feature struct {
	h        uint32
	from, to int32
}

// doc is a comment read for the model: its tokens, language, stems, the
// clause of each token and what the gazetteer found.
type doc struct {
	text   string
	toks   []token
	lang   string
	stems  []string
	clause []int
	neg    []bool
	// flags holds, per clause, the classes of the gazetteer found in it;
	// all those of the whole comment.
	flags    []classSet
	all      classSet
	features []feature
	// names holds each feature's name when debugging (see explain).
	names []string
	debug bool
	// ents are the gazetteer's matches; lexicon and risks the keyword
	// lexicon's.
	ents    []match
	lexicon []Signal
	risks   []RiskEvidence
}

// conjunctions start a new clause: "great staff but I will never come back".
var conjunctions = set("but", "however", "although", "though", "whereas", "yet", "mais", "cependant", "pourtant", "quoique", "toutefois", "sauf", "neanmoins")

// negators undo the words after them in their clause. "plus" and
// "personne" are negators only after "ne" ("ne suis plus", "n'a
// personne").
var negators = set(
	"not", "no", "never", "nt", "cannot", "cant", "dont", "doesnt", "didnt", "wont", "isnt", "wasnt", "couldnt", "wouldnt", "arent",
	"werent", "havent", "hasnt", "hadnt", "shouldnt", "aint", "nothing", "nobody", "none", "hardly", "barely", "neither", "nor", "without",
	"pas", "jamais", "aucun", "aucune", "rien", "sans", "ni", "guere", "nullement",
)

// contractionsNot are the first halves of an English "n't" once the
// apostrophe split them: "won" "t", "don" "t".
var contractionsNot = set("won", "don", "can", "didn", "doesn", "isn", "wasn", "couldn", "wouldn", "aren", "weren", "haven", "hasn", "hadn", "shouldn", "ain")

// negationScope is how many words after a negator it still reaches.
const negationScope = 4

// read tokenizes and marks a comment: language, stems, clauses, negation
// scope and the gazetteer's classes. hint is the reply's language, used
// when the comment's own words do not tell.
func read(text, hint string) *doc {
	d := &doc{text: text}
	all := tokenize(text)
	guess := guessLanguage(all)
	d.lang = guess
	if d.lang == "" {
		d.lang = hint
	}
	if d.lang != "fr" {
		d.lang = "en"
	}
	// Clauses: a break or a conjunction starts a new one. Breaks are
	// kept in toks (phrases and negation do not cross them).
	clause := 0
	for i, t := range all {
		if t.brk {
			if len(d.toks) > 0 && !d.toks[len(d.toks)-1].brk {
				clause++
			}
			d.toks = append(d.toks, t)
			d.stems = append(d.stems, "")
			d.clause = append(d.clause, clause)
			continue
		}
		if conjunctions[t.norm] && i > 0 {
			clause++
		}
		d.toks = append(d.toks, t)
		d.stems = append(d.stems, stem(text[t.start:t.end], t.norm, d.lang))
		d.clause = append(d.clause, clause)
	}
	d.flags = make([]classSet, clause+1)
	d.neg = make([]bool, len(d.toks))
	d.markNegation()
	d.lexicon, d.risks = matchLexicon(text, d.toks, guess)
	return d
}

// markNegation sets neg on the words a negation reaches: the words after a
// negator in its clause, and in French the verb between "ne" and its
// second half ("je ne recommande pas").
func (d *doc) markNegation() {
	toks := d.toks
	for k, t := range toks {
		if t.brk {
			continue
		}
		isNeg := negators[t.norm]
		if t.norm == "t" && k > 0 && contractionsNot[toks[k-1].norm] {
			isNeg = true
		}
		if (t.norm == "plus" || t.norm == "personne" || t.norm == "point") && frenchNeWithin(toks, k) >= 0 {
			isNeg = true
		}
		if !isNeg {
			continue
		}
		if ne := frenchNeWithin(toks, k); ne >= 0 {
			for j := ne + 1; j < k; j++ {
				d.neg[j] = true
			}
		}
		for j := k + 1; j < len(toks) && j <= k+negationScope; j++ {
			if toks[j].brk || conjunctions[toks[j].norm] || d.clause[j] != d.clause[k] {
				break
			}
			d.neg[j] = true
		}
	}
}

// frenchNeWithin returns the index of a "ne" or "n'" at most three words
// before k in the same clause, or -1.
func frenchNeWithin(toks []token, k int) int {
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		if toks[j].brk {
			return -1
		}
		if toks[j].norm == "ne" || toks[j].norm == "n" {
			return j
		}
	}
	return -1
}

// stems caches the stems of words already seen, per language: customers
// use the same few thousand words, and stemming is the costliest step of
// reading. It is emptied when it grows past stemCacheSize.
var (
	stemCache     sync.Map // lang + "\x00" + word → stem
	stemCacheLen  atomic.Int64
	stemCacheSize = int64(200_000)
)

// stem returns the Snowball stem of a word in its language, folded; words
// with digits become "#".
func stem(word, folded, lang string) string {
	key := lang + "\x00" + word
	if s, ok := stemCache.Load(key); ok {
		return s.(string)
	}
	s := stemUncached(word, folded, lang)
	if stemCacheLen.Add(1) > stemCacheSize {
		stemCache.Clear()
		stemCacheLen.Store(0)
	}
	stemCache.Store(key, s)
	return s
}

func stemUncached(word, folded, lang string) string {
	for _, r := range folded {
		if r >= '0' && r <= '9' {
			return "#"
		}
	}
	if utf8.RuneCountInString(word) <= 2 {
		return folded
	}
	lower := strings.ToLower(word)
	var s string
	if lang == "fr" {
		s = french.Stem(lower, true)
	} else {
		s = english.Stem(lower, true)
	}
	return Fold(s)
}

// Hashing: FNV-1a, 32 bits, over a namespace and the feature's parts.
const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func hashAdd(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= fnvPrime
	}
	return h
}

func hashSep(h uint32) uint32 {
	h ^= 0x1f
	return h * fnvPrime
}

func (d *doc) add(from, to int, parts ...string) {
	h := uint32(fnvOffset)
	for i, p := range parts {
		if i > 0 {
			h = hashSep(h)
		}
		h = hashAdd(h, p)
	}
	d.features = append(d.features, feature{h: h & (dims - 1), from: int32(from), to: int32(to)})
	if d.debug {
		d.names = append(d.names, strings.Join(parts, "|"))
	}
}

const (
	valencePositive = "positive"
	valenceNegative = "negative"
)

// classSet is a set of classes of the gazetteer, one bit each.
type classSet uint32

// class is one class of the gazetteer with its bit.
type class struct {
	name string
	bit  classSet
}

func (s classSet) has(c class) bool { return s&c.bit != 0 }

// classNames lists every class; a class's bit is 1 << its index.
var classNames = []string{
	classChannel, classReview, classMedia, classCrowd, classPublish, classLawyer, classCourt, classRegulator, classDispute,
	classComplain, classLeave, classInsult, classSwear, classPraise, classBlame, classIntent, classDone, classIrrealis,
	classWithdraw, classOther, classSelf, classIf, classYou, classGood, valencePositive, valenceNegative,
}

func classOf(name string) class {
	for i, n := range classNames {
		if n == name {
			return class{name, 1 << i}
		}
	}
	panic("comments: unknown class " + name)
}

func classesOf(names ...string) []class {
	out := make([]class, len(names))
	for i, n := range names {
		out[i] = classOf(n)
	}
	return out
}

var (
	// clauseFlags are the classes of a clause that qualify an entity found
	// in it: who acts, when, and whether it happened.
	clauseFlags = classesOf(classIntent, classDone, classIrrealis, classOther, classSelf, classIf, classYou)
	// commentFlags are the classes that qualify every entity of the
	// comment: withdrawals, thanks, and how the whole comment sounds.
	commentFlags = classesOf(classWithdraw, classGood, valencePositive, valenceNegative)
	// entityClasses are the classes that name what a comment is about; the
	// others only qualify them.
	entityClasses = classesOf(classChannel, classReview, classMedia, classCrowd, classPublish, classLawyer, classCourt,
		classRegulator, classDispute, classComplain, classLeave, classInsult, classSwear, classPraise, classBlame)
	entityBits = func() classSet {
		var b classSet
		for _, c := range entityClasses {
			b |= c.bit
		}
		return b
	}()
	irrealis, self, intent     = classOf(classIrrealis), classOf(classSelf), classOf(classIntent)
	positiveTone, negativeTone = classOf(valencePositive), classOf(valenceNegative)
)

// extract computes the features of a comment.
func extract(text, hint string) *doc { return extractDebug(text, hint, false) }

func extractDebug(text, hint string, debug bool) *doc {
	d := read(text, hint)
	d.debug = debug
	toks := d.toks
	d.features = make([]feature, 0, 24*len(toks)+16)
	d.add(-1, -1, "bias")
	d.add(-1, -1, "lang", d.lang)

	// Words: stems, scoped by negation, bigrams and character n-grams.
	prev := -1
	words := 0
	for i, t := range toks {
		if t.brk {
			prev = -1
			continue
		}
		words++
		s := d.stems[i]
		d.add(i, i, "u", s)
		if d.neg[i] {
			d.add(i, i, "n", s)
		}
		if prev >= 0 && d.clause[prev] == d.clause[i] {
			d.add(prev, i, "b", d.stems[prev], s)
		}
		prev = i
		d.charGrams(i)
	}
	d.add(-1, -1, "len", lengthBucket(words))

	d.ents = entities.find(toks, d.lang)
	d.valence()

	// Gazetteer: classes found, then qualified by their clause.
	for _, m := range d.ents {
		d.flags[d.clause[m.from]] |= m.ph.e.bit
		d.all |= m.ph.e.bit
	}
	for _, m := range d.ents {
		e := m.ph.e
		if e.bit&entityBits == 0 {
			continue
		}
		c := string(e.kind)
		d.add(m.from, m.to, "e", c)
		fl := d.flags[d.clause[m.from]]
		if d.neg[m.from] {
			d.add(m.from, m.to, "e", c, "neg")
		}
		for _, f := range clauseFlags {
			if fl.has(f) {
				d.add(m.from, m.to, "e", c, f.name)
			}
		}
		for _, f := range commentFlags {
			if d.all.has(f) {
				d.add(m.from, m.to, "e", c, "c", f.name)
			}
		}
		// Pairs of entity classes in one clause: "post" with "Facebook",
		// "contacted" with "my lawyer".
		for _, other := range entityClasses {
			if fl.has(other) && other.name > c {
				d.add(m.from, m.to, "p", c, other.name)
			}
		}
		// Negated and irrealis intent together read as no intent.
		if fl.has(irrealis) && fl.has(self) {
			d.add(m.from, m.to, "e", c, "self-irrealis")
		}
		if fl.has(intent) && fl.has(self) {
			d.add(m.from, m.to, "e", c, "self-intent")
		}
	}
	for _, f := range clauseFlags {
		if d.all.has(f) {
			d.add(-1, -1, "g", f.name)
		}
	}
	for _, f := range commentFlags {
		if d.all.has(f) {
			d.add(-1, -1, "g", f.name)
		}
	}

	// The keyword lexicon, with its own reading of negation.
	for _, s := range d.lexicon {
		d.add(-1, -1, "l", string(s.Kind))
	}
	for _, r := range d.risks {
		d.add(-1, -1, "r", string(r.Risk))
	}
	d.shape()
	return d
}

// charGrams adds the character 3- to 5-grams of a word, with its
// boundaries: they read misspellings ("dissapointed") and word forms the
// stemmer leaves apart.
func (d *doc) charGrams(i int) {
	w := "^" + d.toks[i].norm + "$"
	if len(w) < 5 {
		return
	}
	for n := 4; n <= 4; n++ {
		for k := 0; k+n <= len(w); k++ {
			d.add(i, i, "c", w[k:k+n])
		}
	}
}

func lengthBucket(n int) string {
	switch {
	case n == 0:
		return "0"
	case n <= 2:
		return "1-2"
	case n <= 5:
		return "3-5"
	case n <= 12:
		return "6-12"
	case n <= 30:
		return "13-30"
	}
	return "31+"
}

// shape adds what the comment looks like: shouting, exclamation marks.
func (d *doc) shape() {
	var upper, letters, bangs int
	for _, r := range d.text {
		switch {
		case r == '!':
			bangs++
		case r >= 'A' && r <= 'Z':
			upper++
			letters++
		case r >= 'a' && r <= 'z':
			letters++
		}
	}
	if letters >= 8 && upper*10 >= letters*7 {
		d.add(-1, -1, "shape", "caps")
	}
	switch {
	case bangs >= 3:
		d.add(-1, -1, "shape", "!!!")
	case bangs > 0:
		d.add(-1, -1, "shape", "!")
	}
	if strings.Contains(d.text, "?") {
		d.add(-1, -1, "shape", "?")
	}
}
