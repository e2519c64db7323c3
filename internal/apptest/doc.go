// Package apptest starts a whole followup for end-to-end tests: a private
// PostgreSQL schema, a private queue namespace on the real Redis, the
// in-process SMTP capture server, and the HTTP, worker and scheduler roles on
// a free port. Nothing is mocked.
package apptest
