package worker

import (
	"math/rand/v2"
	"time"
)

// DefaultGiveUp is how long an email keeps being retried after its first
// temporary failure before it is marked failed: three days, about what
// mail servers queue a message for.
const DefaultGiveUp = 72 * time.Hour

// Caps of the wait between two tries. A server that answered 4xx about one
// message (a full mailbox, greylisting, throttling) is retried patiently,
// as mail servers do. A server that did not answer at all (down,
// unreachable, restarting, or 421 "service not available") is retried
// from 10 s, at least every 30 s, so a campaign resumes within half a
// minute of its return (the fault drills' target is to finish within two);
// those tries are cheap, the connection pool dialling at most once per
// cool-down (15 s at most) while the server stays down.
const (
	baseBackoff            = 30 * time.Second
	maxBackoff             = time.Hour
	baseBackoffUnreachable = 10 * time.Second
	maxBackoffUnreachable  = 30 * time.Second
)

// Backoff is the wait before try n+1 after n temporary failures: 30 s
// doubling up to an hour, with up to 20 % jitter so a recovering server is
// not hit by everyone at once.
func Backoff(attempt int) time.Duration { return backoff(attempt, baseBackoff, maxBackoff) }

func backoff(attempt int, base, limit time.Duration) time.Duration {
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	return d + time.Duration(rand.Int64N(int64(d/5)+1))
}

// NextTry decides what becomes of an email after its attempt-th temporary
// failure at now, the first one at first (nil: this one): tried again at
// next, or given up once giveUp has passed since the first failure. The
// wait grows from 30 s to an hour, or from 10 s to 30 s when the server
// did not answer (unreachable). The last try is made when the period ends, so an
// email is never given up sooner than giveUp after its first failure,
// however many tries that took.
func NextTry(first *time.Time, now time.Time, attempt int, giveUp time.Duration, unreachable bool) (next time.Time, gaveUp bool) {
	start := now
	if first != nil {
		start = *first
	}
	end := start.Add(giveUp)
	if !now.Before(end) {
		return time.Time{}, true
	}
	base, limit := baseBackoff, maxBackoff
	if unreachable {
		base, limit = baseBackoffUnreachable, maxBackoffUnreachable
	}
	next = now.Add(backoff(attempt, base, limit)).Truncate(time.Second)
	if next.After(end) {
		next = end
	}
	return next, false
}
