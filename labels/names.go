package labels

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is a vocabulary whose codes people read by name.
type Kind string

// The kinds of codes named for people.
const (
	Team       Kind = "team"
	Touchpoint Kind = "touchpoint"
	EventKind  Kind = "event_kind"
	Channel    Kind = "channel"
	Risk       Kind = "risk"
	State      Kind = "state"
	Signal     Kind = "signal"
)

// Kinds lists every kind, in the order the admin page shows them.
var Kinds = []Kind{Team, Touchpoint, EventKind, Channel, Risk, State, Signal}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Locales are the languages names are kept in.
var Locales = []string{"fr", "en"}

// Lookup finds the name of a code in a language, if it has one.
type Lookup func(locale string, kind Kind, code string) (string, bool)

// Resolve names code for people reading locale: the admins' name in that
// language, else the built-in name (the fixed vocabularies), else the
// admins' name in another language (a team named only in English keeps
// that name in French), else words derived from the code (Derive). Either
// lookup may be nil.
func Resolve(locale string, kind Kind, code string, admin, builtin Lookup) string {
	if code == "" {
		return ""
	}
	if admin != nil {
		if n, ok := admin(locale, kind, code); ok {
			return n
		}
	}
	if builtin != nil {
		if n, ok := builtin(locale, kind, code); ok {
			return n
		}
	}
	if admin != nil {
		for _, l := range Locales {
			if l == locale {
				continue
			}
			if n, ok := admin(l, kind, code); ok {
				return n
			}
		}
	}
	return Derive(code)
}

// Derive writes a code as words until someone names it: separators
// (_ - . /) become spaces, camelCase is split and the first letter is a
// capital: "team-store" is "Team store", "home_delivery" "Home delivery",
// "courier" "Courier", "VIP" stays "VIP".
func Derive(code string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range strings.TrimSpace(code) {
		switch {
		case r == '_' || r == '-' || r == '.' || r == '/' || unicode.IsSpace(r):
			r = ' '
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			b.WriteRune(' ')
		}
		if r == ' ' && (prev == ' ' || b.Len() == 0) {
			continue
		}
		b.WriteRune(r)
		prev = r
	}
	s := strings.TrimSpace(b.String())
	if s == "" {
		return code
	}
	first, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(first)) + s[size:]
}
