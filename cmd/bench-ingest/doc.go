// Command bench-ingest measures batch event ingest end to end: batches of
// events are POSTed as JSON arrays to a followup HTTP server on loopback,
// validated, stored with their customers and their invitations scheduled
// against an active campaign. It prints events per second.
//
//	go run ./cmd/bench-ingest [-events 200000] [-batch 10000] [-concurrency 2]
//
// It works in a schema of its own in the database of FOLLOWUP_DATABASE_URL
// (created if missing), dropped at the end unless -keep, and needs the
// Redis of FOLLOWUP_REDIS_URL only to start the server. Client and server
// share the machine: the JSON bodies are encoded before the clock starts.
//
// Tables: it seeds its throwaway schema with SQL of its own (bulk rows no
// store writes at this speed) and then measures the product through its
// stores and roles. It must never run against a schema it did not create.
package main
