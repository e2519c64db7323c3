package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	gomail "github.com/wneessen/go-mail"

	"github.com/followup/followup/mail/address"
)

// TLS policies.
const (
	TLSNone          = "none"
	TLSOpportunistic = "opportunistic"
	TLSMandatory     = "mandatory"
)

// Config is the outgoing SMTP server.
type Config struct {
	Host string
	Port int
	// Username, when set, authenticates every connection (SMTP AUTH, the
	// strongest of SCRAM-SHA-256, SCRAM-SHA-1, CRAM-MD5, PLAIN and LOGIN
	// the server offers). Credentials are sent only over TLS, unless TLS
	// is none: under opportunistic, a server without STARTTLS is refused
	// with ErrAuthWithoutTLS rather than sent credentials in clear.
	Username string
	Password string
	// TLS is the STARTTLS policy: none (never), opportunistic (when the
	// server offers it; clear text otherwise) or mandatory (a server without
	// it is refused before anything is sent). Once STARTTLS starts, the
	// certificate must be valid for Host: a failed handshake fails the
	// connection, it never falls back to clear text.
	TLS string
	// RootCAs are the authorities trusted for the server's certificate;
	// nil trusts the system's.
	RootCAs *x509.CertPool
	From    *netmail.Address
	Timeout time.Duration
	// PoolSize is the most connections that may be open at once (default
	// 16): the pool starts with PoolFloor and opens more while senders
	// wait and each one added raises the throughput (see sizer).
	PoolSize int
	// PoolFloor is how many connections the pool may always open (default
	// 2, at most PoolSize).
	PoolFloor int
	// RatePerSecond caps the messages sent per second by all the processes
	// sharing Redis and KeyPrefix, together; 0 sends as fast as the server
	// accepts and never asks Redis. Each process reserves grants of
	// max(1, ⌊RatePerSecond/20⌋) messages, so at most twice that can go out
	// beyond the rate. When Redis cannot be reached, nothing is sent: a
	// send retries Redis with backoff for up to Timeout, then fails
	// temporarily.
	RatePerSecond float64
	// Redis holds the shared rate limit; required when RatePerSecond > 0.
	Redis redis.UniversalClient
	// KeyPrefix namespaces the rate limit's Redis key (the deployment's
	// queue prefix), so deployments and tests sharing a Redis have
	// separate limits.
	KeyPrefix string
	// IdleTimeout closes connections unused for that long (default 30 s).
	IdleTimeout time.Duration
	// NoPipelining sends one command at a time even to a server that
	// advertises PIPELINING (RFC 2920): for a relay that advertises it but
	// mishandles it. By default a message costs one round trip to such a
	// server instead of four.
	NoPipelining bool
	// DKIMKey, when set, is the PEM private key (RSA or Ed25519, PKCS#1 or
	// PKCS#8) every message is DKIM-signed with, by go-mail, as
	// DKIMSelector._domainkey.DKIMDomain (default: the From address's
	// domain).
	DKIMKey      []byte
	DKIMSelector string
	DKIMDomain   string
}

// Message is one email to one recipient.
type Message struct {
	To *netmail.Address
	// MessageID is the Message-ID without angle brackets, deterministic per
	// invitation so a resend is recognisable.
	MessageID string
	// EnvelopeFrom, when set, is the envelope sender (MAIL FROM, the
	// Return-Path) instead of the From address: where delivery reports go.
	EnvelopeFrom string
	Subject      string
	Text         string
	HTML         string
	// Headers are extra header fields (List-Unsubscribe...). Values must be
	// one line.
	Headers map[string]string
	// Inline are images the HTML shows by Content-ID (<img src="cid:NAME">);
	// with them the message is multipart/related.
	Inline []Inline
}

// Inline is an image embedded in a message, referenced from its HTML as
// cid:Name.
type Inline struct {
	// Name is the file name and the Content-ID: letters, digits, '.', '-'
	// and '_' only.
	Name        string
	ContentType string
	Data        []byte
}

// DeliveryError is why a message was not accepted.
type DeliveryError struct {
	// Temporary failures (4xx, connection refused, timeouts) may succeed
	// later; permanent ones (5xx) will not.
	Temporary bool
	// Recipient is true when the server refused the recipient address
	// (RCPT TO): a permanent one means the address bounces.
	Recipient bool
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

// Sender delivers messages to the configured SMTP server over a small pool
// of reused connections.
type Sender struct {
	cfg  Config
	pool *pool
	dkim *gomail.DKIMSigner
}

// NewSender returns a Sender for cfg.
func NewSender(cfg Config) (*Sender, error) {
	if cfg.From == nil || cfg.From.Address == "" {
		return nil, errors.New("mail sender: a From address is required")
	}
	if strings.ContainsAny(cfg.From.Name+cfg.From.Address, "\r\n") {
		return nil, ErrUnsafeHeader
	}
	if cfg.RatePerSecond < 0 {
		return nil, errors.New("mail sender: the rate limit cannot be negative")
	}
	if cfg.RatePerSecond > 0 && cfg.Redis == nil {
		return nil, errors.New("mail sender: a rate limit needs Redis, where every process shares it")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSOpportunistic
	}
	if cfg.PoolSize <= 0 {
		cfg.PoolSize = 16
	}
	if cfg.PoolFloor <= 0 {
		cfg.PoolFloor = 2
	}
	cfg.PoolFloor = min(cfg.PoolFloor, cfg.PoolSize)
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Second
	}
	s := &Sender{cfg: cfg, pool: newPool(cfg)}
	if len(cfg.DKIMKey) > 0 {
		key, err := gomail.PrivKeyFromPEM(cfg.DKIMKey)
		if err != nil {
			return nil, fmt.Errorf("mail sender: DKIM key: %w", err)
		}
		domain := cfg.DKIMDomain
		if domain == "" {
			domain = heloName(cfg.From.Address)
		}
		if cfg.DKIMSelector == "" {
			return nil, errors.New("mail sender: a DKIM key needs its selector")
		}
		s.dkim = gomail.NewDKIMSigner(domain, cfg.DKIMSelector, key)
		if err := s.dkim.ValidateConfig(); err != nil {
			return nil, fmt.Errorf("mail sender: DKIM: %w", err)
		}
	}
	return s, nil
}

// From returns the sender address.
func (s *Sender) From() *netmail.Address { return s.cfg.From }

// Close closes the idle connections.
func (s *Sender) Close() { s.pool.close() }

// Connections is the most connections the sender may have open at once
// (Config.PoolSize).
func (s *Sender) Connections() int { return s.cfg.PoolSize }

// client returns a go-mail client for one connection, dialled with dial.
func (cfg Config) client(dial gomail.DialContextFunc) (*gomail.Client, error) {
	opts := []gomail.Option{
		gomail.WithPort(cfg.Port),
		gomail.WithTimeout(cfg.Timeout),
		gomail.WithHELO(heloName(cfg.From.Address)),
		// One connection carries many messages: no NOOP before each, no RSET
		// after each (a transaction ends with its DATA; go-mail still resets
		// after a refused recipient).
		gomail.WithoutNoop(),
		gomail.WithoutRset(),
		gomail.WithDialContextFunc(dial),
		gomail.WithTLSConfig(&tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12, RootCAs: cfg.RootCAs}),
	}
	switch cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.NoTLS))
	case TLSMandatory:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPortPolicy(gomail.TLSOpportunistic))
	}
	if cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuthCustom(&guardedAuth{user: cfg.Username, pass: cfg.Password, clearOK: cfg.TLS == TLSNone}))
	}
	return gomail.NewClient(cfg.Host, opts...)
}

// ErrStopped marks the messages a send did not try: its context ended, or
// the caller's accepted callback asked it to stop. They were not given to
// the server.
var ErrStopped = errors.New("sending stopped before this message")

// Send delivers msgs over one pooled connection, within the rate limit. It
// returns one result per message (nil when accepted). See SendEach.
func (s *Sender) Send(ctx context.Context, msgs []Message) []error {
	return s.SendEach(ctx, msgs, nil)
}

// SendEach delivers msgs over one pooled connection, within the rate limit,
// and returns one result per message (nil when accepted). When accepted is
// set, it is called with the index of each message the server accepted
// (its 250), before the next message goes on the connection, so the caller
// can record it: a crash can then leave at most the message on the wire
// unrecorded. When accepted returns an error, sending stops: the messages
// not tried get a temporary error wrapping ErrStopped, as they do when ctx
// ends.
//
// When the connection breaks (no SMTP reply: the server restarted, an idle
// connection was dropped), the message is tried once more on a fresh
// connection, and no idle connection as old as the broken one is used
// again; if that fails too, every message not yet accepted gets a temporary
// error. Bodies go 8-bit when the server accepts it and no line is too long
// (no encoding to pay for), quoted-printable otherwise. To a server that
// advertises PIPELINING, each message's envelope goes with the previous
// message's end of data, one round trip per message (see pipeline.go).
func (s *Sender) SendEach(ctx context.Context, msgs []Message, accepted func(i int) error) []error {
	return s.SendFrom(ctx, len(msgs), func(i int) (Message, error) { return msgs[i], nil }, accepted)
}

// Source composes the message at position i of a send (0 to n-1) when its
// turn on the connection comes: a send holds one composed message per
// connection, however many it carries. A message may be asked for again
// when its connection broke before the server answered for it.
//
// An error is the message's result and the send goes on without it,
// unless it wraps ErrStopped: then sending stops as when the context ends
// (what is on the wire is settled first, the rest is not tried).
type Source func(i int) (Message, error)

// SendFrom is SendEach for n messages composed one at a time by next, as
// their turn comes: memory holds one message per connection instead of the
// whole run's.
func (s *Sender) SendFrom(ctx context.Context, n int, next Source, accepted func(i int) error) []error {
	results := make([]error, n)
	if n == 0 {
		return results
	}
	failRest := func(from int, err error) {
		de := classify(err)
		de.Temporary, de.Recipient = true, false
		for j := from; j < n; j++ {
			results[j] = de
		}
	}
	if err := ctx.Err(); err != nil {
		failRest(0, fmt.Errorf("%w: %w", ErrStopped, err))
		return results
	}
	c, err := s.pool.acquire(ctx)
	if err != nil {
		failRest(0, err)
		return results
	}
	// Every acceptance counts for the pool's throughput.
	counted := func(i int) error {
		s.pool.sizer.accepted()
		if accepted != nil {
			return accepted(i)
		}
		return nil
	}
	defer s.pushedBack(results)
	retried := -1 // the message already tried again on a fresh connection
	for k := 0; ; {
		var r run
		if c.pipelining {
			r = s.runPipelined(ctx, c, next, n, k, results, counted)
		} else {
			r = s.runSerial(ctx, c, next, n, k, results, counted)
		}
		switch {
		case r.err == nil:
			s.pool.release(c)
			return results
		case r.conn == keepConn:
			s.pool.release(c)
		case r.conn == closeConn:
			s.pool.discard(c)
		default:
			// No SMTP reply: the connection is broken, and so, probably,
			// are the idle ones opened before it (a server restart). Try
			// this message once more on a fresh connection.
			s.pool.broken(c)
			if retried != r.pos && !errors.Is(r.err, ErrStopped) {
				retried = r.pos
				if c, err = s.pool.acquire(ctx); err != nil {
					failRest(r.pos, err)
					return results
				}
				k = r.pos
				continue
			}
		}
		failRest(r.pos, r.err)
		return results
	}
}

// pushedBack takes the pool down a connection when the relay answered 421
// (it is closing the connection: too busy, too many connections).
func (s *Sender) pushedBack(results []error) {
	for _, err := range results {
		var de *DeliveryError
		if errors.As(err, &de) && de.Code == 421 {
			s.pool.sizer.shrink(1, time.Now().Add(pushBack))
			return
		}
	}
}

// fate is what becomes of a connection after a run of messages.
type fate int

const (
	// keepConn: healthy, back to the pool.
	keepConn fate = iota
	// closeConn: healthy but left mid-transaction; closed.
	closeConn
	// brokenConn: it stopped answering; closed with the idle ones as old.
	brokenConn
)

// run is how a run of messages on one connection ended: pos is the
// position of the first message whose fate is not
// settled, err why the run stopped (nil: every message is settled) and
// conn what becomes of the connection.
type run struct {
	pos  int
	err  error
	conn fate
}

// stopped marks an error that ends sending on purpose (the context ended,
// or the caller asked to stop): the rest is not tried again elsewhere.
func stopped(err error) error { return fmt.Errorf("%w: %w", ErrStopped, err) }

// before checks what must hold before the next message: the context is
// alive and the rate limit grants it.
func (s *Sender) before(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return stopped(err)
	}
	return s.pool.wait(ctx)
}

// runSerial sends the messages from..n-1 over c with go-mail, one command and reply at a time: for servers that
// do not advertise PIPELINING.
func (s *Sender) runSerial(ctx context.Context, c *conn, next Source, n, from int, results []error, accepted func(i int) error) run {
	for i := from; i < n; i++ {
		if err := s.before(ctx); err != nil {
			return run{pos: i, err: err}
		}
		m, err := s.compose(next, i, c.eightBit, results)
		if errors.Is(err, ErrStopped) {
			return run{pos: i, err: err}
		}
		if m == nil {
			continue // settled: results[i] says why
		}
		err = c.c.SendWithSMTPClient(c.sc, m)
		c.uses++
		if err == nil {
			results[i] = nil
			if accepted != nil {
				if err := accepted(i); err != nil {
					return run{pos: i + 1, err: stopped(err)}
				}
			}
			continue
		}
		de := classify(err)
		if de.Code != 0 {
			results[i] = de // the server answered: the connection is fine
			continue
		}
		return run{pos: i, err: err, conn: brokenConn}
	}
	return run{pos: n}
}

// compose asks next for message i, checks it and builds it. A nil message
// is settled: results[i] says why, or err wraps ErrStopped and the run must
// stop.
func (s *Sender) compose(next Source, i int, eightBit bool, results []error) (*gomail.Msg, error) {
	in, err := next(i)
	if errors.Is(err, ErrStopped) {
		return nil, err
	}
	if err != nil {
		results[i] = err
		return nil, nil
	}
	if err := s.check(&in); err != nil {
		results[i] = &DeliveryError{Temporary: false, Err: err}
		return nil, nil
	}
	m, err := s.build(&in, eightBit)
	if err != nil {
		results[i] = &DeliveryError{Temporary: false, Err: err}
		return nil, nil
	}
	return m, nil
}

// check refuses what could inject headers: line breaks in names, subject,
// Message-ID or any header.
func (s *Sender) check(in *Message) error {
	if in.To == nil || in.To.Address == "" {
		return errors.New("no recipient")
	}
	for _, v := range []string{in.To.Name, in.To.Address, in.Subject, in.MessageID, in.EnvelopeFrom} {
		if strings.ContainsAny(v, "\r\n") {
			return ErrUnsafeHeader
		}
	}
	// The one check intake applies too (customers, imports), so what was
	// accepted there is never refused here.
	if _, err := address.Recipient(in.To.Name, in.To.Address); err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	for _, v := range []string{in.Subject, in.MessageID} {
		if strings.ContainsAny(v, "\r\n") {
			return ErrUnsafeHeader
		}
	}
	for k, v := range in.Headers {
		if strings.ContainsAny(k, "\r\n:") || strings.ContainsAny(v, "\r\n") {
			return ErrUnsafeHeader
		}
	}
	for _, f := range in.Inline {
		if !inlineNameRE.MatchString(f.Name) {
			return fmt.Errorf("inline part %q: a name of letters, digits, '.', '-' and '_' is needed", f.Name)
		}
		if strings.ContainsAny(f.ContentType, "\r\n\"") {
			return fmt.Errorf("inline part %q: %w", f.Name, ErrUnsafeHeader)
		}
	}
	return nil
}

var inlineNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$`)

// maxLine is the longest body line sent 8-bit; SMTP allows 998 octets.
const maxLine = 900

// build composes a message check has accepted.
func (s *Sender) build(in *Message, eightBit bool) (*gomail.Msg, error) {
	enc := gomail.EncodingQP
	if eightBit && longestLine(in.Text) <= maxLine && longestLine(in.HTML) <= maxLine {
		enc = gomail.NoEncoding
	}
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithEncoding(enc))
	if s.dkim != nil {
		m.SetDKIM(s.dkim)
	}
	m.FromMailAddress(s.cfg.From)
	// check accepted the recipient (address.Recipient), which parses it
	// back to exactly this name and address: not parsed twice per email.
	m.AddToMailAddress(&netmail.Address{Name: in.To.Name, Address: in.To.Address})
	m.Subject(in.Subject)
	m.SetDate()
	if in.MessageID != "" {
		m.SetMessageIDWithValue(in.MessageID)
	}
	if in.EnvelopeFrom != "" {
		if err := m.EnvelopeFrom(in.EnvelopeFrom); err != nil {
			return nil, fmt.Errorf("envelope sender %q: %w", in.EnvelopeFrom, err)
		}
	}
	for k, v := range in.Headers {
		m.SetGenHeader(gomail.Header(k), v)
	}
	// Text first, HTML last: clients show the last alternative they support.
	m.SetBodyString(gomail.TypeTextPlain, in.Text)
	if in.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, in.HTML)
	}
	// go-mail names each embed's Content-ID after it: <NAME>.
	for _, f := range in.Inline {
		if err := m.EmbedReader(f.Name, bytes.NewReader(f.Data), gomail.WithFileContentType(gomail.ContentType(f.ContentType))); err != nil {
			return nil, fmt.Errorf("embed %s: %w", f.Name, err)
		}
	}
	return m, nil
}

// classify turns a go-mail or network error into a DeliveryError.
func classify(err error) *DeliveryError {
	var se *gomail.SendError
	if errors.As(err, &se) {
		return replyError(se.ErrorCode(), se.EnhancedStatusCode(), se.Reason == gomail.ErrSMTPRcptTo, se.IsTemp() || se.ErrorCode() == 0, err)
	}
	// Failures to connect: refused, unreachable, timeouts, and a server
	// that refuses the connection's setup (STARTTLS missing under the
	// mandatory policy, a certificate that does not verify, credentials
	// refused). None is the recipient's fault, and all may heal when the
	// server or the configuration is fixed: temporary. The reply code, if
	// any (535 for bad credentials), tells which.
	de := &DeliveryError{Temporary: true, Err: err}
	var te *textproto.Error
	if errors.As(err, &te) {
		de.Code = te.Code
	}
	return de
}

// replyError classifies an SMTP reply code (with its enhanced status code,
// "5.7.1", when the server gave one): rcpt says the reply was to RCPT TO,
// temporary that the reply itself was 4xx or missing.
func replyError(code int, enhanced string, rcpt, temporary bool, err error) *DeliveryError {
	// 530 is "authentication required" (RFC 4954): credentials are
	// missing from the configuration, which can be fixed; neither the
	// message nor the recipient is at fault.
	authRequired := code == 530
	// A refusal for policy or security (5.7.x: "relay access denied",
	// authentication required, sender blocked) says nothing of the
	// address: a relay left without credentials refuses every recipient
	// so. Retried, never suppressing the address.
	policy := strings.HasPrefix(enhanced, "5.7.")
	return &DeliveryError{
		Temporary: temporary || authRequired || policy,
		Recipient: rcpt && !authRequired && !policy,
		Code:      code,
		Err:       err,
	}
}

func heloName(from string) string {
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i+1 < len(from) {
		return from[i+1:]
	}
	return "localhost"
}

func longestLine(s string) int {
	longest := 0
	for len(s) > 0 {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			i = len(s)
		}
		longest = max(longest, i)
		if i == len(s) {
			break
		}
		s = s[i+1:]
	}
	return longest
}
