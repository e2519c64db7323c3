package address

import (
	"fmt"
	netmail "net/mail"
)

// MaxEmail is the longest address (RFC 5321's path limit, less the brackets).
const MaxEmail = 254

// Error says which part of a recipient cannot be written in an email
// ("email" or "name") and why.
type Error struct {
	Part   string
	Reason string
}

func (e *Error) Error() string { return e.Part + " " + e.Reason }

// Recipient returns the To address of the person called name at email,
// read as the mailer reads it: go-mail's `"name" <email>` through
// net/mail. It refuses an email that is not exactly one bare address
// (user@domain), and a name that would not come back unchanged from that
// reading: one that holds a quote, a backslash or a line break, so could
// end the quoted name early (`Eve" <victim@evil.example>, "x`) or smuggle
// a header.
func Recipient(name, email string) (*netmail.Address, error) {
	if email == "" {
		return nil, &Error{Part: "email", Reason: "is required"}
	}
	a, err := netmail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" || len(email) > MaxEmail {
		return nil, &Error{Part: "email", Reason: fmt.Sprintf("%q is not an email address", email)}
	}
	a, err = netmail.ParseAddress(fmt.Sprintf(`"%s" <%s>`, name, email))
	if err != nil || a.Name != name || a.Address != email {
		return nil, &Error{Part: "name", Reason: "cannot be written in an email's To line: no quotes (\"), backslashes or line breaks"}
	}
	return a, nil
}
