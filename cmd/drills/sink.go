package main

import (
	"fmt"
	"github.com/followup/followup/internal/haenv"
	"io"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// sink is the drills' SMTP server: it accepts every message, counts each
// Message-ID at the moment it answers 250 (so a message cut off in DATA is
// not counted, as a real server would not have taken it), and can be
// stopped and started again on the same port. It knows which connections
// were carrying mail at any moment: the allowance for duplicates.
//
// It is ours rather than Postfix's smtp-sink: smtp-sink -d writes one file
// per transaction, to be parsed afterwards for the Message-ID, and cannot
// say how many connections were busy at the instant of a fault.
type sink struct {
	addr string

	mu       sync.Mutex
	srv      *smtp.Server
	ids      map[string]int // Message-ID → times received
	total    int
	noID     int
	conns    map[*sinkConn]bool
	accepted int // connections ever accepted
}

// sinkConn is one open SMTP connection and when it last took a message.
type sinkConn struct {
	net.Conn
	s        *sink
	lastMail time.Time
	once     sync.Once
}

func (c *sinkConn) Close() error {
	c.once.Do(func() {
		c.s.mu.Lock()
		delete(c.s.conns, c)
		c.s.mu.Unlock()
	})
	return c.Conn.Close()
}

type sinkListener struct {
	net.Listener
	s *sink
}

func (l sinkListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	sc := &sinkConn{Conn: c, s: l.s}
	l.s.mu.Lock()
	l.s.conns[sc] = true
	l.s.accepted++
	l.s.mu.Unlock()
	return sc, nil
}

func newSink(port int) (*sink, error) {
	s := &sink{addr: fmt.Sprintf("127.0.0.1:%d", port), ids: map[string]int{}, conns: map[*sinkConn]bool{}}
	return s, s.start()
}

// start listens (again) on the sink's port.
func (s *sink) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return nil
	}
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may linger a moment after stop
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("sink listen %s: %w", s.addr, err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &sinkSession{s: s, conn: c.Conn()}, nil
	}))
	srv.Domain = "drills.localhost"
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 100
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	s.srv = srv
	go func() { _ = srv.Serve(sinkListener{Listener: ln, s: s}) }()
	return nil
}

// stop closes the listener and every open connection at once, as a server
// that crashes or is switched off: a message in DATA gets no 250.
func (s *sink) stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// busy counts the connections that took a message within the last
// window: the connections in flight, each of which may have a message
// accepted but not yet recorded by its sender.
func (s *sink) busy(window time.Duration) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for c := range s.conns {
		if time.Since(c.lastMail) < window {
			n++
		}
	}
	return n
}

// counts returns messages received, distinct Message-IDs and messages
// without one.
func (s *sink) counts() (total, unique, noID int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total, len(s.ids), s.noID
}

// received reports how many times each Message-ID arrived.
func (s *sink) received() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.ids))
	for k, v := range s.ids {
		out[k] = v
	}
	return out
}

func (s *sink) record(c net.Conn, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total++
	if id == "" {
		s.noID++
	} else {
		s.ids[id]++
	}
	if sc, ok := c.(*sinkConn); ok {
		sc.lastMail = time.Now()
	}
}

type sinkSession struct {
	s    *sink
	conn net.Conn
}

func (se *sinkSession) Reset()                               {}
func (se *sinkSession) Logout() error                        { return nil }
func (se *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (se *sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }

// Data reads the headers for the Message-ID and the rest of the message;
// the 250 goes out when it returns nil, and only then is it counted.
func (se *sinkSession) Data(r io.Reader) error {
	id, err := haenv.ReadMessageID(r)
	if err != nil {
		return err
	}
	se.s.record(se.conn, id)
	return nil
}
