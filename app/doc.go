// Package app assembles followup from its configuration: it opens
// PostgreSQL and Redis, builds the stores, the mailer, the queue client and
// the handlers, and runs the roles (HTTP, worker, scheduler) with a graceful
// shutdown. It wires; it decides nothing.
package app
