package config

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/mail/capture"
)

func load(t *testing.T, args []string, env map[string]string, opts Options) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse flags: %v", err)
	}
	return Load(fs, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, opts)
}

const goodSecret = "0123456789abcdef0123456789abcdef"

func TestDefaultsAreUsableOnLoopback(t *testing.T) {
	c, err := load(t, nil, nil, Options{})
	if err != nil {
		t.Fatalf("defaults must load: %v", err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.SMTP.Port != 2525 || c.SMTP.TLS != TLSOpportunistic {
		t.Errorf("unexpected defaults: %+v", c)
	}
	if c.BaseURL.String() != "http://127.0.0.1:8080" || c.SMTP.From.Address != "surveys@followup.localhost" {
		t.Errorf("unexpected defaults: base %s from %s", c.BaseURL, c.SMTP.From)
	}
	if c.SweepInterval != time.Second || c.SendBatchSize != 200 {
		t.Errorf("unexpected defaults: sweep %s batch %d", c.SweepInterval, c.SendBatchSize)
	}
	if c.MetricsAddr != "" {
		t.Errorf("the metrics listener must be off by default: %q", c.MetricsAddr)
	}
}

func TestFlagWinsOverEnvironment(t *testing.T) {
	c, err := load(t, []string{"--http-addr", ":9999"}, map[string]string{"FOLLOWUP_HTTP_ADDR": ":7777", "FOLLOWUP_SMTP_PORT": "587"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != ":9999" {
		t.Errorf("flag should win: got %s", c.HTTPAddr)
	}
	if c.SMTP.Port != 587 {
		t.Errorf("env should apply: got %d", c.SMTP.Port)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	cases := []struct {
		name     string
		env      map[string]string
		opts     Options
		variable string
		want     string // part of the message
		leaks    string // must not appear in the message
	}{
		{"database url not a url", map[string]string{"FOLLOWUP_DATABASE_URL": "localhost:5432"}, Options{}, "FOLLOWUP_DATABASE_URL", "PostgreSQL URL", "localhost:5432"},
		{"database url wrong scheme", map[string]string{"FOLLOWUP_DATABASE_URL": "mysql://u@h/db"}, Options{}, "FOLLOWUP_DATABASE_URL", "PostgreSQL URL", ""},
		{"redis url", map[string]string{"FOLLOWUP_REDIS_URL": "127.0.0.1:6379"}, Options{}, "FOLLOWUP_REDIS_URL", "Redis URL", ""},
		{"secret missing", nil, Options{RequireSecret: true}, "FOLLOWUP_SECRET", "at least 32 bytes", ""},
		{"secret short", map[string]string{"FOLLOWUP_SECRET": "short-secret"}, Options{}, "FOLLOWUP_SECRET", "got 12 bytes", "short-secret"},
		{"previous secret short", map[string]string{"FOLLOWUP_PREVIOUS_SECRETS": goodSecret + ",tiny"}, Options{}, "FOLLOWUP_PREVIOUS_SECRETS", "secret 2 has 4 bytes", "tiny"},
		{"port", map[string]string{"FOLLOWUP_SMTP_PORT": "70000"}, Options{}, "FOLLOWUP_SMTP_PORT", "between 1 and 65535", ""},
		{"tls", map[string]string{"FOLLOWUP_SMTP_TLS": "maybe"}, Options{}, "FOLLOWUP_SMTP_TLS", "none, opportunistic, mandatory", ""},
		{"from", map[string]string{"FOLLOWUP_SMTP_FROM": "not an address"}, Options{}, "FOLLOWUP_SMTP_FROM", "email address", ""},
		{"from with newline", map[string]string{"FOLLOWUP_SMTP_FROM": "a@b.c\r\nBcc: x@y.z"}, Options{}, "FOLLOWUP_SMTP_FROM", "one line", ""},
		{"base url relative", map[string]string{"FOLLOWUP_BASE_URL": "/survey"}, Options{}, "FOLLOWUP_BASE_URL", "absolute http(s) URL", ""},
		{"duration", map[string]string{"FOLLOWUP_SWEEP_INTERVAL": "fast"}, Options{}, "FOLLOWUP_SWEEP_INTERVAL", "duration", ""},
		{"concurrency", map[string]string{"FOLLOWUP_WORKER_CONCURRENCY": "0"}, Options{}, "FOLLOWUP_WORKER_CONCURRENCY", "between 1 and 1000", ""},
		{"colour", map[string]string{"FOLLOWUP_BRAND_COLOR": "blue"}, Options{}, "FOLLOWUP_BRAND_COLOR", "#rrggbb", ""},
		{"text colour", map[string]string{"FOLLOWUP_BRAND_TEXT_COLOR": "white"}, Options{}, "FOLLOWUP_BRAND_TEXT_COLOR", "#rrggbb", ""},
		{"white on yellow", map[string]string{"FOLLOWUP_BRAND_COLOR": "#f2b705"}, Options{}, "FOLLOWUP_BRAND_TEXT_COLOR", "readable on FOLLOWUP_BRAND_COLOR #f2b705 (contrast 1.8:1", ""},
		{"queue prefix", map[string]string{"FOLLOWUP_QUEUE_PREFIX": "a:b"}, Options{}, "FOLLOWUP_QUEUE_PREFIX", "letters", ""},
		{"log level", map[string]string{"FOLLOWUP_LOG_LEVEL": "loud"}, Options{}, "FOLLOWUP_LOG_LEVEL", "debug, info", ""},
		{"webhook without secret", map[string]string{"FOLLOWUP_ALERT_WEBHOOK_URL": "https://hooks.example/x"}, Options{}, "FOLLOWUP_ALERT_WEBHOOK_SECRET", "when FOLLOWUP_ALERT_WEBHOOK_URL is set", ""},
		{"webhook not a URL", map[string]string{"FOLLOWUP_ALERT_WEBHOOK_URL": "hooks"}, Options{}, "FOLLOWUP_ALERT_WEBHOOK_URL", "http(s) URL", ""},
		{"alert emails", map[string]string{"FOLLOWUP_ALERT_EMAILS": "a@x.test, nope"}, Options{}, "FOLLOWUP_ALERT_EMAILS", `"nope" is not one`, ""},
		{"smtp rate", map[string]string{"FOLLOWUP_SMTP_RATE": "fast"}, Options{}, "FOLLOWUP_SMTP_RATE", "messages per second", ""},
		{"metrics addr without port", map[string]string{"FOLLOWUP_METRICS_ADDR": "127.0.0.1"}, Options{}, "FOLLOWUP_METRICS_ADDR", "host:port", ""},
		{"metrics addr port out of range", map[string]string{"FOLLOWUP_METRICS_ADDR": ":70000"}, Options{}, "FOLLOWUP_METRICS_ADDR", "host:port", ""},
		{"metrics addr named port", map[string]string{"FOLLOWUP_METRICS_ADDR": "127.0.0.1:prometheus"}, Options{}, "FOLLOWUP_METRICS_ADDR", "host:port", ""},
		{"contact url not a url", map[string]string{"FOLLOWUP_CONTACT_URL": "www.example.com/contact"}, Options{}, "FOLLOWUP_CONTACT_URL", "http(s) URL", ""},
		{"contact url javascript", map[string]string{"FOLLOWUP_CONTACT_URL": "javascript:alert(1)"}, Options{}, "FOLLOWUP_CONTACT_URL", "http(s) URL", ""},
		{"capture addr without port", map[string]string{"FOLLOWUP_CAPTURE_ADDR": "127.0.0.1"}, Options{}, "FOLLOWUP_CAPTURE_ADDR", "host:port", ""},
		{"smtp ca file missing", map[string]string{"FOLLOWUP_SMTP_CA_FILE": "/nonexistent/ca.pem"}, Options{}, "FOLLOWUP_SMTP_CA_FILE", "readable PEM file", ""},
		{"smtp ca file without certificates", map[string]string{"FOLLOWUP_SMTP_CA_FILE": "config_test.go"}, Options{}, "FOLLOWUP_SMTP_CA_FILE", "at least one CA certificate", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, nil, tc.env, tc.opts)
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("want *Error, got %v", err)
			}
			msg := err.Error()
			if ce.Env != tc.variable || !strings.Contains(msg, tc.variable) || !strings.Contains(msg, tc.want) {
				t.Errorf("message %q should name %s and say %q", msg, tc.variable, tc.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("message must be one line: %q", msg)
			}
			if tc.leaks != "" && strings.Contains(msg, tc.leaks) {
				t.Errorf("message %q must not echo the secret value", msg)
			}
		})
	}
}

func TestMetricsAddrAcceptsAnyPortIncludingZero(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:9464", ":9464", "[::1]:9464", "127.0.0.1:0"} {
		c, err := load(t, []string{"--metrics-addr", addr}, nil, Options{})
		if err != nil || c.MetricsAddr != addr {
			t.Errorf("--metrics-addr %s: %q, %v", addr, c.MetricsAddr, err)
		}
	}
}

func TestSecretsAreKept(t *testing.T) {
	c, err := load(t, nil, map[string]string{"FOLLOWUP_SECRET": goodSecret, "FOLLOWUP_PREVIOUS_SECRETS": strings.Repeat("a", 32) + "," + strings.Repeat("b", 40)}, Options{RequireSecret: true})
	if err != nil {
		t.Fatal(err)
	}
	if string(c.Secret) != goodSecret || len(c.PreviousSecrets) != 2 || len(c.PreviousSecrets[1]) != 40 {
		t.Errorf("secrets not parsed: %q %q", c.Secret, c.PreviousSecrets)
	}
}

// TestReadmeDocumentsEverySetting keeps the README's configuration table
// true: it is the one followup config prints, row for row (variable, flag,
// default and meaning), so a setting cannot be added, renamed or
// redocumented without the README.
func TestReadmeDocumentsEverySetting(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatalf("read README: %v", err)
	}
	for _, name := range Names() {
		if !strings.Contains(string(readme), "`"+name+"`") {
			t.Errorf("README.md does not document %s", name)
		}
	}
	var table strings.Builder
	if err := WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), table.String()) {
		t.Errorf("README.md's configuration table differs from the settings; replace it with the output of followup config:\n%s", table.String())
	}
}

// TestDemoCaptureAddrIsASetting: the demo's SMTP capture address is read
// like every other setting, from FOLLOWUP_CAPTURE_ADDR or --capture-addr,
// so a second demo on the same machine can be given another port.
func TestDemoCaptureAddrIsASetting(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"default", nil, nil, "127.0.0.1:2525"},
		{"environment", nil, map[string]string{"FOLLOWUP_CAPTURE_ADDR": "127.0.0.1:2626"}, "127.0.0.1:2626"},
		{"flag wins", []string{"--capture-addr", "127.0.0.1:2727"}, map[string]string{"FOLLOWUP_CAPTURE_ADDR": "127.0.0.1:2626"}, "127.0.0.1:2727"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(t, tc.args, tc.env, Options{})
			if err != nil || c.CaptureAddr != tc.want {
				t.Errorf("capture address %q, %v; want %q", c.CaptureAddr, err, tc.want)
			}
		})
	}
}

// TestSMTPCAFileIsTrusted: the authorities of FOLLOWUP_SMTP_CA_FILE are the
// ones the SMTP client trusts; by default the system's (nil).
func TestSMTPCAFileIsTrusted(t *testing.T) {
	c, err := load(t, nil, nil, Options{})
	if err != nil || c.SMTP.RootCAs != nil {
		t.Fatalf("default: %v, roots %v; want the system's (nil)", err, c.SMTP.RootCAs)
	}
	cert, err := capture.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, cert.PEM, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err = load(t, []string{"--smtp-ca-file", file}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	leaf := cert.TLS.Certificates[0].Leaf
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: c.SMTP.RootCAs, DNSName: "127.0.0.1"}); err != nil || c.SMTP.CAFile != file {
		t.Errorf("the CA file's certificate is not trusted: %v (file %q)", err, c.SMTP.CAFile)
	}
}

// TestContactOfTheTeam: customers are offered the CX reply address, else
// the sender, and the contact page when one is set.
func TestContactOfTheTeam(t *testing.T) {
	cases := []struct {
		name  string
		env   map[string]string
		email string
		url   string
	}{
		{"defaults: the sender", nil, "surveys@followup.localhost", ""},
		{"the sender configured", map[string]string{"FOLLOWUP_SMTP_FROM": "Acme <hello@acme.test>"}, "hello@acme.test", ""},
		{"the CX reply address wins", map[string]string{"FOLLOWUP_SMTP_FROM": "hello@acme.test", "FOLLOWUP_CX_REPLY_TO": "Care <care@acme.test>"}, "care@acme.test", ""},
		{"a contact page", map[string]string{"FOLLOWUP_CONTACT_URL": "https://acme.test/contact?from=survey"}, "surveys@followup.localhost", "https://acme.test/contact?from=survey"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(t, nil, tc.env, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if c.ContactEmail() != tc.email || c.Brand.ContactURL != tc.url {
				t.Errorf("contact %q and %q, want %q and %q", c.ContactEmail(), c.Brand.ContactURL, tc.email, tc.url)
			}
		})
	}
}

func TestInboundSettings(t *testing.T) {
	c, err := load(t, nil, map[string]string{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Inbound.Domain != "" || c.Inbound.MaxBytes != 20<<20 || c.Inbound.ClientLimit.N != 120 || c.Inbound.TLS != nil {
		t.Errorf("defaults: %+v; want two-way email off, 20MB, 120/1m, no STARTTLS", c.Inbound)
	}
	c, err = load(t, nil, map[string]string{"FOLLOWUP_INBOUND_DOMAIN": "Reply.Example.COM", "FOLLOWUP_INBOUND_MAX_SIZE": "512KB",
		"FOLLOWUP_INBOUND_CLIENT_LIMIT": "off", "FOLLOWUP_INBOUND_REOPEN_WITHIN": "48h"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Inbound.Domain != "reply.example.com" || c.Inbound.MaxBytes != 512<<10 || c.Inbound.ClientLimit.N != 0 || c.Inbound.ReopenWithin != 48*time.Hour {
		t.Errorf("set: %+v", c.Inbound)
	}
	for env, bad := range map[string]string{"FOLLOWUP_INBOUND_DOMAIN": "reply@example.com", "FOLLOWUP_INBOUND_MAX_SIZE": "200MB",
		"FOLLOWUP_INBOUND_ADDR": "25", "FOLLOWUP_INBOUND_TLS_CERT": "/nonexistent.pem"} {
		if _, err := load(t, nil, map[string]string{env: bad}, Options{}); err == nil || !strings.Contains(err.Error(), env) {
			t.Errorf("%s=%q: %v, want an error naming it", env, bad, err)
		}
	}
}

func TestDKIMSettings(t *testing.T) {
	dir := t.TempDir()
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	der, _ := x509.MarshalPKCS8PrivateKey(ed)
	good := filepath.Join(dir, "dkim.pem")
	if err := os.WriteFile(good, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ = x509.MarshalPKCS8PrivateKey(ec)
	unsupported := filepath.Join(dir, "ec.pem")
	if err := os.WriteFile(unsupported, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := load(t, nil, map[string]string{"FOLLOWUP_DKIM_KEY_FILE": good, "FOLLOWUP_DKIM_SELECTOR": "fu2026"}, Options{})
	if err != nil || len(c.DKIM.Key) == 0 || c.DKIM.Selector != "fu2026" {
		t.Fatalf("a good key: %v %+v", err, c.DKIM)
	}
	for name, env := range map[string]map[string]string{
		"no selector":      {"FOLLOWUP_DKIM_KEY_FILE": good},
		"missing file":     {"FOLLOWUP_DKIM_KEY_FILE": filepath.Join(dir, "none.pem"), "FOLLOWUP_DKIM_SELECTOR": "s"},
		"an ECDSA key":     {"FOLLOWUP_DKIM_KEY_FILE": unsupported, "FOLLOWUP_DKIM_SELECTOR": "s"},
		"not a key at all": {"FOLLOWUP_DKIM_KEY_FILE": "config_test.go", "FOLLOWUP_DKIM_SELECTOR": "s"},
	} {
		if _, err := load(t, nil, env, Options{}); err == nil || !strings.Contains(err.Error(), "FOLLOWUP_DKIM_") {
			t.Errorf("%s: %v, want an error naming the setting", name, err)
		}
	}
}

func TestInboundIMAPURL(t *testing.T) {
	cases := []struct{ raw, addr, security, user, pass, mailbox string }{
		{"imaps://replies%40acme.test:s3cret@imap.acme.test/Support", "imap.acme.test:993", "tls", "replies@acme.test", "s3cret", "Support"},
		{"imap://replies:pw@imap.acme.test", "imap.acme.test:143", "starttls", "replies", "pw", "INBOX"},
		{"imap+plain://replies:pw@127.0.0.1:1143/INBOX", "127.0.0.1:1143", "plain", "replies", "pw", "INBOX"},
	}
	for _, c := range cases {
		cfg, err := load(t, nil, map[string]string{"FOLLOWUP_INBOUND_IMAP_URL": c.raw}, Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.raw, err)
		}
		m := cfg.Inbound.IMAP
		if m.Addr != c.addr || m.Security != c.security || m.Username != c.user || m.Password != c.pass || m.Mailbox != c.mailbox {
			t.Errorf("%s: %+v", c.raw, m)
		}
	}
	for _, bad := range []string{"https://u:p@imap.acme.test", "imaps://imap.acme.test/INBOX", "imaps://"} {
		_, err := load(t, nil, map[string]string{"FOLLOWUP_INBOUND_IMAP_URL": bad}, Options{})
		if err == nil || !strings.Contains(err.Error(), "FOLLOWUP_INBOUND_IMAP_URL") || strings.Contains(err.Error(), "u:p") {
			t.Errorf("%s: %v, want an error naming the setting and not its secret", bad, err)
		}
	}
}
