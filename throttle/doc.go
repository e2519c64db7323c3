// Package throttle counts failed attempts (wrong passwords, unknown API
// tokens) per key in Redis, shared by every process of a deployment, and
// says how long a key must wait before its next attempt. It is the
// project's Redis-backed rate limiter (redis_rate's GCRA, as the shared
// SMTP rate of package mail) applied to failures: a key may fail Attempts
// times in a row, then must wait Per/Attempts between attempts, and is
// forgiven one failure every Per/Attempts. It knows nothing of HTTP.
package throttle
