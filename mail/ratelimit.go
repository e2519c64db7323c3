package mail

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// RateKey is the name of the shared rate limit in Redis, after the
// deployment's prefix (redis_rate stores it under "rate:" + prefix + RateKey).
const RateKey = "followup:smtp"

// ErrRateLimitUnavailable is returned when Redis, which holds the shared
// rate limit, cannot be asked: nothing is sent without its permission.
var ErrRateLimitUnavailable = errors.New("the shared rate limit (Redis) is unreachable; not sending")

// sharedLimiter applies one rate limit to every process that sends with the
// same Redis key. A Redis call per message would cost more than the message,
// so it reserves grants of a few messages at once (GCRA, redis_rate's
// AllowN) and hands them out locally.
//
// The bound: with grants of k messages (k = max(1, ⌊rate/20⌋): 50 ms of
// the rate, or one message), Redis gives out at most rate×T + k messages in
// any T seconds (GCRA with burst k). A grant is used within k/rate seconds
// of being asked for, or dropped, so the messages sent in any T seconds, by
// all processes together, are at most rate×T + 2k: a burst of a tenth of a
// second of the rate (2 messages under 20/s), whatever the number of
// processes.
type sharedLimiter struct {
	lim   *redis_rate.Limiter
	key   string
	limit redis_rate.Limit
	grant int
	// ttl is how long a grant may be used: the time it stands for.
	ttl time.Duration
	// patience is how long one caller retries an unreachable Redis.
	patience time.Duration

	// refill is held by the one caller asking Redis, so a process asks for
	// one grant at a time.
	refill chan struct{}

	mu        sync.Mutex
	tokens    int
	expires   time.Time
	downUntil time.Time
	lastErr   error
}

func newSharedLimiter(rdb redis.UniversalClient, key string, perSecond float64, patience time.Duration) *sharedLimiter {
	grant := max(1, int(perSecond/20))
	// redis_rate counts whole events per period: n per n/rate seconds
	// keeps fractional rates (0.5/s is 1 per 2 s).
	n := int(math.Ceil(perSecond))
	return &sharedLimiter{
		lim:      redis_rate.NewLimiter(rdb),
		key:      key,
		limit:    redis_rate.Limit{Rate: n, Period: time.Duration(float64(n) / perSecond * float64(time.Second)), Burst: grant},
		grant:    grant,
		ttl:      time.Duration(float64(grant) / perSecond * float64(time.Second)),
		patience: patience,
		refill:   make(chan struct{}, 1),
	}
}

// take waits until one message may be sent.
func (l *sharedLimiter) take(ctx context.Context) error {
	if l.takeLocal() {
		return nil
	}
	select {
	case l.refill <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-l.refill }()
	if l.takeLocal() { // refilled while this caller waited for its turn
		return nil
	}
	return l.reserve(ctx)
}

func (l *sharedLimiter) takeLocal() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tokens > 0 && time.Now().Before(l.expires) {
		l.tokens--
		return true
	}
	return false
}

// reserve asks Redis for a grant, sleeping until one is due, keeps one
// message of it for the caller and the rest for the others. An unreachable
// Redis is retried with backoff for the patience, then the limiter fails
// fast for a second, as the pool does for a mail server that is down.
func (l *sharedLimiter) reserve(ctx context.Context) error {
	l.mu.Lock()
	if time.Now().Before(l.downUntil) {
		err := fmt.Errorf("%w: %v", ErrRateLimitUnavailable, l.lastErr)
		l.mu.Unlock()
		return err
	}
	l.mu.Unlock()
	giveUp := time.Now().Add(l.patience)
	backoff := 50 * time.Millisecond
	for {
		asked := time.Now() // the grant is made after this: expiring from here is safe
		res, err := l.lim.AllowN(ctx, l.key, l.limit, l.grant)
		var wait time.Duration
		switch {
		case err != nil && ctx.Err() != nil:
			return ctx.Err()
		case err != nil:
			if time.Now().Add(backoff).After(giveUp) {
				l.mu.Lock()
				l.downUntil, l.lastErr = time.Now().Add(time.Second), err
				l.mu.Unlock()
				return fmt.Errorf("%w: %w", ErrRateLimitUnavailable, err)
			}
			wait = backoff
			backoff = min(2*backoff, time.Second)
		case res.Allowed > 0:
			l.mu.Lock()
			l.tokens, l.expires = res.Allowed-1, asked.Add(l.ttl)
			l.mu.Unlock()
			return nil
		default:
			backoff = 50 * time.Millisecond
			giveUp = time.Now().Add(l.patience)
			wait = max(res.RetryAfter, time.Millisecond)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}
