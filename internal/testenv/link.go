package testenv

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"
)

// Link is a TCP relay between a test's code and the real PostgreSQL that
// the test can cut, to see what its code does when the database goes away
// mid-work (connections reset, new ones refused), and restore.
type Link struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	cut   bool
	conns map[net.Conn]struct{}
}

// Through returns a pool on the schema that goes through a Link, and the
// Link. Both close when the test ends.
func (s *Schema) Through(t testing.TB) (*sqlx.DB, *Link) {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &Link{ln: ln, target: u.Host, conns: map[net.Conn]struct{}{}}
	go l.serve()
	u.Host = ln.Addr().String()
	db, err := sqlx.Open("postgres", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		ln.Close()
		l.Cut()
	})
	return db, l
}

// Cut resets every connection through the link and refuses new ones until
// Restore.
func (l *Link) Cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut = true
	for c := range l.conns {
		_ = c.Close()
	}
	clear(l.conns)
}

// Restore lets connections through again.
func (l *Link) Restore() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cut = false
}

func (l *Link) serve() {
	for {
		c, err := l.ln.Accept()
		if err != nil {
			return
		}
		go l.relay(c)
	}
}

func (l *Link) relay(c net.Conn) {
	l.mu.Lock()
	if l.cut {
		l.mu.Unlock()
		_ = c.Close()
		return
	}
	up, err := net.Dial("tcp", l.target)
	if err != nil {
		l.mu.Unlock()
		_ = c.Close()
		return
	}
	l.conns[c], l.conns[up] = struct{}{}, struct{}{}
	l.mu.Unlock()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		done <- struct{}{}
	}
	go pipe(up, c)
	go pipe(c, up)
	<-done
	_ = c.Close()
	_ = up.Close()
	l.mu.Lock()
	delete(l.conns, c)
	delete(l.conns, up)
	l.mu.Unlock()
}
