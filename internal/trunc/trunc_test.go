package trunc

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestRunesNeverSplitsACharacter(t *testing.T) {
	cases := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short ascii", "refused", 500, "refused"},
		{"ascii cut", "550 mailbox unavailable", 3, "550"},
		{"accent at the cut", "Zoé", 3, "Zoé"},
		{"accent past the cut", "Zoé Tremblay", 2, "Zo"},
		{"bytes over, runes under", "éééé", 4, "éééé"},
		{"french", "déçu, très déçu", 5, "déçu,"},
		{"emoji", "👍👎🙂", 2, "👍👎"},
		{"combining accent stays a rune", "e\u0301t\u00e9", 2, "e\u0301"},
		{"zero", "abc", 0, ""},
		{"empty", "", 10, ""},
		{"a long reason", "x" + strings.Repeat("é", 600), 500, "x" + strings.Repeat("é", 499)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Runes(tc.in, tc.n)
			if got != tc.want {
				t.Errorf("Runes(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
			}
			if !utf8.ValidString(got) || utf8.RuneCountInString(got) > max(tc.n, 0) {
				t.Errorf("Runes(%q, %d) = %q: split a character or too long", tc.in, tc.n, got)
			}
		})
	}
}
