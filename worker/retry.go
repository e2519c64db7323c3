package worker

import (
	"math/rand/v2"
	"time"
)

// DefaultGiveUp is how long an email keeps being retried after its first
// temporary failure before it is marked failed: three days, about what
// mail servers queue a message for.
const DefaultGiveUp = 72 * time.Hour

// maxBackoff caps the wait between two tries.
const maxBackoff = time.Hour

// Backoff is the wait before try n+1 after n temporary failures: 30 s
// doubling up to an hour, with up to 20 % jitter so a recovering server is
// not hit by everyone at once.
func Backoff(attempt int) time.Duration {
	d := backoffBase(attempt)
	return d + time.Duration(rand.Int64N(int64(d/5)+1))
}

func backoffBase(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// NextTry decides what becomes of an email after its attempt-th temporary
// failure at now, the first one at first (nil: this one): tried again at
// next, or given up once giveUp has passed since the first failure. The
// last try is made when the period ends, so an email is never given up
// sooner than giveUp after its first failure, however many tries that
// took.
func NextTry(first *time.Time, now time.Time, attempt int, giveUp time.Duration) (next time.Time, gaveUp bool) {
	start := now
	if first != nil {
		start = *first
	}
	end := start.Add(giveUp)
	if !now.Before(end) {
		return time.Time{}, true
	}
	next = now.Add(Backoff(attempt)).Truncate(time.Second)
	if next.After(end) {
		next = end
	}
	return next, false
}
