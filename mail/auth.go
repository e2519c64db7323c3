package mail

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wneessen/go-mail/smtp"
)

// ErrAuthWithoutTLS is a connection that would have to send credentials in
// clear: the server offered no STARTTLS under the opportunistic policy.
// Nothing was sent; the server needs STARTTLS, or the policy none.
var ErrAuthWithoutTLS = errors.New("refusing to send SMTP credentials over a connection without TLS")

// authMechanisms are the mechanisms used, strongest first: go-mail's
// auto-discovery order, without the channel-binding and NTLM ones.
var authMechanisms = []string{"SCRAM-SHA-256", "SCRAM-SHA-1", "CRAM-MD5", "PLAIN", "LOGIN"}

// guardedAuth is the SMTP AUTH of one connection. It replaces go-mail's
// auto-discovery, which never sends PLAIN or LOGIN without TLS (not even
// under the none policy, where the operator chose clear text) but does send
// challenge-response mechanisms in clear, whose exchange an eavesdropper can
// attack offline. Here the rule is one: credentials go only over TLS,
// unless the policy is none.
type guardedAuth struct {
	user, pass string
	clearOK    bool // TLS policy none
	mech       smtp.Auth
}

// Start chooses the mechanism once the server is known. Refusing here sends
// nothing: go-mail's client says QUIT and the dial fails.
func (a *guardedAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !a.clearOK {
		return "", nil, ErrAuthWithoutTLS
	}
	if len(server.Auth) == 0 {
		return "", nil, errors.New("a user name is configured but the SMTP server offers no authentication (AUTH)")
	}
	i := slices.IndexFunc(authMechanisms, func(m string) bool { return slices.Contains(server.Auth, m) })
	if i < 0 {
		return "", nil, fmt.Errorf("the SMTP server offers no authentication mechanism followup can use (offered: %q; usable: %s)",
			strings.Join(server.Auth, " "), strings.Join(authMechanisms, ", "))
	}
	switch authMechanisms[i] {
	case "SCRAM-SHA-256":
		a.mech = smtp.ScramSHA256Auth(a.user, a.pass)
	case "SCRAM-SHA-1":
		a.mech = smtp.ScramSHA1Auth(a.user, a.pass)
	case "CRAM-MD5":
		a.mech = smtp.CRAMMD5Auth(a.user, a.pass)
	case "PLAIN":
		// The TLS check is done above, for every mechanism.
		a.mech = smtp.PlainAuth("", a.user, a.pass, server.Name, true)
	case "LOGIN":
		a.mech = smtp.LoginAuth(a.user, a.pass, server.Name, true)
	}
	return a.mech.Start(server)
}

// Next continues the chosen mechanism.
func (a *guardedAuth) Next(fromServer []byte, more bool) ([]byte, error) {
	return a.mech.Next(fromServer, more)
}
