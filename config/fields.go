package config

import (
	"crypto/x509"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/followup/followup/businesshours"
)

// fields lists every setting, in the order the README table shows them;
// reports.go appends the external loop's.
var fields = []field{
	{env: "FOLLOWUP_DATABASE_URL", def: "postgres://followup:followup@127.0.0.1:5432/followup?sslmode=disable",
		usage: "a PostgreSQL URL (postgres://user:pass@host:port/db?sslmode=disable)", secret: true,
		set: func(c *Config, raw string) error {
			u, err := url.Parse(raw)
			if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" || strings.Trim(u.Path, "/") == "" {
				return expectError("a PostgreSQL URL such as postgres://user:pass@127.0.0.1:5432/followup?sslmode=disable")
			}
			c.DatabaseURL = raw
			return nil
		}},
	{env: "FOLLOWUP_REDIS_URL", def: "redis://127.0.0.1:6379/0",
		usage: "the Redis of the queue, the SMTP rate limit and the throttles: " + RedisURLForms, secret: true,
		set: func(c *Config, raw string) error {
			if _, err := ParseRedisURL(raw); err != nil {
				return expectError(fmt.Sprintf("a Redis URL (%s): %v", RedisURLForms, err))
			}
			c.RedisURL = raw
			return nil
		}},
	{env: "FOLLOWUP_QUEUE_PREFIX", def: "",
		usage: "a prefix for asynq queue names and the SMTP rate limit's Redis key (letters, digits, _ and -), to share one Redis",
		set: func(c *Config, raw string) error {
			if !queuePrefixRE.MatchString(raw) {
				return expectError("letters, digits, '_' or '-' only")
			}
			c.QueuePrefix = raw
			return nil
		}},
	{env: "FOLLOWUP_HTTP_ADDR", def: "127.0.0.1:8080",
		usage: "the host:port the HTTP server listens on",
		set: func(c *Config, raw string) error {
			if _, _, err := net.SplitHostPort(raw); err != nil {
				return expectError("host:port such as 127.0.0.1:8080 or :8080")
			}
			c.HTTPAddr = raw
			return nil
		}},
	{env: "FOLLOWUP_BASE_URL", def: "http://127.0.0.1:8080",
		usage: "the public http(s) URL of the HTTP server, used in links sent to customers",
		set: func(c *Config, raw string) error {
			u, err := url.Parse(raw)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
				return expectError("an absolute http(s) URL without query such as https://survey.example.com")
			}
			u.Path = strings.TrimSuffix(u.Path, "/")
			c.BaseURL = u
			return nil
		}},
	{env: "FOLLOWUP_METRICS_ADDR", def: "",
		usage: "the host:port of a separate listener serving /metrics (manager or admin token), /healthz and /readyz, so worker and scheduler processes can be scraped; empty opens none",
		set: func(c *Config, raw string) error {
			c.MetricsAddr = ""
			if raw == "" {
				return nil
			}
			_, port, err := net.SplitHostPort(raw)
			if n, perr := strconv.Atoi(port); err != nil || perr != nil || n < 0 || n > 65535 {
				return expectError("host:port such as 127.0.0.1:9464 or 10.0.0.5:9464, or empty for none")
			}
			c.MetricsAddr = raw
			return nil
		}},
	{env: "FOLLOWUP_SECRET", def: "",
		usage: "the key that signs customer links: at least 32 bytes, kept secret", secret: true,
		set: func(c *Config, raw string) error {
			if len(raw) < 32 {
				return expectError(fmt.Sprintf("a secret of at least 32 bytes (got %d bytes)", len(raw)))
			}
			c.Secret = []byte(raw)
			return nil
		}},
	{env: "FOLLOWUP_PREVIOUS_SECRETS", def: "",
		usage: "comma-separated former secrets still accepted on links (key rotation)", secret: true,
		set: func(c *Config, raw string) error {
			c.PreviousSecrets = nil
			if raw == "" {
				return nil
			}
			for i, s := range strings.Split(raw, ",") {
				if len(s) < 32 {
					return expectError(fmt.Sprintf("secrets of at least 32 bytes each (secret %d has %d bytes)", i+1, len(s)))
				}
				c.PreviousSecrets = append(c.PreviousSecrets, []byte(s))
			}
			return nil
		}},
	{env: "FOLLOWUP_SMTP_HOST", def: "127.0.0.1",
		usage: "the SMTP server host",
		set: func(c *Config, raw string) error {
			if strings.ContainsAny(raw, " /:\r\n") {
				return expectError("a host name or IP address, without port")
			}
			c.SMTP.Host = raw
			return nil
		}},
	{env: "FOLLOWUP_SMTP_PORT", def: "2525",
		usage: "the SMTP server port (1-65535)",
		set: func(c *Config, raw string) error {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 1 || n > 65535 {
				return expectError("a port number between 1 and 65535")
			}
			c.SMTP.Port = n
			return nil
		}},
	{env: "FOLLOWUP_SMTP_USERNAME", def: "",
		usage: "the SMTP user name; empty sends without authentication",
		set:   func(c *Config, raw string) error { c.SMTP.Username = raw; return nil }},
	{env: "FOLLOWUP_SMTP_PASSWORD", def: "",
		usage: "the SMTP password", secret: true,
		set: func(c *Config, raw string) error { c.SMTP.Password = raw; return nil }},
	{env: "FOLLOWUP_SMTP_TLS", def: string(TLSOpportunistic),
		usage: "STARTTLS policy: none, opportunistic or mandatory",
		set: func(c *Config, raw string) error {
			switch p := TLSPolicy(raw); p {
			case TLSNone, TLSOpportunistic, TLSMandatory:
				c.SMTP.TLS = p
				return nil
			}
			return expectError("one of none, opportunistic, mandatory")
		}},
	{env: "FOLLOWUP_SMTP_CA_FILE", def: "",
		usage: "a PEM file of the certificate authorities trusted for the SMTP server's certificate, instead of the system's (a private CA); empty trusts the system's",
		set: func(c *Config, raw string) error {
			c.SMTP.CAFile, c.SMTP.RootCAs = raw, nil
			if raw == "" {
				return nil
			}
			pemBytes, err := os.ReadFile(raw)
			if err != nil {
				return expectError(fmt.Sprintf("a readable PEM file of CA certificates (%v)", err))
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pemBytes) {
				return expectError("a PEM file holding at least one CA certificate")
			}
			c.SMTP.RootCAs = pool
			return nil
		}},
	{env: "FOLLOWUP_SMTP_FROM", def: "Followup <surveys@followup.localhost>",
		usage: "the sender of every email, as an address or \"Name <address>\"",
		set: func(c *Config, raw string) error {
			if strings.ContainsAny(raw, "\r\n") {
				return expectError("one line")
			}
			a, err := mail.ParseAddress(raw)
			if err != nil {
				return expectError("an email address such as \"Acme <surveys@acme.example>\"")
			}
			c.SMTP.From = a
			return nil
		}},
	{env: "FOLLOWUP_SMTP_TIMEOUT", def: "15s",
		usage: "how long connecting and each SMTP command may take (Go duration)",
		set:   durationField(func(c *Config) *time.Duration { return &c.SMTP.Timeout }, time.Second, time.Hour)},
	{env: "FOLLOWUP_SMTP_POOL", def: "16",
		usage: "the most SMTP connections a process opens, each sending many messages (1-200): it starts with FOLLOWUP_SMTP_POOL_FLOOR and opens more while senders wait and each one added raises the throughput; a relay that answers 421 (too many connections) takes it down",
		set:   intField(func(c *Config) *int { return &c.SMTP.Pool }, 1, 200)},
	{env: "FOLLOWUP_SMTP_POOL_FLOOR", def: "2",
		usage: "the SMTP connections a process may always open (1-200, at most FOLLOWUP_SMTP_POOL)",
		set:   intField(func(c *Config) *int { return &c.SMTP.PoolFloor }, 1, 200)},
	{env: "FOLLOWUP_SMTP_RATE", def: "0",
		usage: "the most messages per second the deployment sends, all worker processes together (shared through Redis); 0 for no limit",
		set: func(c *Config, raw string) error {
			f, err := strconv.ParseFloat(raw, 64)
			if err != nil || f < 0 || f > 1e6 {
				return expectError("a number of messages per second, 0 for no limit")
			}
			c.SMTP.Rate = f
			return nil
		}},
	{env: "FOLLOWUP_SMTP_PIPELINING", def: "on",
		usage: "on: to a server that advertises PIPELINING (RFC 2920) a message costs one round trip instead of four; off: one command at a time, for a relay that advertises it but mishandles it",
		set: func(c *Config, raw string) error {
			switch raw {
			case "on":
				c.SMTP.NoPipelining = false
			case "off":
				c.SMTP.NoPipelining = true
			default:
				return expectError("on or off")
			}
			return nil
		}},
	{env: "FOLLOWUP_SMTP_IDLE_TIMEOUT", def: "30s",
		usage: "how long an unused SMTP connection stays open (Go duration)",
		set:   durationField(func(c *Config) *time.Duration { return &c.SMTP.IdleTimeout }, time.Second, time.Hour)},
	{env: "FOLLOWUP_ALERT_WEBHOOK_URL", def: "",
		usage: "an http(s) URL that receives every alert as signed JSON (Slack-style incoming webhooks work); empty sends none",
		set: func(c *Config, raw string) error {
			if raw == "" {
				c.Alerts.WebhookURL = ""
				return nil
			}
			u, err := url.Parse(raw)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return expectError("an absolute http(s) URL")
			}
			c.Alerts.WebhookURL = raw
			return nil
		}},
	{env: "FOLLOWUP_ALERT_WEBHOOK_SECRET", def: "",
		usage: "the key that signs alert webhooks (X-Followup-Signature); at least 16 bytes when a webhook URL is set", secret: true,
		set: func(c *Config, raw string) error {
			if raw != "" && len(raw) < 16 {
				return expectError(fmt.Sprintf("a secret of at least 16 bytes (got %d bytes)", len(raw)))
			}
			c.Alerts.WebhookSecret = []byte(raw)
			return nil
		}},
	{env: "FOLLOWUP_ALERT_EMAILS", def: "",
		usage: "comma-separated addresses that receive alert emails; empty sends them to the cx users (managers for escalations, admins for stalled work)",
		set: func(c *Config, raw string) error {
			c.Alerts.Emails = nil
			for _, a := range strings.Split(raw, ",") {
				if a = strings.TrimSpace(a); a == "" {
					continue
				}
				if p, err := mail.ParseAddress(a); err != nil || p.Address != a {
					return expectError(fmt.Sprintf("email addresses separated by commas (%q is not one)", a))
				}
				c.Alerts.Emails = append(c.Alerts.Emails, a)
			}
			return nil
		}},
	{env: "FOLLOWUP_BRAND_NAME", def: "Followup",
		usage: "the company name shown to customers",
		set: func(c *Config, raw string) error {
			if strings.ContainsAny(raw, "\r\n") || len(raw) > 100 {
				return expectError("one line of at most 100 characters")
			}
			c.Brand.Name = raw
			return nil
		}},
	{env: "FOLLOWUP_BRAND_LOGO_URL", def: "",
		usage: "an https URL of the logo shown in emails and pages; empty shows the name",
		set: func(c *Config, raw string) error {
			if raw == "" {
				c.Brand.LogoURL = ""
				return nil
			}
			u, err := url.Parse(raw)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(raw, "\r\n\"") {
				return expectError("an absolute http(s) URL")
			}
			c.Brand.LogoURL = raw
			return nil
		}},
	{env: "FOLLOWUP_BRAND_COLOR", def: "#1f5fa8",
		usage: "the accent colour, #rrggbb",
		set: func(c *Config, raw string) error {
			if !colorRE.MatchString(raw) {
				return expectError("a colour as #rrggbb")
			}
			c.Brand.Color = raw
			return nil
		}},
	{env: "FOLLOWUP_BRAND_TEXT_COLOR", def: "#ffffff",
		usage: "the colour of text on the accent colour (buttons), #rrggbb; the two must contrast at least 4.5:1",
		set: func(c *Config, raw string) error {
			if !colorRE.MatchString(raw) {
				return expectError("a colour as #rrggbb")
			}
			c.Brand.TextColor = raw
			return nil
		}},
	{env: "FOLLOWUP_CONTACT_URL", def: "",
		usage: "an http(s) URL of a page where customers can reach the team, offered with the address of FOLLOWUP_CX_REPLY_TO (else the sender) when a survey link has expired or was withdrawn; empty offers the address alone",
		set: func(c *Config, raw string) error {
			c.Brand.ContactURL = ""
			if raw == "" {
				return nil
			}
			u, err := url.Parse(raw)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(raw, " \r\n") {
				return expectError("an absolute http(s) URL such as https://www.example.com/contact, or empty")
			}
			c.Brand.ContactURL = raw
			return nil
		}},
	{env: "FOLLOWUP_DATABASE_POOL", def: "0",
		usage: "PostgreSQL connections one process opens at most; 0: the worker concurrency and ten more (at least 20). Either way never more than this process's share of the server's max_connections (see FOLLOWUP_DATABASE_PROCESSES)",
		set:   intField(func(c *Config) *int { return &c.DatabasePool }, 0, 10000)},
	{env: "FOLLOWUP_DATABASE_PROCESSES", def: "2",
		usage: "how many followup processes share the PostgreSQL server: each opens at most its share of max_connections (less the superuser's reserve)",
		set:   intField(func(c *Config) *int { return &c.DatabaseProcesses }, 1, 1000)},
	{env: "FOLLOWUP_WORKER_CONCURRENCY", def: "10",
		usage: "how many tasks a worker runs at once (1-1000)",
		set:   intField(func(c *Config) *int { return &c.WorkerConcurrency }, 1, 1000)},
	{env: "FOLLOWUP_SWEEP_INTERVAL", def: "1s",
		usage: "how often the scheduler looks for due invitations (Go duration)",
		set:   durationField(func(c *Config) *time.Duration { return &c.SweepInterval }, 10*time.Millisecond, time.Hour)},
	{env: "FOLLOWUP_RECONCILE_INTERVAL", def: "30s",
		usage: "how often the scheduler re-enqueues what is due or stuck (Go duration)",
		set:   durationField(func(c *Config) *time.Duration { return &c.ReconcileInterval }, 100*time.Millisecond, 24*time.Hour)},
	{env: "FOLLOWUP_STALL_AFTER", def: DefaultStallAfter,
		usage: "how long each kind of work may wait in PostgreSQL before the admins are alerted that it is stalled (kind=duration, 0 never alerts; unlisted kinds keep their default)",
		set:   setStallAfter},
	{env: "FOLLOWUP_SEND_BATCH_SIZE", def: "200",
		usage: "invitations sent by one task over one SMTP connection (1-5000)",
		set:   intField(func(c *Config) *int { return &c.SendBatchSize }, 1, 5000)},
	{env: "FOLLOWUP_RETENTION_MONTHS", def: "0",
		usage: "how many months customers' comments and messages are kept (reply comments and free-text answers, complaint emails, mail received, the words alerts quote): older ones are replaced by [erased] by the scheduler every hour, the figures kept; 0 keeps them forever (0-1200)",
		set:   intField(func(c *Config) *int { return &c.RetentionMonths }, 0, 1200)},
	{env: "FOLLOWUP_SEND_GIVE_UP", def: "72h",
		usage: "how long a survey email keeps being retried after its first temporary failure (SMTP server down, throttling) before it is marked failed (Go duration, 1m to 30 days)",
		set:   durationField(func(c *Config) *time.Duration { return &c.SendGiveUp }, time.Minute, 30*24*time.Hour)},
	{env: "FOLLOWUP_COMPLAINT_DEADLINES", def: "P1=4h,P2=9h,P3=27h,P4=45h",
		usage: "how long the CX team has to act on a complaint, per priority, in business hours of FOLLOWUP_BUSINESS_CALENDAR (P2=9h: one working day of the fr calendar; P4=45h: a working week)",
		set:   setDeadlines},
	{env: "FOLLOWUP_BUSINESS_CALENDAR", def: "fr",
		usage: "the CX team's business hours, which complaint deadlines, warnings and promises to customers count: fr (Paris, Mon-Fri 09:00-18:00, French public holidays), qc (Montréal, Mon-Fri 09:00-17:00, Québec's holidays), none (wall-clock time), or a preset with changes such as fr;hours=mon-fri 08:30-12:30 13:30-17:30,sat 09:00-12:00;closed=2026-12-24 2026-12-31;zone=Europe/Paris",
		set: func(c *Config, raw string) error {
			cal, err := businesshours.Parse(raw)
			if err != nil {
				return expectError(businesshours.SpecHelp)
			}
			c.BusinessCalendar = cal
			return nil
		}},
	{env: "FOLLOWUP_KEY_CUSTOMER_VALUE", def: "2500",
		usage: "annual value (currency units) from which a customer's complaint rises one priority; 0 disables",
		set: func(c *Config, raw string) error {
			v, err := parseAmount(raw)
			if err != nil {
				return expectError("an amount such as 2500 or 2500.00 (0 disables)")
			}
			c.KeyCustomerCents = v
			return nil
		}},
	{env: "FOLLOWUP_GESTURES", def: "critical=5%:25-250,major=3%:15-150,moderate=1%:10-50,minor=0%:0-0",
		usage: "goodwill gesture per severity when the prejudice is unknown: % of annual value, min-max amounts",
		set:   setGestures},
	{env: "FOLLOWUP_CURRENCY", def: "EUR",
		usage: "currency of compensation (ISO 4217 code) for customers whose own currency is not known",
		set:   setCurrency},
	{env: "FOLLOWUP_COMPENSATION_LIMITS", def: "cx=150,manager=1000,admin=1000",
		usage: "most a person of each role grants on one complaint (currency units); above it, or above the advised range, a manager must approve",
		set:   setCompensationLimits},
	{env: "FOLLOWUP_ACK_DELAY", def: "2m",
		usage: "how long after a complaint opens the customer's acknowledgement goes out (lets an agent on duty take it, so the email names them)",
		set:   durationField(func(c *Config) *time.Duration { return &c.CX.AckDelay }, 0, time.Hour)},
	{env: "FOLLOWUP_DEADLINE_WARNING", def: "25%",
		usage: "share of a priority's allowed time left when the owner is warned that the deadline is near (1%-90%)",
		set: func(c *Config, raw string) error {
			v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(raw), "%"), 64)
			if err != nil || !strings.HasSuffix(strings.TrimSpace(raw), "%") || v < 1 || v > 90 {
				return expectError("a percentage between 1% and 90%, such as 25%")
			}
			c.CX.WarnShare = v / 100
			return nil
		}},
	{env: "FOLLOWUP_RECOVERY_DELAY", def: "72h",
		usage: "how long after a complaint is resolved the recovery survey goes out (Go duration, 1m to 30 days)",
		set:   durationField(func(c *Config) *time.Duration { return &c.CX.RecoveryDelay }, time.Minute, 30*24*time.Hour)},
	{env: "FOLLOWUP_CX_REPLY_TO", def: "",
		usage: "address customers' answers to complaint emails go to (Reply-To), also offered on the page of an expired survey link; empty: the sender",
		set: func(c *Config, raw string) error {
			c.CX.ReplyTo = nil
			if strings.TrimSpace(raw) == "" {
				return nil
			}
			a, err := mail.ParseAddress(raw)
			if err != nil || strings.ContainsAny(raw, "\r\n") {
				return expectError("one email address, such as Customer care <care@example.com>")
			}
			c.CX.ReplyTo = a
			return nil
		}},
	{env: "FOLLOWUP_LOG_LEVEL", def: "info",
		usage: "debug, info, warn or error",
		set: func(c *Config, raw string) error {
			switch raw {
			case "debug", "info", "warn", "error":
				c.LogLevel = raw
				return nil
			}
			return expectError("one of debug, info, warn, error")
		}},
	{env: "FOLLOWUP_LOG_FORMAT", def: "text",
		usage: "text or json",
		set: func(c *Config, raw string) error {
			if raw != "text" && raw != "json" {
				return expectError("text or json")
			}
			c.LogFormat = raw
			return nil
		}},
	{env: "FOLLOWUP_CAPTURE_ADDR", def: "127.0.0.1:2525",
		usage: "the host:port where the demo's SMTP capture server listens (a free port is used if taken); only followup demo reads it",
		set: func(c *Config, raw string) error {
			if _, _, err := net.SplitHostPort(raw); err != nil {
				return expectError("host:port such as 127.0.0.1:2526")
			}
			c.CaptureAddr = raw
			return nil
		}},
}

var (
	queuePrefixRE = regexp.MustCompile(`^[A-Za-z0-9_-]{0,40}$`)
	colorRE       = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

func intField(get func(*Config) *int, lo, hi int) func(*Config, string) error {
	return func(c *Config, raw string) error {
		n, err := strconv.Atoi(raw)
		if err != nil || n < lo || n > hi {
			return expectError(fmt.Sprintf("a whole number between %d and %d", lo, hi))
		}
		*get(c) = n
		return nil
	}
}

func durationField(get func(*Config) *time.Duration, lo, hi time.Duration) func(*Config, string) error {
	return func(c *Config, raw string) error {
		d, err := time.ParseDuration(raw)
		if err != nil || d < lo || d > hi {
			return expectError(fmt.Sprintf("a duration between %s and %s, such as 1s or 5m", lo, hi))
		}
		*get(c) = d
		return nil
	}
}
