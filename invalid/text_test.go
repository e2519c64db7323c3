package invalid_test

import (
	"strings"
	"testing"

	"github.com/followup/followup/invalid"
)

// TestText: the one rule every stored text passes at the edge.
func TestText(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     string // part of the message; empty when the text is fine
	}{
		{"plain", "Slow delivery, nobody called back.", ""},
		{"accents and emoji", "Très déçu 😡 — livraison à Montréal", ""},
		{"tab, line feed and carriage return", "line one\r\n\tline two", ""},
		{"replacement character typed as such", "a \uFFFD b", ""},
		{"empty", "", ""},
		{"NUL", "comment\x00 hidden", "NUL"},
		{"NUL alone", "\x00", "NUL"},
		{"bell", "ding\x07", "U+0007"},
		{"escape", "\x1b[31mred", "U+001B"},
		{"delete", "a\x7fb", "U+007F"},
		{"C1 control", "a\u0085b", "U+0085"},
		{"noncharacter FFFE", "a\uFFFEb", "U+FFFE"},
		{"noncharacter FFFF", "a\uFFFFb", "U+FFFF"},
		{"noncharacter FDD0", "a\uFDD0b", "U+FDD0"},
		{"plane 1 noncharacter", "a\U0001FFFFb", "U+1FFFF"},
		{"invalid UTF-8 (Latin-1 é)", "caf\xe9", "not valid UTF-8"},
		{"cut multi-byte character", "caf\xc3", "not valid UTF-8"},
		{"surrogate encoded in UTF-8", "a\xed\xa0\x80b", "not valid UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fe := invalid.Text("comment", tc.in)
			switch {
			case tc.want == "" && fe != nil:
				t.Errorf("refused %q: %v", tc.in, fe)
			case tc.want != "" && fe == nil:
				t.Errorf("accepted %q", tc.in)
			case tc.want != "" && (fe.Field != "comment" || !strings.Contains(fe.Message, tc.want)):
				t.Errorf("%q: got %v, want the field comment and %q", tc.in, fe, tc.want)
			}
		})
	}
}

// TestJSON: raw JSON kept as it came holds only what PostgreSQL's json
// type takes; the decoded strings are Text's business.
func TestJSON(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     string // part of the message; empty when the JSON is fine
	}{
		{"plain object", `{"order":"A-1","lines":[1,2]}`, ""},
		{"accents and emoji", `{"note":"déçu 😡"}`, ""},
		{"escaped accent", `{"note":"d\u00e9\u00e7u"}`, ""},
		{"surrogate pair escaped", `{"note":"\ud83d\ude21"}`, ""},
		{"upper-case hex pair", `{"note":"\uD83D\uDE21"}`, ""},
		{"escaped backslash before u", `{"path":"C:\\users"}`, ""},
		{"escaped quote", `{"q":"say \"hi\""}`, ""},
		{"NUL escape is Text's to refuse", `{"a":"\u0000"}`, ""},
		{"invalid UTF-8", "{\"a\":\"\xff\"}", "UTF-8"},
		{"lone high surrogate", `{"a":"\ud800"}`, "surrogate"},
		{"lone high surrogate at the end", `{"a":"x\ud800"}`, "surrogate"},
		{"high surrogate then a letter", `{"a":"\ud800\u0041"}`, "surrogate"},
		{"lone low surrogate", `{"a":"\udc00"}`, "surrogate"},
		{"surrogate in a key", `{"\udfff":1}`, "surrogate"},
		{"malformed escape", `{"a":"\u12"}`, "malformed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fe := invalid.JSON("attributes", []byte(tc.in))
			switch {
			case tc.want == "" && fe != nil:
				t.Fatalf("refused: %v", fe)
			case tc.want != "" && fe == nil:
				t.Fatalf("accepted, want an error saying %q", tc.want)
			case tc.want != "" && (fe.Field != "attributes" || !strings.Contains(fe.Message, tc.want)):
				t.Fatalf("got %s: %s, want attributes: …%s…", fe.Field, fe.Message, tc.want)
			}
		})
	}
}
