// Command bench-ha measures a campaign blast on a Redis that can fail
// over: a redis-server primary, a replica and three Sentinels of its own
// on free loopback ports (internal/haenv), one `followup scheduler` and
// one, two, then three `followup worker` processes connected with a
// redis-sentinel:// URL, sending to an SMTP sink that counts Message-IDs.
// For each number of workers it seeds a fresh campaign of -n invitations
// in a throwaway schema, resumes it and times it until every invitation is
// sent (PostgreSQL) and received once (the sink), then prints the emails
// per second.
//
//	go run ./cmd/bench-ha -n 20000
//	go run ./cmd/bench-ha -n 20000 -workers 1,3 -concurrency 10
//
// On one machine the workers share its cores with PostgreSQL, Redis and
// the sink: the figures show what more processes cost, not what more
// machines gain.
//
// Tables: it seeds its throwaway schemas with benchenv.SeedBlast (bulk
// rows no store writes at this speed) and then measures the product
// through its processes. It must never run against a schema it did not
// create.
package main
