package mail_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/mail"
)

// redisNamespace is a private key prefix on the real Redis and a client;
// the keys under it are deleted when the test ends.
func redisNamespace(t *testing.T) (prefix string, rdb *redis.Client) {
	t.Helper()
	q := testenv.NewQueues(t)
	t.Cleanup(func() {
		ctx := context.Background()
		iter := q.Redis.Scan(ctx, 0, "*"+q.Prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			q.Redis.Del(ctx, iter.Val())
		}
	})
	return q.Prefix, q.Redis
}

// newRedis opens another client on the test Redis: what another worker
// process would have.
func newRedis(t *testing.T) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func limitedSender(t *testing.T, port int, rate float64, rdb redis.UniversalClient, prefix string) *mail.Sender {
	t.Helper()
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, PoolSize: 2,
		RatePerSecond: rate, Redis: rdb, KeyPrefix: prefix,
		From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// sendAll sends n messages through s from two goroutines, in batches of 5,
// as a worker's concurrent send tasks do.
func sendAll(t *testing.T, ctx context.Context, s *mail.Sender, name string, n int) {
	t.Helper()
	var wg sync.WaitGroup
	for g := 0; g < 2; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for from := g; from < n; from += 2 * 5 {
				var msgs []mail.Message
				for i := from; i < min(from+5, n); i++ {
					msgs = append(msgs, msg(fmt.Sprintf("%s-%d@x.test", name, i), "hi"))
				}
				for _, err := range s.Send(ctx, msgs) {
					if err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestRateLimitIsSharedByProcesses runs two senders, each with its own
// pool and Redis client as two worker processes have, under one rate:
// together they cannot go faster than the rate plus the documented burst
// of 2 × max(1, ⌊rate/20⌋), and every message arrives.
func TestRateLimitIsSharedByProcesses(t *testing.T) {
	cases := []struct {
		rate float64
		n    int
	}{
		{rate: 20, n: 60},    // grants of one message
		{rate: 400, n: 1200}, // grants of 20 messages
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%g per second", tc.rate), func(t *testing.T) {
			t.Parallel()
			srv := startCapture(t)
			prefix, rdb := redisNamespace(t)
			a := limitedSender(t, srv.Port(), tc.rate, rdb, prefix)
			b := limitedSender(t, srv.Port(), tc.rate, newRedis(t), prefix)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			start := time.Now()
			var wg sync.WaitGroup
			for i, s := range []*mail.Sender{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sendAll(t, ctx, s, fmt.Sprintf("p%d", i), tc.n/2)
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			burst := 2 * max(1, int(tc.rate/20))
			least := time.Duration(float64(tc.n-burst) / tc.rate * float64(time.Second))
			if elapsed < least {
				t.Errorf("two processes sent %d messages in %s at a shared rate of %g/s: the rate and a burst of %d allow no less than %s",
					tc.n, elapsed, tc.rate, burst, least)
			}
			if got := srv.Count(); got != tc.n {
				t.Errorf("%d messages arrived, want %d", got, tc.n)
			}
		})
	}
}

// commandCounter counts the commands a Redis client sends, and among them
// the script calls (the rate limit's).
type commandCounter struct{ all, scripts atomic.Int64 }

func (c *commandCounter) count(cmd redis.Cmder) {
	c.all.Add(1)
	if n := cmd.Name(); n == "eval" || n == "evalsha" {
		c.scripts.Add(1)
	}
}

func (c *commandCounter) DialHook(next redis.DialHook) redis.DialHook { return next }
func (c *commandCounter) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { c.count(cmd); return next(ctx, cmd) }
}
func (c *commandCounter) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		for _, cmd := range cmds {
			c.count(cmd)
		}
		return next(ctx, cmds)
	}
}

// TestRedisIsAskedOnlyUnderALimit: without a limit, sending asks nothing of
// Redis and creates no key; with one, Redis is asked per grant, not per
// message.
func TestRedisIsAskedOnlyUnderALimit(t *testing.T) {
	for _, rate := range []float64{0, 1000} {
		t.Run(fmt.Sprintf("rate %g", rate), func(t *testing.T) {
			srv := startCapture(t)
			prefix, admin := redisNamespace(t)
			rdb := newRedis(t)
			counter := &commandCounter{}
			rdb.AddHook(counter)
			s := limitedSender(t, srv.Port(), rate, rdb, prefix)
			var msgs []mail.Message
			for i := 0; i < 40; i++ {
				msgs = append(msgs, msg(fmt.Sprintf("n%d@x.test", i), "hi"))
			}
			for _, err := range s.Send(context.Background(), msgs) {
				if err != nil {
					t.Fatal(err)
				}
			}
			keys, err := admin.Keys(context.Background(), "*"+prefix+"*").Result()
			if err != nil {
				t.Fatal(err)
			}
			if rate == 0 {
				if calls := counter.all.Load(); calls != 0 || len(keys) != 0 {
					t.Errorf("no limit: %d Redis commands and keys %v, want none", calls, keys)
				}
				return
			}
			// 40 messages fit in one grant of 50 (1000/20): one script call,
			// and a second if Redis had to load the script.
			if calls := counter.scripts.Load(); calls == 0 || calls > 2 || len(keys) != 1 || !strings.HasSuffix(keys[0], prefix+mail.RateKey) {
				t.Errorf("40 messages at 1000/s: %d script calls and keys %v, want 1 or 2 and the key ending %s", calls, keys, prefix+mail.RateKey)
			}
		})
	}
}

// TestCancellationStopsTheWait: a send waiting for the rate limit gives up
// when its context ends, and the waiting messages fail temporarily.
func TestCancellationStopsTheWait(t *testing.T) {
	srv := startCapture(t)
	prefix, rdb := redisNamespace(t)
	s := limitedSender(t, srv.Port(), 0.1, rdb, prefix) // one message per 10 s
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	errs := s.Send(ctx, []mail.Message{msg("a@x.test", "1"), msg("b@x.test", "2")})
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the send waited %s after its context ended", d)
	}
	var de *mail.DeliveryError
	if errs[0] != nil || !errors.As(errs[1], &de) || !de.Temporary || !errors.Is(errs[1], context.DeadlineExceeded) {
		t.Errorf("results %v, want the first sent and the second a temporary failure (deadline)", errs)
	}
	if n := srv.Count(); n != 1 {
		t.Errorf("%d messages arrived, want 1", n)
	}
}

// TestUnreachableRedisSendsNothing: when the shared limit cannot be asked,
// the messages fail temporarily (to be retried) instead of going out
// unlimited.
func TestUnreachableRedisSendsNothing(t *testing.T) {
	srv := startCapture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := ln.Addr().String()
	ln.Close() // nothing listens there now
	rdb := redis.NewClient(&redis.Options{Addr: deadAddr, MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { rdb.Close() })
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSNone, PoolSize: 1,
		RatePerSecond: 100, Redis: rdb, KeyPrefix: "unreachable-",
		From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, err := range s.Send(context.Background(), []mail.Message{msg("a@x.test", "1"), msg("b@x.test", "2")}) {
		var de *mail.DeliveryError
		if !errors.As(err, &de) || !de.Temporary || !errors.Is(err, mail.ErrRateLimitUnavailable) {
			t.Errorf("%v, want a temporary failure: the rate limit is unavailable", err)
		}
	}
	if n := srv.Count(); n != 0 {
		t.Errorf("%d messages went out without the rate limit's permission", n)
	}
}

func TestALimitNeedsRedis(t *testing.T) {
	_, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: 25, RatePerSecond: 10,
		From: &netmail.Address{Address: "surveys@acme.test"}})
	if err == nil || !strings.Contains(err.Error(), "Redis") {
		t.Errorf("a rate limit without Redis: %v, want an error naming Redis", err)
	}
}
