package main

import (
	"bytes"
	"encoding/json"
	"strings"
)

// hostile is one bad value, as the raw bytes of a JSON string's content
// (so invalid UTF-8 and escapes reach the server as a client would send
// them; encoding/json would have replaced invalid bytes) and as the text a
// form or a URL carries.
type hostile struct {
	name string
	json string // inside the quotes of a JSON string
	text string // for forms, query strings and paths (URL-escaped by the caller)
}

var long = strings.Repeat("é", 70000)

// hostiles are the bad values every text field is tried with: NULs,
// invalid UTF-8, a lone surrogate, control characters, header injection,
// a very long text and odd email addresses.
var hostiles = []hostile{
	{"nul", `a\u0000b`, "a\x00b"},
	{"raw-invalid-utf8", "a\xff\xfeb", "a\xff\xfeb"},
	{"lone-surrogate", `\ud800x`, "\xed\xa0\x80x"},
	{"control", `\u0001\u001b[31m\u007f`, "\x01\x1b[31m\x7f"},
	{"crlf-injection", `x\r\nBcc: victim@example.com`, "x\r\nBcc: victim@example.com"},
	{"long-140kB", long, long},
	{"email-two-ats", `a@b@c.example`, "a@b@c.example"},
	{"email-brackets", `<x@y.example>`, "<x@y.example>"},
	{"email-ip-literal", `x@[127.0.0.1]`, "x@[127.0.0.1]"},
	{"email-quoted", `\"a b\"@x.example`, `"a b"@x.example`},
	{"email-unicode", `ü@exämple.fr`, "ü@exämple.fr"},
	{"email-long-local", strings.Repeat("a", 300) + "@x.example", strings.Repeat("a", 300) + "@x.example"},
	{"empty", ``, ""},
}

// marker stands for the string leaf a variant replaces.
const marker = "\x1fHOSTILE\x1f"

// variants returns one JSON body per string leaf of template and per
// hostile value: the template with that leaf replaced. "{{n}}" in the
// template becomes a number unique to each body (external ids).
func variants(template any, seq *int) []bodyVariant {
	var out []bodyVariant
	for _, path := range stringLeaves(template, "") {
		withMarker := replaceLeaf(template, path)
		raw, err := json.Marshal(withMarker)
		if err != nil {
			continue
		}
		enc, _ := json.Marshal(marker)
		enc = enc[1 : len(enc)-1]
		for _, h := range hostiles {
			body := bytes.Replace(raw, enc, []byte(h.json), 1)
			out = append(out, bodyVariant{label: path + "=" + h.name, body: numbered(body, seq)})
		}
	}
	return out
}

type bodyVariant struct {
	label string
	body  []byte
}

func numbered(b []byte, seq *int) []byte {
	for bytes.Contains(b, []byte("{{n}}")) {
		*seq++
		b = bytes.Replace(b, []byte("{{n}}"), []byte(itoa(*seq)), 1)
	}
	return b
}

func itoa(n int) string { return jsonNumber(n) }

func jsonNumber(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// stringLeaves lists the paths (a.b.0.c) of every string in v.
func stringLeaves(v any, at string) []string {
	switch x := v.(type) {
	case string:
		return []string{at}
	case map[string]any:
		var out []string
		for k, c := range x {
			out = append(out, stringLeaves(c, join(at, k))...)
		}
		return out
	case []any:
		var out []string
		for i, c := range x {
			out = append(out, stringLeaves(c, join(at, jsonNumber(i)))...)
		}
		return out
	}
	return nil
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// replaceLeaf returns a copy of v with the string at path replaced by marker.
func replaceLeaf(v any, path string) any {
	switch x := v.(type) {
	case string:
		if path == "" {
			return marker
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		head, rest, _ := strings.Cut(path, ".")
		for k, c := range x {
			if k == head {
				out[k] = replaceLeaf(c, rest)
			} else {
				out[k] = c
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		head, rest, _ := strings.Cut(path, ".")
		for i, c := range x {
			if jsonNumber(i) == head {
				out[i] = replaceLeaf(c, rest)
			} else {
				out[i] = c
			}
		}
		return out
	}
	return v
}
