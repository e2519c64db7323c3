package address_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/followup/followup/mail/address"
)

// TestRecipient: the recipients the mailer can write, and the part named
// for those it cannot.
func TestRecipient(t *testing.T) {
	for _, tc := range []struct {
		name, email string
		part        string // "" when accepted
	}{
		{"Marie Tremblay", "marie@example.com", ""},
		{"", "marie@example.com", ""},
		{"Hélène Côté-Lévesque", "helene@example.fr", ""},
		{"O'Brien, Sean", "sean@example.ie", ""},
		{"李小龍", "li@example.cn", ""},
		{"Dr. <Who>", "who@example.com", ""}, // quoted: harmless
		{"Eve", "", "email"},
		{"Eve", "marie@", "email"},
		{"Eve", "Marie <marie@example.com>", "email"},
		{"Eve", "a@example.com, b@example.com", "email"},
		{"Eve", "marie@example.com\r\nBcc: x@evil.example", "email"},
		{"Eve", strings.Repeat("a", 250) + "@example.com", "email"},
		{`Eve" <victim@evil.example>, "x`, "marie@example.com", "name"},
		{`Marie "Mimi" Tremblay`, "marie@example.com", "name"},
		{`back\slash`, "marie@example.com", "name"},
		{"two\r\nlines", "marie@example.com", "name"},
		{"new\nline", "marie@example.com", "name"},
		{"nul\x00", "marie@example.com", "name"},
	} {
		a, err := address.Recipient(tc.name, tc.email)
		var ae *address.Error
		switch {
		case tc.part == "" && err != nil:
			t.Errorf("Recipient(%q, %q) refused: %v", tc.name, tc.email, err)
		case tc.part == "" && (a.Name != tc.name || a.Address != tc.email):
			t.Errorf("Recipient(%q, %q) = %q <%q>", tc.name, tc.email, a.Name, a.Address)
		case tc.part != "" && !errors.As(err, &ae):
			t.Errorf("Recipient(%q, %q) accepted, want the %s refused", tc.name, tc.email, tc.part)
		case tc.part != "" && ae.Part != tc.part:
			t.Errorf("Recipient(%q, %q) refused the %s (%v), want the %s", tc.name, tc.email, ae.Part, err, tc.part)
		}
	}
}
