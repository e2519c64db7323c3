package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
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
	cfg  Config
	idle chan *conn
	// slots holds a token per connection that may be opened now; the
	// sizer keeps back those beyond its limit.
	slots   chan struct{}
	sizer   *sizer
	open    atomic.Int32   // connections open
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
	p := &pool{cfg: cfg, idle: make(chan *conn, cfg.PoolSize), slots: make(chan struct{}, cfg.PoolSize),
		sizer: newSizer(cfg.PoolFloor, cfg.PoolSize)}
	for i := 0; i < p.sizer.size(); i++ {
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
// than the sizer's limit are open. When all are busy it asks the sizer for
// one more, and waits.
func (p *pool) acquire(ctx context.Context) (*conn, error) {
	for {
		select {
		case c := <-p.idle:
			if c, ok := p.fresh(c); ok {
				return c, nil
			}
			continue
		case <-p.slots:
			if p.sizer.settleOne() {
				continue // a slot the pool no longer has
			}
			return p.openOne(ctx)
		default:
		}
		if more := p.sizer.grow(time.Now()); more > 0 {
			for range more {
				p.slots <- struct{}{} // room for them: the channel holds the ceiling
			}
			continue
		}
		timer := time.NewTimer(growEvery)
		select {
		case c := <-p.idle:
			timer.Stop()
			if c, ok := p.fresh(c); ok {
				return c, nil
			}
		case <-p.slots:
			timer.Stop()
			if p.sizer.settleOne() {
				continue
			}
			return p.openOne(ctx)
		case <-timer.C: // ask the sizer again
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		}
	}
}

// fresh checks an idle connection before reuse; a stale or old one is
// discarded.
func (p *pool) fresh(c *conn) (*conn, bool) {
	p.mu.Lock()
	stale := !c.opened.After(p.staleBefore)
	p.mu.Unlock()
	if stale || time.Since(c.lastUsed) > p.cfg.IdleTimeout {
		p.discard(c)
		return nil, false
	}
	return c, true
}

// openOne dials with a slot taken; a failure gives the slot back (or, when
// the relay has too many of our connections, takes the limit down to what
// is open).
func (p *pool) openOne(ctx context.Context) (*conn, error) {
	c, err := p.dial(ctx)
	if err != nil {
		if tooManyConnections(err) {
			p.sizer.shrink(p.sizer.size()-int(p.open.Load()), time.Now().Add(pushBack))
		}
		p.freeSlot()
		return nil, err
	}
	p.open.Add(1)
	return c, nil
}

// freeSlot puts a slot back in play, unless the sizer is owed one.
func (p *pool) freeSlot() {
	if p.sizer.settleOne() {
		return
	}
	p.slots <- struct{}{}
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
	if err != nil && tooManyConnections(err) && p.open.Load() > 0 {
		return nil, err // the server is up, only full: no breaker
	}
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

// release returns a healthy connection to the pool, or closes it when the
// pool is to shrink.
func (p *pool) release(c *conn) {
	c.lastUsed = time.Now()
	if p.sizer.settleOne() {
		_ = c.c.CloseWithSMTPClient(c.sc)
		p.open.Add(-1)
		return
	}
	p.idle <- c
}

// discard closes a connection that failed or aged, freeing its slot.
func (p *pool) discard(c *conn) {
	_ = c.c.CloseWithSMTPClient(c.sc)
	p.open.Add(-1)
	p.freeSlot()
}

// broken discards a connection that stopped answering, and with it every
// idle connection opened as early: after a server restart they are all
// dead, and each would cost a message a failed try.
func (p *pool) broken(c *conn) {
	p.mu.Lock()
	p.staleBefore = time.Now()
	p.mu.Unlock()
	p.sizer.shrink(1, time.Time{})
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
