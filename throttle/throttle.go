package throttle

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// KeyPrefix begins every key of the throttles in Redis, after the
// deployment's prefix (redis_rate stores it under "rate:" + prefix +
// KeyPrefix + name + ":" + the key's hash).
const KeyPrefix = "followup:throttle:"

// Limit is how many failures in a row a key may make (Attempts), and the
// time over which they are all forgiven (Per): once they are spent, the
// key waits Per/Attempts before each further attempt. Attempts 0 is off.
type Limit struct {
	Attempts int
	Per      time.Duration
}

// String is the limit as configured: "5/15m0s" or "off".
func (l Limit) String() string {
	if l.Attempts <= 0 {
		return "off"
	}
	return fmt.Sprintf("%d/%s", l.Attempts, l.Per)
}

// Limiter counts the failures of keys against one limit.
type Limiter struct {
	lim   *redis_rate.Limiter
	name  string
	limit redis_rate.Limit
}

// New returns the limiter called name (account, address…) of a
// deployment (prefix, its FOLLOWUP_QUEUE_PREFIX); nil when l is off.
func New(rdb redis.UniversalClient, prefix, name string, l Limit) *Limiter {
	if l.Attempts <= 0 || l.Per <= 0 {
		return nil
	}
	return &Limiter{
		lim:   redis_rate.NewLimiter(rdb),
		name:  prefix + KeyPrefix + name + ":",
		limit: redis_rate.Limit{Rate: l.Attempts, Period: l.Per, Burst: l.Attempts},
	}
}

// key keeps what identifies people (emails, addresses) out of Redis.
func (l *Limiter) key(k string) string {
	sum := sha256.Sum256([]byte(k))
	return l.name + hex.EncodeToString(sum[:16])
}

// interval is the time one failure takes to be forgiven.
func (l *Limiter) interval() time.Duration {
	return l.limit.Period / time.Duration(l.limit.Rate)
}

// wait is how long until one attempt is allowed, from a result: the time
// until the whole limit is back, less what the other attempts stand for.
func (l *Limiter) wait(res *redis_rate.Result) time.Duration {
	if res.Remaining >= 1 {
		return 0
	}
	return max(res.ResetAfter-time.Duration(l.limit.Burst-1)*l.interval(), time.Second)
}

// Wait says how long key must wait before its next attempt: 0 when it
// may try now (and always for a nil limiter). It records nothing.
func (l *Limiter) Wait(ctx context.Context, key string) (time.Duration, error) {
	if l == nil {
		return 0, nil
	}
	res, err := l.lim.AllowN(ctx, l.key(key), l.limit, 0)
	if err != nil {
		return 0, fmt.Errorf("throttle %s: %w", l.name, err)
	}
	return l.wait(res), nil
}

// Fail records a failure of key and says how long it must now wait
// before its next attempt: 0 while it has attempts left.
func (l *Limiter) Fail(ctx context.Context, key string) (time.Duration, error) {
	if l == nil {
		return 0, nil
	}
	res, err := l.lim.AllowN(ctx, l.key(key), l.limit, 1)
	if err != nil {
		return 0, fmt.Errorf("throttle %s: %w", l.name, err)
	}
	if res.Allowed == 0 { // already out of attempts (a concurrent failure)
		return max(res.RetryAfter, time.Second), nil
	}
	return l.wait(res), nil
}

// Reset forgets the failures of key (a person who signed in).
func (l *Limiter) Reset(ctx context.Context, key string) error {
	if l == nil {
		return nil
	}
	if err := l.lim.Reset(ctx, l.key(key)); err != nil {
		return fmt.Errorf("throttle %s: %w", l.name, err)
	}
	return nil
}
