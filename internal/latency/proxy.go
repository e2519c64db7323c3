// Package latency is a TCP proxy that puts a round-trip time between a
// client and a server, as a relay in another building or region would, and
// counts the round trips the client makes: the times it speaks after the
// server has. Benchmarks put it between followup (or a reference client)
// and an SMTP sink; tests use its count to prove a client pipelines.
package latency

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Proxy forwards every connection it accepts to a target address.
type Proxy struct {
	ln     net.Listener
	target string
	oneWay time.Duration

	turns atomic.Int64
	conns atomic.Int64
	wg    sync.WaitGroup
	mu    sync.Mutex
	open  map[net.Conn]struct{}
}

// Start listens on listen (host:port; port 0 picks one) and forwards to
// target, each byte delayed by rtt/2 in each direction.
func Start(listen, target string, rtt time.Duration) (*Proxy, error) {
	if rtt < 0 {
		return nil, errors.New("latency: a round-trip time cannot be negative")
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("latency proxy listen %s: %w", listen, err)
	}
	p := &Proxy{ln: ln, target: target, oneWay: rtt / 2, open: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Port is the proxy's port.
func (p *Proxy) Port() int { return p.ln.Addr().(*net.TCPAddr).Port }

// Turns is how many times, over all connections, a client spoke after the
// server had spoken (its first words included): the round trips it paid.
func (p *Proxy) Turns() int64 { return p.turns.Load() }

// Connections is how many client connections were accepted.
func (p *Proxy) Connections() int64 { return p.conns.Load() }

// Close stops listening and closes every connection.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	for c := range p.open {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *Proxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.open[c] = struct{}{}
	} else {
		delete(p.open, c)
	}
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.conns.Add(1)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(client)
		}()
	}
}

// side says who spoke last on a connection.
type side struct {
	mu         sync.Mutex
	serverLast bool
}

func (p *Proxy) handle(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		_ = client.Close()
		return
	}
	p.track(client, true)
	p.track(server, true)
	defer func() {
		_ = client.Close()
		_ = server.Close()
		p.track(client, false)
		p.track(server, false)
	}()
	last := &side{serverLast: true}
	done := make(chan struct{}, 2)
	go func() { p.pipe(server, client, last, false); done <- struct{}{} }()
	go func() { p.pipe(client, server, last, true); done <- struct{}{} }()
	<-done
}

// chunk is bytes read at a time, due for writing at due.
type chunk struct {
	b   []byte
	due time.Time
}

// pipe copies src to dst, each chunk held for the one-way delay; fromServer
// says which way it runs, for counting turns.
func (p *Proxy) pipe(dst, src net.Conn, last *side, fromServer bool) {
	q := make(chan chunk, 4096)
	go func() {
		defer close(q)
		for {
			buf := make([]byte, 32<<10)
			n, err := src.Read(buf)
			if n > 0 {
				last.mu.Lock()
				if !fromServer && last.serverLast {
					p.turns.Add(1)
				}
				last.serverLast = fromServer
				last.mu.Unlock()
				q <- chunk{b: buf[:n], due: time.Now().Add(p.oneWay)}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range q {
		if d := time.Until(c.due); d > 0 {
			time.Sleep(d)
		}
		if _, err := dst.Write(c.b); err != nil {
			break
		}
	}
	// Drain so the reader is never blocked on a full queue.
	for range q {
	}
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	} else {
		_ = dst.Close()
	}
}
