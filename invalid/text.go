package invalid

import (
	"fmt"
	"unicode/utf8"
)

// Text checks a text the product may store: valid UTF-8 with no NUL
// (PostgreSQL cannot store it), no other control character but tab, line
// feed and carriage return, and no noncharacter (U+FFFE, U+FFFF, …). Line
// breaks are a field's own rule (a name is one line): every text may hold
// them here. It returns nil for a good text, else the error naming field.
func Text(field, s string) *FieldError {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return Field(field, fmt.Sprintf("is not valid UTF-8 text (byte %d): send UTF-8", i))
		}
		if msg := badRune(r); msg != "" {
			return Field(field, msg)
		}
		i += size
	}
	return nil
}

// badRune says what is wrong with r in a stored text, or "".
func badRune(r rune) string {
	switch {
	case r == 0:
		return "must not contain the NUL character (\\u0000)"
	case r == '\t' || r == '\n' || r == '\r':
		return ""
	case r < 0x20 || (r >= 0x7f && r <= 0x9f):
		return fmt.Sprintf("must not contain the control character U+%04X", r)
	case (r >= 0xfdd0 && r <= 0xfdef) || r&0xfffe == 0xfffe:
		return fmt.Sprintf("must not contain the noncharacter U+%04X", r)
	}
	return ""
}

// JSON checks raw JSON text the product stores as it came (an event's
// attributes): decoding replaces invalid UTF-8 and lone UTF-16 surrogates
// (`"\ud800"`) with U+FFFD, so a check of the decoded strings passes while
// PostgreSQL refuses the raw text. It returns nil when raw is valid UTF-8
// and every \u escape in it names a character; the decoded strings still
// need Text.
func JSON(field string, raw []byte) *FieldError {
	if !utf8.Valid(raw) {
		return Field(field, "is not valid UTF-8 text: send UTF-8")
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' || i+1 >= len(raw) {
			continue
		}
		if raw[i+1] != 'u' {
			i++ // an escaped character: \\ or \"
			continue
		}
		u, ok := hex4(raw, i+2)
		if !ok {
			return Field(field, "holds a malformed \\u escape")
		}
		switch {
		case u >= 0xd800 && u <= 0xdbff:
			lo, ok := hex4(raw, i+8)
			if !ok || raw[i+6] != '\\' || raw[i+7] != 'u' || lo < 0xdc00 || lo > 0xdfff {
				return Field(field, fmt.Sprintf("holds a lone UTF-16 surrogate (\\u%04x): not a character", u))
			}
			i += 11
		case u >= 0xdc00 && u <= 0xdfff:
			return Field(field, fmt.Sprintf("holds a lone UTF-16 surrogate (\\u%04x): not a character", u))
		default:
			i += 5
		}
	}
	return nil
}

// hex4 reads four hex digits at raw[at:].
func hex4(raw []byte, at int) (rune, bool) {
	if at+4 > len(raw) {
		return 0, false
	}
	var r rune
	for _, c := range raw[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
