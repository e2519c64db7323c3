package receive

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/inbound"
	"github.com/followup/followup/throttle"
)

// Enqueuer queues the parsing of a stored message; the worker's client
// fits. A failure is only logged: the reconciler queues unparsed messages
// again.
type Enqueuer interface {
	EnqueueInboundParse(ctx context.Context, id int64) error
}

// Config tunes the SMTP listener.
type Config struct {
	// Hostname is the name the listener greets with (the MX's name).
	Hostname  string
	Addresses *inbound.Addresser
	Store     *inbound.Store
	Queue     Enqueuer
	// TLS, when set, is offered with STARTTLS.
	TLS *tls.Certificate
	// MaxBytes is the largest message taken; larger ones get 552.
	MaxBytes int64
	// Clients limits the messages per client address (450 beyond); nil
	// for none.
	Clients *throttle.Limiter
	Clock   clock.Clock
	Log     *slog.Logger
	// Timeout bounds each command and the storing of a message; default 1m.
	Timeout time.Duration
}

// Listener is the inbound SMTP server.
type Listener struct {
	cfg Config
	srv *smtp.Server
}

// NewListener returns a listener; Serve starts it.
func NewListener(cfg Config) (*Listener, error) {
	if cfg.Addresses == nil || cfg.Store == nil || cfg.Queue == nil {
		return nil, errors.New("inbound listener: addresses, store and queue are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 20 << 20
	}
	if cfg.Hostname == "" {
		cfg.Hostname = cfg.Addresses.Domain()
	}
	l := &Listener{cfg: cfg}
	l.srv = smtp.NewServer(smtp.BackendFunc(l.newSession))
	l.srv.Domain = cfg.Hostname
	l.srv.MaxMessageBytes = cfg.MaxBytes
	l.srv.MaxRecipients = 50
	l.srv.ReadTimeout = cfg.Timeout
	l.srv.WriteTimeout = cfg.Timeout
	l.srv.ErrorLog = slogPrinter{cfg.Log}
	if cfg.TLS != nil {
		l.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cfg.TLS}, MinVersion: tls.VersionTLS12}
	}
	return l, nil
}

// Serve accepts connections on ln until Close.
func (l *Listener) Serve(ln net.Listener) error {
	err := l.srv.Serve(ln)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// Close stops listening and closes every connection: a message not yet
// stored was not acknowledged, and its sender sends it again.
func (l *Listener) Close() error { return l.srv.Close() }

// Shutdown stops listening and waits for the sessions under way to end,
// until ctx ends.
func (l *Listener) Shutdown(ctx context.Context) error { return l.srv.Shutdown(ctx) }

func (l *Listener) newSession(c *smtp.Conn) (smtp.Session, error) {
	remote := ""
	if a, ok := c.Conn().RemoteAddr().(*net.TCPAddr); ok {
		remote = a.IP.String()
	}
	return &session{l: l, remote: remote}, nil
}

// The replies of the listener.
var (
	errRelay = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "Relay access denied: this server takes mail for its own domain only"}
	errUnknown = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "No such recipient here"}
	errUnavailable = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
		Message: "Temporary local problem: the message cannot be stored now, try again later"}
)

func errRate(wait time.Duration) *smtp.SMTPError {
	return &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 7, 0},
		Message: fmt.Sprintf("Too many messages from your address: try again in %d seconds", int(wait.Round(time.Second)/time.Second)+1)}
}

type rcpt struct {
	addr  string
	route inbound.Route
}

type session struct {
	l      *Listener
	remote string
	from   string
	to     []rcpt
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// Mail checks the client's rate and that the database answers, so a
// sender is told to retry before it sends what could not be stored.
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.l.cfg.Timeout)
	defer cancel()
	if wait, err := s.l.cfg.Clients.Wait(ctx, s.remote); err != nil {
		s.l.cfg.Log.Warn("inbound rate limit unavailable", "err", err)
		return errUnavailable
	} else if wait > 0 {
		return errRate(wait)
	}
	if err := s.l.cfg.Store.Ping(ctx); err != nil {
		s.l.cfg.Log.Warn("inbound mail deferred: database unavailable", "remote", s.remote, "err", err)
		return errUnavailable
	}
	s.from = from
	return nil
}

// Rcpt takes only the addresses we signed: anything else is refused here,
// so nothing is accepted that would have to be bounced later (no
// backscatter) and nothing is relayed.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	r, err := s.l.cfg.Addresses.Verify(to)
	switch {
	case errors.Is(err, inbound.ErrNotOurs):
		return errRelay
	case err != nil:
		s.l.cfg.Log.Info("inbound recipient refused", "remote", s.remote, "rcpt", to)
		return errUnknown
	}
	s.to = append(s.to, rcpt{addr: to, route: r})
	return nil
}

// Data stores the message for every recipient, then acknowledges it, then
// queues its parsing. A message over the size limit is refused (552) and
// nothing is stored.
func (s *session) Data(r io.Reader) error {
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r); err != nil {
		return err // smtp.ErrDataTooLarge: 552, or a broken connection
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.l.cfg.Timeout)
	defer cancel()
	now := s.l.cfg.Clock.Now()
	msgs := make([]inbound.Received, len(s.to))
	for i, t := range s.to {
		msgs[i] = inbound.Received{Source: inbound.SourceSMTP, Remote: s.remote, MailFrom: s.from, RcptTo: t.addr,
			Route: t.route, Raw: buf.Bytes(), At: now}
	}
	stored, err := s.l.cfg.Store.Receive(ctx, msgs)
	if err != nil {
		s.l.cfg.Log.Warn("inbound mail deferred: not stored", "remote", s.remote, "err", err)
		return errUnavailable
	}
	if _, err := s.l.cfg.Clients.Fail(ctx, s.remote); err != nil {
		s.l.cfg.Log.Warn("inbound rate limit unavailable", "err", err)
	}
	for _, st := range stored {
		if !st.Fresh {
			s.l.cfg.Log.Info("inbound message received again, stored once", "message", st.ID, "remote", s.remote)
			continue
		}
		if err := s.l.cfg.Queue.EnqueueInboundParse(ctx, st.ID); err != nil {
			s.l.cfg.Log.Warn("inbound message stored, its parsing not queued (the reconciler will)", "message", st.ID, "err", err)
		}
	}
	return nil
}

// slogPrinter gives go-smtp's internal errors to the process's log.
type slogPrinter struct{ log *slog.Logger }

func (p slogPrinter) Printf(format string, v ...any) {
	p.log.Warn("inbound smtp: " + fmt.Sprintf(format, v...))
}
func (p slogPrinter) Println(v ...any) { p.log.Warn("inbound smtp: " + fmt.Sprint(v...)) }
