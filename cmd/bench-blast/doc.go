// Command bench-blast measures a campaign blast end to end: N invitations
// become due at once, and the clock runs until Postfix's smtp-sink has
// accepted them all (each is marked sent only after the server's 250). It
// runs the real binary — `followup scheduler` and `followup worker` as
// separate processes — against the real PostgreSQL and Redis, samples the
// worker's memory, then pushes the same number of messages of the same size
// with `smtp-source -d` (connection reuse) to the same sink as the ceiling
// to compare with.
//
//	go run ./cmd/bench-blast -n 100000
//	go run ./cmd/bench-blast -n 100000 -rate 20000   # under a rate limit
//	go run ./cmd/bench-blast -n 20000 -rtt 10ms -connections 40
//
// Every SMTP client, followup's and smtp-source's alike, reaches the sink
// through a latency proxy run by the tool (internal/latency): -rtt sets the
// round-trip time it adds (none by default), and it counts the round trips
// each client pays per message, printed beside the rates. followup's pool
// and smtp-source's sessions are 20 by default, the same number (-pool,
// -sessions, or -connections for both).
//
// Beside the rates it prints the CPU time per email of each process and
// PostgreSQL's writes per email (WAL bytes; rows inserted, updated, of
// which HOT, and deleted in each table), read from pg_stat_user_tables.
//
// Tables: it seeds its throwaway schema with SQL of its own (bulk rows no
// store writes at this speed) and then measures the product through its
// stores and roles. It must never run against a schema it did not create.
package main
