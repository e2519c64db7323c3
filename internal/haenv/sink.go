package haenv

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Sink is an SMTP server that accepts every message and counts each
// Message-ID at the moment it answers 250: a message cut off in DATA is
// not counted, as a real server would not have taken it.
type Sink struct {
	ln  net.Listener
	srv *smtp.Server

	mu    sync.Mutex
	ids   map[string]int // Message-ID → times received
	total int
}

// StartSink listens on a free loopback port.
func StartSink() (*Sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("SMTP sink: %w", err)
	}
	s := &Sink{ln: ln, ids: map[string]int{}}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }))
	s.srv.Domain = "sink.localhost"
	s.srv.MaxMessageBytes = 10 << 20
	s.srv.MaxRecipients = 100
	s.srv.ReadTimeout = time.Minute
	s.srv.WriteTimeout = time.Minute
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Port is the port the sink listens on.
func (s *Sink) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

// Close stops the sink and closes its connections.
func (s *Sink) Close() { _ = s.srv.Close() }

// Counts returns the messages received and the distinct Message-IDs among them.
func (s *Sink) Counts() (total, unique int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total, len(s.ids)
}

// Received reports how many times each Message-ID arrived.
func (s *Sink) Received() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.ids))
	for k, v := range s.ids {
		out[k] = v
	}
	return out
}

type sinkSession struct{ s *Sink }

func (se *sinkSession) Reset()                               {}
func (se *sinkSession) Logout() error                        { return nil }
func (se *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (se *sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }

// Data reads the headers for the Message-ID and the rest of the message;
// the 250 goes out when it returns nil, and only then is it counted.
func (se *sinkSession) Data(r io.Reader) error {
	id, err := ReadMessageID(r)
	if err != nil {
		return err
	}
	se.s.mu.Lock()
	se.s.total++
	se.s.ids[id]++
	se.s.mu.Unlock()
	return nil
}

// ReadMessageID reads a message to its end and returns its Message-ID,
// without the angle brackets.
func ReadMessageID(r io.Reader) (string, error) {
	br := bufio.NewReader(r)
	h, err := textproto.NewReader(br).ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return "", err
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return "", err
	}
	return strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>"), nil
}
