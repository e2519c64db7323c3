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
// unreachable, restarting, or 421 "service not available") is retried at
// least every minute, so a campaign resumes within a minute or two of its
// return; those tries are cheap, the connection pool dialling at most once
// per cool-down while the server stays down.
const (
	maxBackoff            = time.Hour
	maxBackoffUnreachable = time.Minute
)

// Backoff is the wait before try n+1 after n temporary failures: 30 s
// doubling up to an hour, with up to 20 % jitter so a recovering server is
// not hit by everyone at once.
func Backoff(attempt int) time.Duration { return backoff(attempt, maxBackoff) }

func backoff(attempt int, limit time.Duration) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	return d + time.Duration(rand.Int64N(int64(d/5)+1))
}

// NextTry decides what becomes of an email after its attempt-th temporary
// failure at now, the first one at first (nil: this one): tried again at
// next, or given up once giveUp has passed since the first failure. The
// wait grows from 30 s to an hour, or to a minute when the server did not
// answer (unreachable). The last try is made when the period ends, so an
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
	limit := maxBackoff
	if unreachable {
		limit = maxBackoffUnreachable
	}
	next = now.Add(backoff(attempt, limit)).Truncate(time.Second)
	if next.After(end) {
		next = end
	}
	return next, false
}
