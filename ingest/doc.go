// Package ingest takes in customers and service events in bulk: a batch of
// events posted to the API, or a CSV file of customers or events imported
// from the command line. Every row is validated with the same rules as a
// single event (customers.EventInput.Validate), bad rows are reported one by
// one (where, which field, why) and skipped, and the good rows are stored
// set-based with their invitations. It reads CSV and reports progress
// through callbacks; it knows nothing of HTTP or terminals.
//
// Tables: none of its own. Customers and events are stored through
// customers.Store, their invitations scheduled through scheduler.Intake, in
// one transaction per chunk. It must never write SQL of its own.
package ingest
