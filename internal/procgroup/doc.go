// Package procgroup runs the child processes of tests, drills and
// benchmarks (followup's roles, PostgreSQL, Redis), each the leader of its
// own process group and killed with its parent, so that stopping one stops
// whatever it started and a failed run leaves nothing behind. It writes no
// table and is never linked into the binary.
package procgroup
