// Package receive takes in the mail that comes back to followup's inbound
// domain: an SMTP listener (the followup inbound role, for a deployment
// whose MX or relay points at it) and an IMAP poller (for a company that
// can only give a mailbox). Both store the raw message once through
// inbound.Store, and only then acknowledge it (250) or delete it from the
// mailbox; then they queue its parsing.
//
// It holds no rule of what a message means (package inbound does) and
// writes no table itself.
package receive
