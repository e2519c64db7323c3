// Command bench-sweep measures the scheduler's sweep: how many due
// invitations per second it claims into send batches and enqueues on asynq,
// on the real PostgreSQL and Redis. It seeds a throwaway schema with N due
// invitations (customers in several time zones, an always-open window), runs
// the sweep until nothing is due, and prints the rate.
//
//	go run ./cmd/bench-sweep -n 100000 -batch 500
//
// Tables: it seeds its throwaway schema with SQL of its own (bulk rows no
// store writes at this speed) and then measures the product through its
// stores and roles. It must never run against a schema it did not create.
package main
