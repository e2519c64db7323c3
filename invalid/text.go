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
