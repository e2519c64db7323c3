// Package app assembles followup from its configuration: it opens
// PostgreSQL and Redis, builds the stores, the mailer, the queue client and
// the handlers, and runs the roles (HTTP, worker, scheduler) with a graceful
// shutdown. It wires; it decides nothing.
//
// Tables: it writes none itself; every row goes through the store of the
// package that owns its table (see the README's code map).
//
// It must never hold a business rule, a SQL statement or an HTTP handler:
// when wiring needs a decision, the decision belongs to a domain package.
package app
