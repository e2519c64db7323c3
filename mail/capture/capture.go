package capture

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one received email.
type Message struct {
	// Seq numbers messages from 1 in arrival order.
	Seq        int
	From       string
	To         []string
	Raw        []byte
	ReceivedAt time.Time
	// Conn numbers the SMTP connection that carried the message.
	Conn int
	// TLS is true when the message came over TLS (after STARTTLS).
	TLS bool
	// User is the name the client authenticated as; empty without AUTH.
	User string
}

// AuthAttempt is one AUTH command the server received.
type AuthAttempt struct {
	// Conn numbers the SMTP connection, as Message.Conn does.
	Conn int
	// Mech is the mechanism the client asked for; only PLAIN is accepted.
	Mech string
	// User is the user name of a PLAIN exchange.
	User string
	// TLS is true when the credentials came over TLS.
	TLS bool
	// OK is true when the user name and password matched.
	OK bool
}

// Parsed decodes the message's headers and parts.
func (m *Message) Parsed() (*Parsed, error) { return Parse(m.Raw) }

// Hook decides the fate of one command; nil accepts. Return an
// *smtp.SMTPError to answer with its code (4xx temporary, 5xx permanent).
type Hook func(arg string) error

// Server is a running capture server.
type Server struct {
	srv  *smtp.Server
	ln   net.Listener
	addr string

	users map[string]string // nil: no AUTH

	noPipelining bool

	mu       sync.Mutex
	messages []*Message
	auths    []AuthAttempt
	max      int
	conns    int
	notify   chan struct{}
	rcptHook Hook
	dataHook Hook
}

// Options tune a Server.
type Options struct {
	// Addr to listen on; default 127.0.0.1:0 (a free port).
	Addr string
	// Keep is how many messages to keep (oldest dropped first); default 10000.
	Keep int
	// TLS, when set, makes the server offer STARTTLS with this certificate.
	// Default: no STARTTLS.
	TLS *tls.Config
	// Users, when set, makes the server offer AUTH PLAIN and require it
	// before MAIL; it maps user names to passwords. AUTH is offered over
	// clear connections too, as a careless server (or a man in the middle
	// that removed STARTTLS) would, so a test sees whether a client sends
	// credentials in clear (see Auths). Default: no AUTH.
	Users map[string]string
	// NoPipelining hides PIPELINING (RFC 2920) from the EHLO reply of clear
	// connections, as an older server would, so a test sees a client fall
	// back to one command at a time. The server still answers pipelined
	// commands in order.
	NoPipelining bool
}

// Start listens and serves until Close.
func Start(opts Options) (*Server, error) {
	if opts.Addr == "" {
		opts.Addr = "127.0.0.1:0"
	}
	if opts.Keep <= 0 {
		opts.Keep = 10000
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("capture smtp listen %s: %w", opts.Addr, err)
	}
	s := &Server{ln: ln, addr: ln.Addr().String(), max: opts.Keep, notify: make(chan struct{}), users: opts.Users,
		noPipelining: opts.NoPipelining}
	s.srv = smtp.NewServer(smtp.BackendFunc(s.newSession))
	s.srv.Domain = "capture.localhost"
	s.srv.TLSConfig = opts.TLS
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.MaxRecipients = 100
	s.srv.AllowInsecureAuth = true
	s.srv.ReadTimeout = time.Minute
	s.srv.WriteTimeout = time.Minute
	go func() { _ = s.srv.Serve(&countingListener{Listener: ln, s: s}) }()
	return s, nil
}

// countingListener numbers the connections it accepts, so that a session
// started again after STARTTLS keeps its connection's number.
type countingListener struct {
	net.Listener
	s *Server
}

type numberedConn struct {
	net.Conn
	n            int
	noPipelining bool
}

// pipeliningCap is the line go-smtp writes, first of the EHLO reply's
// capabilities.
var pipeliningCap = []byte("250-PIPELINING\r\n")

func (c *numberedConn) Write(p []byte) (int, error) {
	if c.noPipelining && bytes.Equal(p, pipeliningCap) {
		return len(p), nil
	}
	return c.Conn.Write(p)
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.s.mu.Lock()
	l.s.conns++
	n := l.s.conns
	l.s.mu.Unlock()
	return &numberedConn{Conn: c, n: n, noPipelining: l.s.noPipelining}, nil
}

func connNumber(c net.Conn) int {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if nc, ok := c.(*numberedConn); ok {
		return nc.n
	}
	return 0
}

// Addr is host:port of the server.
func (s *Server) Addr() string { return s.addr }

// Port is the port the server listens on.
func (s *Server) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// OnRcpt sets a hook called for each RCPT TO address (nil accepts all).
func (s *Server) OnRcpt(h Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rcptHook = h
}

// OnData sets a hook called before each message body, with the sender
// address; an error refuses the message.
func (s *Server) OnData(h Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dataHook = h
}

// Messages returns a copy of the kept messages, oldest first.
func (s *Server) Messages() []*Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Message(nil), s.messages...)
}

// Message returns the message with seq, or nil.
func (s *Server) Message(seq int) *Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.messages {
		if m.Seq == seq {
			return m
		}
	}
	return nil
}

// Count is how many messages arrived since start (kept or not).
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.messages) == 0 {
		return 0
	}
	return s.messages[len(s.messages)-1].Seq
}

// Connections is how many SMTP connections were opened.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

// Auths returns every AUTH command the server received, in order (with
// Users set; without, the server offers none and refuses any).
func (s *Server) Auths() []AuthAttempt {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]AuthAttempt(nil), s.auths...)
}

// WaitFor blocks until at least n messages arrived or ctx ends.
func (s *Server) WaitFor(ctx context.Context, n int) ([]*Message, error) {
	for {
		s.mu.Lock()
		count := 0
		if len(s.messages) > 0 {
			count = s.messages[len(s.messages)-1].Seq
		}
		ch := s.notify
		s.mu.Unlock()
		if count >= n {
			return s.Messages(), nil
		}
		select {
		case <-ctx.Done():
			return s.Messages(), fmt.Errorf("waited for %d messages, got %d: %w", n, count, ctx.Err())
		case <-ch:
		}
	}
}

// newSession starts a session at EHLO, and again at the EHLO that follows
// STARTTLS: a session never spans the switch to TLS, so neither does an
// authentication.
func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &session{srv: s, conn: connNumber(c.Conn()), c: c, tls: isTLS}, nil
}

func (s *Server) store(m *Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.Seq = 1
	if len(s.messages) > 0 {
		m.Seq = s.messages[len(s.messages)-1].Seq + 1
	}
	s.messages = append(s.messages, m)
	if len(s.messages) > s.max {
		s.messages = s.messages[len(s.messages)-s.max:]
	}
	close(s.notify)
	s.notify = make(chan struct{})
}

func (s *Server) hooks() (rcpt, data Hook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rcptHook, s.dataHook
}

type session struct {
	srv  *Server
	c    *smtp.Conn
	conn int
	tls  bool
	user string // authenticated as
	from string
	to   []string
}

func (se *session) Reset()        { se.from, se.to = "", nil }
func (se *session) Logout() error { return nil }

// errAuthRequired is RFC 4954's answer to MAIL before AUTH.
var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

// AuthMechanisms offers PLAIN when the server has users (go-smtp advertises
// AUTH only when this is not empty).
func (se *session) AuthMechanisms() []string {
	if se.srv.users == nil {
		return nil
	}
	return []string{sasl.Plain}
}

// Auth checks PLAIN credentials against Options.Users and records the
// attempt.
func (se *session) Auth(mech string) (sasl.Server, error) {
	if se.srv.users == nil {
		return nil, smtp.ErrAuthUnsupported
	}
	if mech != sasl.Plain {
		se.recordAuth(AuthAttempt{Mech: mech})
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		want, known := se.srv.users[user]
		ok := known && pass == want && (identity == "" || identity == user)
		se.recordAuth(AuthAttempt{Mech: sasl.Plain, User: user, OK: ok})
		if !ok {
			return smtp.ErrAuthFailed // 535 5.7.8
		}
		se.user = user
		return nil
	}), nil
}

func (se *session) recordAuth(a AuthAttempt) {
	a.Conn, a.TLS = se.conn, se.tls
	se.srv.mu.Lock()
	defer se.srv.mu.Unlock()
	se.srv.auths = append(se.srv.auths, a)
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.srv.users != nil && se.user == "" {
		return errAuthRequired
	}
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if h, _ := se.srv.hooks(); h != nil {
		if err := h(to); err != nil {
			return se.fail(err)
		}
	}
	se.to = append(se.to, to)
	return nil
}

// ErrDropConnection, returned by a hook, closes the connection abruptly,
// as a crashing or overloaded server would.
var ErrDropConnection = errors.New("drop connection")

func (se *session) fail(err error) error {
	if errors.Is(err, ErrDropConnection) {
		_ = se.c.Conn().Close()
	}
	return err
}

func (se *session) Data(r io.Reader) error {
	if _, h := se.srv.hooks(); h != nil {
		if err := h(se.from); err != nil {
			if errors.Is(err, ErrDropConnection) {
				return se.fail(err)
			}
			_, _ = io.Copy(io.Discard, r)
			return err
		}
	}
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		return err
	}
	se.srv.store(&Message{From: se.from, To: append([]string(nil), se.to...), Raw: b.Bytes(), ReceivedAt: time.Now(),
		Conn: se.conn, TLS: se.tls, User: se.user})
	return nil
}
