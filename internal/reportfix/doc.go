// Package reportfix writes the rows the external loop reads — service
// events, invitations, scored replies, complaints, recovery follow-ups —
// straight into a test's PostgreSQL schema, so report tests can state their
// fixtures by hand and compute the expected figures by hand.
package reportfix
