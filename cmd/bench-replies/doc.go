// Command bench-replies measures the reply storm: survey submissions over
// HTTP on loopback, a share of them negative, each stored, scored and (when
// negative) turned into a complaint before the customer's browser is
// redirected to the thank-you page.
//
// It starts followup's HTTP and worker roles in-process on a fresh
// PostgreSQL schema and a private queue prefix, seeds customers with sent
// invitations, then runs two phases:
//
//   - throughput: closed loop, -concurrency submitters as fast as they go;
//   - latency: open loop at -rate replies per second, latency measured from
//     the scheduled send time (no coordinated omission) to the 303 answer,
//     which the server writes only after the transaction holding the
//     response and its complaint has committed.
//
// Afterwards it checks in PostgreSQL that every reply is stored and scored
// and that every negative one has exactly one complaint.
//
//	go run ./cmd/bench-replies -replies 30000 -rate 500 -rate-seconds 20
//
// Tables: it seeds its throwaway schema with SQL of its own (bulk rows no
// store writes at this speed) and then measures the product through its
// stores and roles. It must never run against a schema it did not create.
package main
