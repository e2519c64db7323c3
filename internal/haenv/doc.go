// Package haenv runs followup on a Redis that can fail over, as the
// Sentinel failover test and cmd/bench-ha need it: a real redis-server
// primary and replica and three Sentinels (Debian's redis-server run with
// --sentinel) on free loopback ports, each in its own directory; an SMTP
// sink that counts every Message-ID it answers 250 to; and a fleet of real
// `followup worker`, `followup scheduler` and `followup serve` processes
// pointed at them with a redis-sentinel:// URL. Everything it starts is a
// process group of its own, killed when the test or tool closes it.
//
// It never touches the machine's own Redis or ports: every server is
// started here, on ports free when asked.
//
// Tables: none (a campaign is seeded by internal/benchenv in a schema the
// caller owns).
package haenv
