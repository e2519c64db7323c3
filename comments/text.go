package comments

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of a comment: its folded form (lower case, accents
// removed) and where it sits in the original text, so a match can quote the
// customer's own words. A clause break (punctuation, a line break) is a
// token with brk set and no text.
type token struct {
	norm       string
	start, end int // byte offsets in the original text
	brk        bool
}

// fold writes a rune lowered and without its accent: customers type
// "mecontent", "méContent" and "mécontent" alike.
func fold(b *strings.Builder, r rune) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteByte(byte(r))
		return
	}
	r = unicode.ToLower(r)
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å':
		b.WriteByte('a')
	case 'ç':
		b.WriteByte('c')
	case 'è', 'é', 'ê', 'ë':
		b.WriteByte('e')
	case 'ì', 'í', 'î', 'ï':
		b.WriteByte('i')
	case 'ñ':
		b.WriteByte('n')
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		b.WriteByte('o')
	case 'ù', 'ú', 'û', 'ü':
		b.WriteByte('u')
	case 'ý', 'ÿ':
		b.WriteByte('y')
	case 'œ':
		b.WriteString("oe")
	case 'æ':
		b.WriteString("ae")
	default:
		b.WriteRune(r)
	}
}

// isWordRune says whether r belongs to a word. Apostrophes and hyphens
// split words ("n'est" is "n" "est", "rip-off" is "rip" "off"), which is how
// both languages' elisions and compounds are matched.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// isBreak says whether r ends a clause: negation does not reach across it.
func isBreak(r rune) bool {
	switch r {
	case '.', ',', ';', ':', '!', '?', '\n', '(', ')', '…', '"', '«', '»', '“', '”':
		return true
	}
	return false
}

// tokenize splits text into folded words and clause breaks.
func tokenize(text string) []token {
	var out []token
	var b strings.Builder
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out = append(out, token{norm: b.String(), start: start, end: end})
			b.Reset()
			start = -1
		}
	}
	for i, r := range text {
		switch {
		case isWordRune(r):
			if start < 0 {
				start = i
			}
			fold(&b, r)
		default:
			flush(i)
			if isBreak(r) && (len(out) == 0 || !out[len(out)-1].brk) {
				out = append(out, token{brk: true, start: i, end: i + utf8.RuneLen(r)})
			}
		}
	}
	flush(len(text))
	return out
}

// foldPhrase folds a lexicon phrase the way comments are folded.
func foldPhrase(s string) []string {
	var words []string
	for _, t := range tokenize(s) {
		if !t.brk {
			words = append(words, t.norm)
		}
	}
	return words
}

// Language guesses: a comment is read with the ambiguous words of its own
// language only ("court" is a court of law in English, "short" in French).
var stopwords = map[string]map[string]bool{
	"en": set("the", "and", "is", "was", "i", "to", "my", "it", "you", "of", "with", "for", "this", "that", "have", "they", "we", "not", "be", "will", "are", "me", "on", "no", "your", "s", "t", "m"),
	"fr": set("le", "la", "les", "et", "est", "je", "j", "de", "du", "des", "un", "une", "pas", "mon", "ma", "mes", "que", "qui", "pour", "avec", "ce", "c", "vous", "il", "elle", "au", "aux", "d", "l", "n", "ne", "sur", "ai", "suis", "tres", "votre", "vos",
		// Also French ("on m'a volé"): counted for both, they decide nothing.
		"on", "m"),
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// guessLanguage returns "en" or "fr" when the comment's common words say
// so clearly, else "".
func guessLanguage(toks []token) string {
	var en, fr int
	for _, t := range toks {
		if stopwords["en"][t.norm] {
			en++
		}
		if stopwords["fr"][t.norm] {
			fr++
		}
	}
	switch {
	case en > fr:
		return "en"
	case fr > en:
		return "fr"
	}
	return ""
}

// Language says which language a text is written in, "en" or "fr", when
// its common words say so beyond doubt: at least three of one language's
// and more than twice as many as of the other's (words common to both,
// "on", "m", count for neither). It is "" for a text too short or too
// mixed to tell; a name or a product in the other language does not tip
// it. Stricter than the guess a comment is read with, it is what a warning
// can rest on.
func Language(text string) string {
	var en, fr int
	for _, t := range tokenize(text) {
		inEN, inFR := stopwords["en"][t.norm], stopwords["fr"][t.norm]
		switch {
		case inEN && !inFR:
			en++
		case inFR && !inEN:
			fr++
		}
	}
	switch {
	case en >= 3 && en > 2*fr:
		return "en"
	case fr >= 3 && fr > 2*en:
		return "fr"
	}
	return ""
}

// Fold returns text in lower case without accents, the form in which
// followup matches words in both languages.
func Fold(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	for _, r := range text {
		fold(&b, r)
	}
	return b.String()
}
