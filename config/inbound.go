package config

import (
	"crypto/tls"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Inbound configures the mail that comes back: the signed addresses of
// every customer email and the SMTP listener that receives them.
type Inbound struct {
	// Domain is the domain of the signed Reply-To and envelope-sender
	// addresses; empty turns two-way email off (emails are as before).
	Domain string
	// Addr is where the inbound SMTP listener (followup inbound) listens.
	Addr string
	// CertFile and KeyFile, when set, make the listener offer STARTTLS.
	CertFile, KeyFile string
	// TLS is the certificate loaded from CertFile and KeyFile; nil offers
	// no STARTTLS.
	TLS *tls.Certificate
	// MaxBytes is the largest message accepted; larger ones are refused
	// (552) before they are stored.
	MaxBytes int64
	// MaxAttachment is the largest file of a reply that is kept; a larger
	// one is left out with a note, the reply kept.
	MaxAttachment int64
	// ClientLimit is how many messages one client address may send over
	// Per before it is told to retry later (450); N 0 is off.
	ClientLimit Attempts
	// ReopenWithin is how long after its resolution a complaint is
	// reopened by the customer's reply; later replies are kept on it
	// without reopening.
	ReopenWithin time.Duration
	// IMAP, when Addr is set, is a mailbox the inbound role empties every
	// IMAPEvery (for a company that can only give a mailbox).
	IMAP      IMAP
	IMAPEvery time.Duration
}

// IMAP is a mailbox to poll.
type IMAP struct {
	Addr string
	// Security is tls (imaps), starttls (imap) or plain (imap+plain).
	Security           string
	Username, Password string
	Mailbox            string
}

var sizeRE = regexp.MustCompile(`^([0-9]{1,6})\s*(KB|MB)$`)

var inboundFields = []field{
	{env: "FOLLOWUP_INBOUND_DOMAIN", def: "",
		usage: "the domain of the signed Reply-To and envelope-sender addresses of every customer email, whose mail (replies, bounces, spam reports) comes back to followup inbound; its MX or a relay must point there; empty: off, emails carry no such address",
		set: func(c *Config, raw string) error {
			d := strings.ToLower(strings.TrimSpace(raw))
			if d != "" && !domainRE.MatchString(d) {
				return expectError("a domain name such as reply.example.com, or empty for none")
			}
			c.Inbound.Domain = d
			return nil
		}},
	{env: "FOLLOWUP_INBOUND_ADDR", def: "127.0.0.1:2526",
		usage: "the host:port the inbound SMTP listener (followup inbound) listens on; :25 for an MX",
		set: func(c *Config, raw string) error {
			if _, _, err := net.SplitHostPort(raw); err != nil {
				return expectError("host:port such as 0.0.0.0:25 or 127.0.0.1:2526")
			}
			c.Inbound.Addr = raw
			return nil
		}},
	{env: "FOLLOWUP_INBOUND_TLS_CERT", def: "",
		usage: "a PEM certificate (chain) the inbound listener offers with STARTTLS, with FOLLOWUP_INBOUND_TLS_KEY; empty offers no STARTTLS",
		set: func(c *Config, raw string) error {
			c.Inbound.CertFile = strings.TrimSpace(raw)
			return nil
		}},
	{env: "FOLLOWUP_INBOUND_TLS_KEY", def: "",
		usage: "the PEM private key of FOLLOWUP_INBOUND_TLS_CERT",
		set: func(c *Config, raw string) error {
			c.Inbound.KeyFile = strings.TrimSpace(raw)
			if (c.Inbound.CertFile == "") != (c.Inbound.KeyFile == "") {
				return expectError("both FOLLOWUP_INBOUND_TLS_CERT and FOLLOWUP_INBOUND_TLS_KEY, or neither")
			}
			c.Inbound.TLS = nil
			if c.Inbound.CertFile == "" {
				return nil
			}
			cert, err := tls.LoadX509KeyPair(c.Inbound.CertFile, c.Inbound.KeyFile)
			if err != nil {
				return expectError("a readable PEM key matching FOLLOWUP_INBOUND_TLS_CERT (" + err.Error() + ")")
			}
			c.Inbound.TLS = &cert
			return nil
		}},
	{env: "FOLLOWUP_INBOUND_MAX_SIZE", def: "20MB",
		usage: "the largest message the inbound listener accepts, attachments included (KB or MB, 1KB to 100MB); larger ones are refused with 552",
		set: func(c *Config, raw string) (err error) {
			c.Inbound.MaxBytes, err = parseSize(raw)
			return err
		}},
	{env: "FOLLOWUP_INBOUND_ATTACHMENT_MAX", def: "10MB",
		usage: "the largest file of a customer's reply that is kept, per attachment (KB or MB, 1KB to 100MB); a larger one is left out with a note beside the message, the reply itself kept",
		set: func(c *Config, raw string) (err error) {
			c.Inbound.MaxAttachment, err = parseSize(raw)
			return err
		}},
	{env: "FOLLOWUP_INBOUND_CLIENT_LIMIT", def: "120/1m",
		usage: "messages one client address may send to the inbound listener over a period before it is told to retry later (450): 120/1m; off for none",
		set: func(c *Config, raw string) (err error) {
			c.Inbound.ClientLimit, err = parseAttempts(raw)
			return err
		}},
	{env: "FOLLOWUP_INBOUND_REOPEN_WITHIN", def: "720h",
		usage: "how long after its resolution a customer's email reply reopens a complaint (Go duration, 0 to 8760h; 0 never reopens); later replies are kept on it",
		set:   durationField(func(c *Config) *time.Duration { return &c.Inbound.ReopenWithin }, 0, 8760*time.Hour)},
	{env: "FOLLOWUP_INBOUND_IMAP_URL", def: "", secret: true,
		usage: "a mailbox followup inbound empties, for a company that can only give a mailbox: imaps://user:password@imap.example.com/INBOX (imap:// for STARTTLS, imap+plain:// for clear text); each message is stored once before it is deleted; empty polls none",
		set: func(c *Config, raw string) (err error) {
			c.Inbound.IMAP = IMAP{}
			if strings.TrimSpace(raw) == "" {
				return nil
			}
			c.Inbound.IMAP, err = parseIMAP(strings.TrimSpace(raw))
			return err
		}},
	{env: "FOLLOWUP_INBOUND_IMAP_INTERVAL", def: "1m",
		usage: "how often the mailbox of FOLLOWUP_INBOUND_IMAP_URL is polled (Go duration, 5s to 1h)",
		set:   durationField(func(c *Config) *time.Duration { return &c.Inbound.IMAPEvery }, 5*time.Second, time.Hour)},
}

// parseSize reads a size such as 20MB or 512KB, from 1KB to 100MB.
func parseSize(raw string) (int64, error) {
	m := sizeRE.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(raw)))
	if m == nil {
		return 0, expectError("a size such as 20MB or 512KB")
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	if m[2] == "MB" {
		n <<= 20
	} else {
		n <<= 10
	}
	if n < 1<<10 || n > 100<<20 {
		return 0, expectError("a size from 1KB to 100MB")
	}
	return n, nil
}

// parseIMAP reads imaps://user:pass@host[:993]/Mailbox (implicit TLS),
// imap://… (STARTTLS, port 143) or imap+plain://… (clear text).
func parseIMAP(raw string) (IMAP, error) {
	const want = "an IMAP URL such as imaps://user:password@imap.example.com/INBOX (imap:// for STARTTLS, imap+plain:// for clear text on a trusted network), or empty for none"
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User == nil || u.User.Username() == "" {
		return IMAP{}, expectError(want)
	}
	m := IMAP{Username: u.User.Username(), Mailbox: strings.Trim(u.Path, "/")}
	m.Password, _ = u.User.Password()
	port := ""
	switch u.Scheme {
	case "imaps":
		m.Security, port = "tls", "993"
	case "imap":
		m.Security, port = "starttls", "143"
	case "imap+plain":
		m.Security, port = "plain", "143"
	default:
		return IMAP{}, expectError(want)
	}
	if m.Mailbox == "" {
		m.Mailbox = "INBOX"
	}
	m.Addr = u.Host
	if u.Port() == "" {
		m.Addr = net.JoinHostPort(u.Hostname(), port)
	}
	return m, nil
}

var domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

func init() { fields = append(fields, inboundFields...) }
