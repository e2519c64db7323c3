package templates

import "testing"

// TestWorkspaceTextsInBothLanguages: every text of the CX workspace has an
// English and a French version, with the same printf verbs.
func TestWorkspaceTextsInBothLanguages(t *testing.T) {
	for _, pair := range [][2]string{{"en", "fr"}, {"fr", "en"}} {
		for k, v := range workspaceTexts[pair[0]] {
			other, ok := workspaceTexts[pair[1]][k]
			if !ok {
				t.Errorf("%s has %q, %s does not", pair[0], k, pair[1])
				continue
			}
			if verbs(v) != verbs(other) {
				t.Errorf("%q: verbs %q in %s, %q in %s", k, verbs(v), pair[0], verbs(other), pair[1])
			}
		}
	}
}

// verbs lists a text's printf verbs in order.
func verbs(s string) string {
	var out []byte
	for i := 0; i < len(s)-1; i++ {
		if s[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '.' || s[j] == '0' || (s[j] >= '1' && s[j] <= '9')) {
			j++
		}
		if j < len(s) {
			out = append(out, s[i:j+1]...)
		}
		i = j
	}
	return string(out)
}
