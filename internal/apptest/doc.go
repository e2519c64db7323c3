// Package apptest starts a whole followup for end-to-end tests: a private
// PostgreSQL schema, a private queue namespace on the real Redis, the
// in-process SMTP capture server, and the HTTP, worker and scheduler roles on
// a free port. Nothing is mocked.
//
// Tables: none directly; the application it starts writes its own. It is for
// tests only and must never be imported by the product.
package apptest
