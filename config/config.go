package config

import (
	"crypto/x509"
	"net/mail"
	"net/url"
	"time"

	"github.com/followup/followup/businesshours"
)

// TLSPolicy says how the SMTP client negotiates STARTTLS.
type TLSPolicy string

// TLS policies accepted by FOLLOWUP_SMTP_TLS.
const (
	TLSNone          TLSPolicy = "none"
	TLSOpportunistic TLSPolicy = "opportunistic"
	TLSMandatory     TLSPolicy = "mandatory"
)

// Config is the whole configuration of a followup process.
type Config struct {
	// DatabaseURL is the PostgreSQL connection URL (postgres://...).
	DatabaseURL string
	// RedisURL is the Redis connection URL: one server, a Sentinel-watched
	// primary or a Cluster (ParseRedisURL reads it).
	RedisURL string
	// QueuePrefix is prepended to every asynq queue name and to the key of
	// the shared SMTP rate limit, so several deployments (or tests) can
	// share one Redis without seeing each other's tasks or limits.
	QueuePrefix string

	// HTTPAddr is the address the HTTP server listens on.
	HTTPAddr string
	// MetricsAddr, when set, is the address of a small listener serving
	// /metrics, /healthz and /readyz, so a process without the HTTP role
	// (worker, scheduler) can be scraped. Empty opens none.
	MetricsAddr string
	// BaseURL is the public URL of the HTTP server, used in links sent to customers.
	BaseURL *url.URL

	// Secret signs survey and unsubscribe links (HMAC-SHA256). At least 32 bytes.
	Secret []byte
	// PreviousSecrets are still accepted when verifying links, so the secret
	// can be rotated without breaking links already sent.
	PreviousSecrets [][]byte

	// SMTP is the outgoing mail server.
	SMTP SMTP
	// Alerts says where the internal loop's alerts go.
	Alerts Alerts
	// CX tunes the internal loop around complaints.
	CX CX
	// Brand is what the customer sees in emails and pages.
	Brand Brand
	// Reports configures the barometer and the weekly report to managers.
	Reports Reports
	// Edge configures sign-in and token throttling and trusted proxies.
	Edge Edge
	// Inbound configures two-way email: signed reply and bounce
	// addresses, the inbound SMTP listener.
	Inbound Inbound
	// DKIM signs every outgoing email, when a key is set.
	DKIM DKIM

	// WorkerConcurrency is how many tasks one worker process runs at once.
	WorkerConcurrency int
	// DatabasePool is how many PostgreSQL connections a process opens at
	// most; 0 derives it from WorkerConcurrency (see app.PoolSize).
	DatabasePool int
	// DatabaseProcesses is how many processes share the PostgreSQL
	// server: each opens at most its share of max_connections.
	DatabaseProcesses int
	// SweepInterval is how often the scheduler looks for due invitations.
	SweepInterval time.Duration
	// ReconcileInterval is how often the scheduler re-enqueues what Postgres
	// says is due or stuck (after a Redis wipe, a crashed worker...).
	ReconcileInterval time.Duration
	// SendBatchSize is how many invitations one send task carries over one
	// SMTP connection.
	SendBatchSize int
	// StallAfter is, per kind of work the reconciler watches (StallKinds),
	// how long its oldest pending work may wait before the admins are
	// alerted; 0 never alerts.
	StallAfter map[string]time.Duration
	// RetentionMonths is how long customers' comments and messages are
	// kept: past it the scheduler purges them (0 keeps them forever).
	RetentionMonths int
	// SendGiveUp is how long an email keeps being retried after its first
	// temporary failure (the SMTP server down, throttling) before it is
	// marked failed.
	SendGiveUp time.Duration

	// ComplaintDeadlines is how long the CX team has to act on a complaint,
	// per priority (1 = P1 ... 4 = P4).
	ComplaintDeadlines map[int]time.Duration
	// BusinessCalendar is the CX team's business hours (zone, opening
	// hours per weekday, holidays): complaint deadlines and warnings count
	// only its open time, and promises to customers fall in its opening
	// hours. Nil counts wall-clock time.
	BusinessCalendar *businesshours.Calendar
	// KeyCustomerCents is the annual value (in cents) from which a customer's
	// complaint rises one priority; 0 disables it.
	KeyCustomerCents int64
	// Gestures is the goodwill gesture per severity (critical, major,
	// moderate, minor) advised when the prejudice is not known.
	Gestures map[string]Gesture
	// Currency is the ISO 4217 code of compensation when the customer's is
	// not known.
	Currency string
	// CompensationLimits is the most a person of each role (cx, manager,
	// admin) grants on one complaint without a manager's approval, in cents.
	CompensationLimits map[string]int64

	// LogLevel is the minimum level logged: debug, info, warn or error.
	LogLevel string
	// LogFormat is text or json.
	LogFormat string

	// CaptureAddr is where the demo's SMTP capture server listens; only
	// followup demo reads it.
	CaptureAddr string
}

// ContactEmail is the address customers can write to: the CX reply
// address, else the sender (where answers to complaint emails go too).
func (c Config) ContactEmail() string {
	switch {
	case c.CX.ReplyTo != nil:
		return c.CX.ReplyTo.Address
	case c.SMTP.From != nil:
		return c.SMTP.From.Address
	}
	return ""
}

// SMTP configures the outgoing mail server.
type SMTP struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      TLSPolicy
	// CAFile is the PEM file RootCAs was read from; empty for none.
	CAFile string
	// RootCAs, when set, are the only authorities trusted for the server's
	// certificate; nil trusts the system's.
	RootCAs *x509.CertPool
	// From is the sender of every email.
	From *mail.Address
	// Timeout bounds connecting and each SMTP command.
	Timeout time.Duration
	// Pool is how many SMTP connections a process keeps open at most.
	Pool int
	// PoolFloor is how many it may always open; more open while they
	// raise the throughput.
	PoolFloor int
	// Rate caps the messages per second the whole deployment sends, all
	// worker processes together (shared through Redis); 0 is no cap.
	Rate float64
	// IdleTimeout closes connections unused for that long.
	IdleTimeout time.Duration
	// NoPipelining sends one SMTP command at a time even to a server that
	// advertises PIPELINING.
	NoPipelining bool
}

// Alerts configures the delivery of alerts to the CX team and managers.
type Alerts struct {
	// WebhookURL receives every alert as signed JSON; empty sends none.
	WebhookURL string
	// WebhookSecret signs webhook bodies (HMAC-SHA256).
	WebhookSecret []byte
	// Emails, when set, receive the alert emails; otherwise the enabled
	// users of the audience's roles do.
	Emails []string
}

// CX tunes the internal loop around complaints.
type CX struct {
	// AckDelay is how long after a complaint opens the acknowledgement goes out.
	AckDelay time.Duration
	// WarnShare is the share of a priority's allowed time left when the
	// owner is warned.
	WarnShare float64
	// RecoveryDelay is how long after resolution the recovery survey goes out.
	RecoveryDelay time.Duration
	// ReplyTo receives customers' answers to complaint emails, when set.
	ReplyTo *mail.Address
}

// Brand is the company identity shown to customers.
type Brand struct {
	Name    string
	LogoURL string
	// Color is the accent colour, as #rrggbb.
	Color string
	// TextColor is the colour of text on the accent colour (buttons), as
	// #rrggbb, readable on it (see MinBrandContrast).
	TextColor string
	// ContactURL is a page where customers reach the team, offered with
	// the CX reply address when a survey link can no longer be answered;
	// empty offers the address alone.
	ContactURL string
}

// Gesture is one row of the goodwill-gesture table: a percentage of the
// customer's annual value, kept between two amounts (in cents).
type Gesture struct {
	Percent            float64
	MinCents, MaxCents int64
}
