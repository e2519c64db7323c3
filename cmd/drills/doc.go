// Command drills runs fault drills against real followup processes, each
// drill in a world of its own: a PostgreSQL (initdb in a temporary
// directory, as the postgres OS user when run as root), a Redis without
// persistence and an SMTP sink, all on free ports, never the machine's
// shared servers. A paused campaign of -n invitations is seeded, the
// `followup worker` and `followup scheduler` processes are started, the
// campaign is resumed, and the fault comes mid-campaign:
//
//	kill-worker     kill -9 of the worker ×5, restarted each time
//	postgres-stop   PostgreSQL stopped (as pg_ctl stop -m fast) for -pg-down, then started
//	redis-kill      Redis killed (SIGKILL, nothing saved) and restarted empty after -redis-down
//	smtp-down       the SMTP sink stopped for -smtp-down, then back on the same port
//	archived-task   a queued survey:send task archived by hand with asynq's Inspector
//	bad-input       NULs, invalid UTF-8, odd addresses and huge events sent to every
//	                public and API route (listed by the product's router) while the campaign runs
//
// For each it prints the invitations expected, the messages and unique
// Message-IDs the sink answered 250 to, the lost (expected − unique,
// cross-checked with the invitations' states in PostgreSQL) and the
// duplicates (messages − unique) against the allowance (one per SMTP
// connection that was carrying mail at the fault), the time from the end
// of the fault to the campaign settled, the 5xx answers, and a verdict
// against the targets of issue 13. The summary table is what
// RELIABILITY.md records.
//
//	go run ./cmd/drills                  # the full set: 20,000 invitations, SMTP down 10 minutes
//	go run ./cmd/drills -short           # CI's: 2,000 invitations, short outages
//	go run ./cmd/drills -short -only kill-worker,smtp-down
//
// The sink is ours (go-smtp), not Postfix's smtp-sink: it counts each
// Message-ID when it answers 250, knows which connections are busy at the
// instant of a fault, and stops and starts within the run.
//
// Every process a drill starts leads its own process group; the groups are
// killed when the drill ends, fails or is interrupted (Ctrl-C), so nothing
// is left running. A failed drill keeps its directory (each process's log).
//
// Tables: it seeds its own throwaway database with internal/benchenv and
// reads the invitations' states; the product's processes do the rest.
package main
