package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// pool keeps a few SMTP connections open, each sending many messages, under
// the rate limit it shares with every other process (see sharedLimiter).
// When the server cannot be reached it stops dialling for a while (a circuit
// breaker), so a down server costs one failed dial per cool-down, not one
// per message.
type pool struct {
	cfg     Config
	idle    chan *conn
	slots   chan struct{}  // one per connection that may exist
	limiter *sharedLimiter // nil: no limit

	mu        sync.Mutex
	downUntil time.Time
	downFor   time.Duration
	lastErr   error
	// staleBefore: an idle connection opened before it is not used again
	// (one opened as early was found broken).
	staleBefore time.Time
}

type conn struct {
	c        *gomail.Client
	sc       *smtp.Client
	eightBit bool // the server takes 8-bit bodies (8BITMIME)
	smtpUTF8 bool // the server takes UTF-8 addresses (SMTPUTF8)
	// pipelining: the server advertises PIPELINING (RFC 2920) and the
	// configuration does not turn it off.
	pipelining bool
	// raw is the TCP connection under the session (and under TLS), which
	// holds what is written until the next read or flush.
	raw      *coalescingConn
	lastUsed time.Time
	// opened is when the connection was dialled.
	opened time.Time
	// uses counts the messages tried on this connection.
	uses int
}

func newPool(cfg Config) *pool {
	p := &pool{cfg: cfg, idle: make(chan *conn, cfg.PoolSize), slots: make(chan struct{}, cfg.PoolSize)}
	for i := 0; i < cfg.PoolSize; i++ {
		p.slots <- struct{}{}
	}
	if cfg.RatePerSecond > 0 {
		p.limiter = newSharedLimiter(cfg.Redis, cfg.KeyPrefix+RateKey, cfg.RatePerSecond, cfg.Timeout)
	}
	return p
}

// maxCoolDown bounds the breaker's pause between two dials to a server
// that was down: one failed dial per 15 s costs nothing, and a server back
// is used again within 15 s.
const maxCoolDown = 15 * time.Second

// errServerDown is returned without dialling while the breaker is open.
var errServerDown = errors.New("the mail server was unreachable moments ago; not retrying yet")

// acquire returns an open connection: an idle one, or a new one when fewer
// than PoolSize exist. It waits when all are busy.
func (p *pool) acquire(ctx context.Context) (*conn, error) {
	for {
		select {
		case c := <-p.idle:
			p.mu.Lock()
			stale := !c.opened.After(p.staleBefore)
			p.mu.Unlock()
			if stale || time.Since(c.lastUsed) > p.cfg.IdleTimeout {
				p.discard(c)
				continue
			}
			return c, nil
		case <-p.slots:
			c, err := p.dial(ctx)
			if err != nil {
				p.slots <- struct{}{}
				return nil, err
			}
			return c, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func (p *pool) dial(ctx context.Context) (*conn, error) {
	p.mu.Lock()
	if time.Now().Before(p.downUntil) {
		err := fmt.Errorf("%w: %v", errServerDown, p.lastErr)
		p.mu.Unlock()
		return nil, err
	}
	p.mu.Unlock()
	// go-mail leaves the connection open when its setup fails after the
	// dial (STARTTLS, AUTH): keep it to close it.
	var raw *coalescingConn
	c, err := p.cfg.client(func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := dialCoalescing(ctx, network, addr)
		if err != nil {
			return nil, err // not a nil *coalescingConn in an interface
		}
		raw = conn
		return conn, nil
	})
	var sc *smtp.Client
	if err == nil {
		dctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
		sc, err = c.DialToSMTPClientWithContext(dctx)
		cancel()
	}
	if err != nil && raw != nil {
		_ = raw.Close()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil {
		p.downFor = min(max(2*p.downFor, time.Second), maxCoolDown)
		p.downUntil = time.Now().Add(p.downFor)
		p.lastErr = err
		return nil, err
	}
	p.downFor = 0
	eight, _ := sc.Extension("8BITMIME")
	utf8, _ := sc.Extension("SMTPUTF8")
	pipe, _ := sc.Extension("PIPELINING")
	now := time.Now()
	return &conn{c: c, sc: sc, raw: raw, eightBit: eight, smtpUTF8: utf8, pipelining: pipe && !p.cfg.NoPipelining,
		lastUsed: now, opened: now}, nil
}

// flush sends what the connection holds.
func (c *conn) flush() error {
	if c.raw == nil {
		return nil
	}
	return c.raw.flush()
}

// release returns a healthy connection to the pool.
func (p *pool) release(c *conn) {
	c.lastUsed = time.Now()
	p.idle <- c
}

// discard closes a connection that failed or aged, freeing its slot.
func (p *pool) discard(c *conn) {
	_ = c.c.CloseWithSMTPClient(c.sc)
	p.slots <- struct{}{}
}

// broken discards a connection that stopped answering, and with it every
// idle connection opened as early: after a server restart they are all
// dead, and each would cost a message a failed try.
func (p *pool) broken(c *conn) {
	p.mu.Lock()
	p.staleBefore = time.Now()
	p.mu.Unlock()
	p.discard(c)
}

// wait applies the rate limit to one message. Without a limit it asks
// nothing of Redis.
func (p *pool) wait(ctx context.Context) error {
	if p.limiter == nil {
		return nil
	}
	return p.limiter.take(ctx)
}

// close closes the idle connections.
func (p *pool) close() {
	for {
		select {
		case c := <-p.idle:
			p.discard(c)
		default:
			return
		}
	}
}
