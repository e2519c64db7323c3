// Package mail sends followup's emails over SMTP with go-mail. It turns
// rendered content into MIME messages, refuses what could inject headers,
// and classifies delivery failures as temporary (retry later) or permanent
// (the address bounces). It decides nothing about who gets what.
package mail

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS policies.
const (
	TLSNone          = "none"
	TLSOpportunistic = "opportunistic"
	TLSMandatory     = "mandatory"
)

// Config is the outgoing SMTP server.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is none, opportunistic or mandatory.
	TLS     string
	From    *netmail.Address
	Timeout time.Duration
}

// Message is one email to one recipient.
type Message struct {
	To *netmail.Address
	// MessageID is the Message-ID without angle brackets, deterministic per
	// invitation so a resend is recognisable.
	MessageID string
	Subject   string
	Text      string
	HTML      string
	// Headers are extra header fields (List-Unsubscribe...). Values must be
	// one line.
	Headers map[string]string
}

// DeliveryError is why a message was not accepted.
type DeliveryError struct {
	// Temporary failures (4xx, connection refused, timeouts) may succeed
	// later; permanent ones (5xx) will not.
	Temporary bool
	// Code is the SMTP reply code when the server gave one.
	Code int
	Err  error
}

func (e *DeliveryError) Error() string {
	kind := "permanent"
	if e.Temporary {
		kind = "temporary"
	}
	if e.Code != 0 {
		return fmt.Sprintf("%s delivery failure (%d): %v", kind, e.Code, e.Err)
	}
	return fmt.Sprintf("%s delivery failure: %v", kind, e.Err)
}

func (e *DeliveryError) Unwrap() error { return e.Err }

// ErrUnsafeHeader is a header value with a line break: a header-injection attempt.
var ErrUnsafeHeader = errors.New("header value contains a line break")

// Sender delivers messages to the configured SMTP server.
type Sender struct {
	cfg Config
}

// NewSender returns a Sender for cfg.
func NewSender(cfg Config) (*Sender, error) {
	if cfg.From == nil || cfg.From.Address == "" {
		return nil, errors.New("mail sender: a From address is required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSOpportunistic
	}
	return &Sender{cfg: cfg}, nil
}

// From returns the sender address.
func (s *Sender) From() *netmail.Address { return s.cfg.From }

func (s *Sender) client() (*gomail.Client, error) {
	opts := []gomail.Option{
		gomail.WithPort(s.cfg.Port),
		gomail.WithTimeout(s.cfg.Timeout),
		gomail.WithHELO(heloName(s.cfg.From.Address)),
	}
	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.NoTLS))
	case TLSMandatory:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSOpportunistic))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return gomail.NewClient(s.cfg.Host, opts...)
}

// Send delivers msgs over one SMTP connection. It returns one result per
// message (nil when accepted). When the connection itself fails, every
// message not yet accepted gets the same temporary error.
func (s *Sender) Send(ctx context.Context, msgs []Message) []error {
	results := make([]error, len(msgs))
	built := make([]*gomail.Msg, len(msgs))
	var toSend []*gomail.Msg
	var idx []int
	for i := range msgs {
		m, err := s.build(&msgs[i])
		if err != nil {
			results[i] = &DeliveryError{Temporary: false, Err: err}
			continue
		}
		built[i] = m
		toSend = append(toSend, m)
		idx = append(idx, i)
	}
	if len(toSend) == 0 {
		return results
	}
	c, err := s.client()
	if err != nil {
		for _, i := range idx {
			results[i] = &DeliveryError{Temporary: false, Err: fmt.Errorf("smtp client: %w", err)}
		}
		return results
	}
	if err := c.DialWithContext(ctx); err != nil {
		de := classify(err)
		for _, i := range idx {
			results[i] = de
		}
		return results
	}
	defer c.Close()
	sendErr := c.Send(toSend...)
	for _, i := range idx {
		m := built[i]
		switch {
		case m.IsDelivered():
			results[i] = nil
		case m.HasSendError():
			results[i] = classify(m.SendError())
		case sendErr != nil:
			results[i] = classify(sendErr)
		default:
			results[i] = &DeliveryError{Temporary: true, Err: errors.New("message not delivered")}
		}
	}
	return results
}

func (s *Sender) build(in *Message) (*gomail.Msg, error) {
	if in.To == nil || in.To.Address == "" {
		return nil, errors.New("no recipient")
	}
	for _, v := range []string{in.To.Name, in.To.Address, in.Subject, in.MessageID} {
		if strings.ContainsAny(v, "\r\n") {
			return nil, ErrUnsafeHeader
		}
	}
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	m.FromMailAddress(s.cfg.From)
	if err := m.AddToFormat(in.To.Name, in.To.Address); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", in.To.Address, err)
	}
	m.Subject(in.Subject)
	m.SetDate()
	if in.MessageID != "" {
		m.SetMessageIDWithValue(in.MessageID)
	}
	for k, v := range in.Headers {
		if strings.ContainsAny(k, "\r\n:") || strings.ContainsAny(v, "\r\n") {
			return nil, ErrUnsafeHeader
		}
		m.SetGenHeader(gomail.Header(k), v)
	}
	// Text first, HTML last: clients show the last alternative they support.
	m.SetBodyString(gomail.TypeTextPlain, in.Text)
	if in.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, in.HTML)
	}
	return m, nil
}

// classify turns a go-mail or network error into a DeliveryError.
func classify(err error) *DeliveryError {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return &DeliveryError{Temporary: se.IsTemp() || se.ErrorCode() == 0, Code: se.ErrorCode(), Err: err}
	}
	// Dial failures: refused, unreachable, timeouts. All may heal.
	return &DeliveryError{Temporary: true, Err: err}
}

func heloName(from string) string {
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i+1 < len(from) {
		return from[i+1:]
	}
	return "localhost"
}
