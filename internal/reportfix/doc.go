// Package reportfix writes the rows the external loop reads — service
// events, invitations, scored replies, complaints, recovery follow-ups —
// straight into a test's PostgreSQL schema, so report tests can state their
// fixtures by hand and compute the expected figures by hand.
//
// Tables: it inserts into customers, service_events, campaigns, invitations,
// responses, complaints, complaint_events and users directly, the one
// exception to one writer per table: report tests need histories (months of
// replies, recoveries, breaches) that no store writes back-dated. It is for
// tests only and must never be imported by the product.
package reportfix
