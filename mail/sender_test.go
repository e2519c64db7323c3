package mail_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	"github.com/emersion/go-smtp"

	"github.com/followup/followup/mail"
	"github.com/followup/followup/mail/capture"
)

func newSender(t *testing.T, port int) *mail.Sender {
	t.Helper()
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, NoPipelining: serial(t),
		From: &netmail.Address{Name: "Acme Surveys", Address: "surveys@acme.test"}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func msg(to, subject string) mail.Message {
	return mail.Message{To: &netmail.Address{Name: "Zoé Tremblay", Address: to}, MessageID: "invitation-1@acme.test",
		Subject: subject, Text: "Bonjour Zoé, https://example.test/s/abc", HTML: "<p>Bonjour <b>Zoé</b></p>"}
}

// bothWays runs test with pipelining and, as "serial", one command at a
// time (see serial).
func bothWays(t *testing.T, test func(t *testing.T)) {
	t.Run("pipelined", test)
	t.Run("serial", test)
}

// serial tells a test run by bothWays to send one command at a time.
func serial(t *testing.T) bool { return strings.Contains(t.Name(), "/serial") }

// holdUntil makes srv hold each message at RCPT until n are held at once
// (or wait, whichever comes first), so that n connections are open
// together; it returns a channel closed when they were.
func holdUntil(srv *capture.Server, n int32, wait time.Duration) <-chan struct{} {
	var arrived atomic.Int32
	all := make(chan struct{})
	srv.OnRcpt(func(string) error {
		if arrived.Add(1) == n {
			close(all)
		}
		select {
		case <-all:
		case <-time.After(wait):
		}
		return nil
	})
	return all
}

func startCapture(t *testing.T) *capture.Server {
	t.Helper()
	srv, err := capture.Start(capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func startCaptureOn(t *testing.T, port int) (*capture.Server, error) {
	t.Helper()
	srv, err := capture.Start(capture.Options{Addr: fmt.Sprintf("127.0.0.1:%d", port)})
	if err != nil {
		return nil, err
	}
	t.Cleanup(func() { srv.Close() })
	return srv, nil
}

func TestSendManyOverOneConnection(t *testing.T) { bothWays(t, testSendManyOverOneConnection) }

func testSendManyOverOneConnection(t *testing.T) {
	srv := startCapture(t)
	s := newSender(t, srv.Port())
	msgs := []mail.Message{msg("a@x.test", "Comment ça s'est passé ?"), msg("b@x.test", "two"), msg("c@x.test", "three")}
	msgs[0].Headers = map[string]string{"X-Followup-Invitation": "1"}
	for i, err := range s.Send(context.Background(), msgs) {
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	got := srv.Messages()
	if len(got) != 3 || srv.Connections() != 1 {
		t.Fatalf("%d messages over %d connections, want 3 over 1", len(got), srv.Connections())
	}
	p, err := got[0].Parsed()
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "Comment ça s'est passé ?" {
		t.Errorf("subject %q", p.Subject)
	}
	if strings.Join(p.Structure, " ") != "multipart/alternative text/plain text/html" {
		t.Errorf("structure %v: text first, HTML last", p.Structure)
	}
	if p.Header.Get("Message-Id") != "<invitation-1@acme.test>" || p.Header.Get("X-Followup-Invitation") != "1" {
		t.Errorf("headers %v", p.Header)
	}
	if !strings.Contains(p.Header.Get("From"), "surveys@acme.test") || got[0].From != "surveys@acme.test" {
		t.Errorf("from %q / envelope %q", p.Header.Get("From"), got[0].From)
	}
	if !strings.Contains(p.Text(), "Bonjour Zoé") || !strings.Contains(p.HTML(), "<b>Zoé</b>") {
		t.Errorf("bodies %q %q", p.Text(), p.HTML())
	}
}

func TestFailuresAreClassified(t *testing.T) { bothWays(t, testFailuresAreClassified) }

func testFailuresAreClassified(t *testing.T) {
	srv := startCapture(t)
	srv.OnRcpt(func(to string) error {
		switch {
		case strings.HasPrefix(to, "gone@"):
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		case strings.HasPrefix(to, "busy@"):
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
		case strings.HasPrefix(to, "relay@"):
			return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Relay access denied"}
		}
		return nil
	})
	s := newSender(t, srv.Port())
	bad := msg("inject@x.test", "hello\r\nBcc: victim@x.test")
	badHeader := msg("h@x.test", "ok")
	badHeader.Headers = map[string]string{"List-Unsubscribe": "<https://x.test/u>\r\nBcc: victim@x.test"}
	res := s.Send(context.Background(), []mail.Message{msg("ok@x.test", "1"), msg("gone@x.test", "2"), msg("busy@x.test", "3"), bad, badHeader, msg("ok2@x.test", "4"),
		msg("relay@x.test", "5")})
	want := []struct {
		fails, temp bool
		code        int
	}{{false, false, 0}, {true, false, 550}, {true, true, 451}, {true, false, 0}, {true, false, 0}, {false, false, 0},
		{true, true, 554}} // a policy refusal (5.7.1) is not the address's fault: retried
	for i, w := range want {
		var de *mail.DeliveryError
		if (res[i] != nil) != w.fails {
			t.Errorf("message %d: err %v, want failure %v", i, res[i], w.fails)
			continue
		}
		if res[i] == nil {
			continue
		}
		if !errors.As(res[i], &de) || de.Temporary != w.temp || de.Code != w.code {
			t.Errorf("message %d: %v, want temporary=%v code=%d", i, res[i], w.temp, w.code)
		}
		if bounce := w.code == 550; de != nil && (w.code >= 500) && de.Recipient != bounce {
			t.Errorf("message %d: recipient at fault %v, want %v (only 5.1.x says the address is bad)", i, de.Recipient, bounce)
		}
	}
	if !errors.Is(res[3], mail.ErrUnsafeHeader) || !errors.Is(res[4], mail.ErrUnsafeHeader) {
		t.Errorf("header injection not refused: %v / %v", res[3], res[4])
	}
	for _, m := range srv.Messages() {
		if strings.Contains(string(m.Raw), "victim") {
			t.Errorf("an injected header went out: %s", m.Raw)
		}
	}
	if n := len(srv.Messages()); n != 2 {
		t.Errorf("%d messages accepted, want 2", n)
	}
}

func TestServerDownOrDroppingIsTemporary(t *testing.T) {
	bothWays(t, testServerDownOrDroppingIsTemporary)
}

func testServerDownOrDroppingIsTemporary(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens here any more
	for i, err := range newSender(t, port).Send(context.Background(), []mail.Message{msg("a@x.test", "1"), msg("b@x.test", "2")}) {
		var de *mail.DeliveryError
		if !errors.As(err, &de) || !de.Temporary {
			t.Errorf("connection refused, message %d: %v, want temporary", i, err)
		}
	}

	srv := startCapture(t)
	srv.OnData(func(string) error { return capture.ErrDropConnection })
	for i, err := range newSender(t, srv.Port()).Send(context.Background(), []mail.Message{msg("a@x.test", "1"), msg("b@x.test", "2")}) {
		var de *mail.DeliveryError
		if !errors.As(err, &de) || !de.Temporary {
			t.Errorf("dropped connection, message %d: %v, want temporary", i, err)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("dropped connection kept %d messages", n)
	}
}

func TestBodiesGo8BitUnlessALineIsTooLong(t *testing.T) {
	bothWays(t, testBodiesGo8BitUnlessALineIsTooLong)
}

func testBodiesGo8BitUnlessALineIsTooLong(t *testing.T) {
	srv := startCapture(t)
	s := newSender(t, srv.Port())
	short := msg("a@x.test", "short lines")
	long := msg("b@x.test", "a long line")
	long.HTML = "<p>" + strings.Repeat("é", 1500) + "</p>"
	for _, err := range s.Send(context.Background(), []mail.Message{short, long}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	got := srv.Messages()
	if !strings.Contains(string(got[0].Raw), "Content-Transfer-Encoding: 8bit") {
		t.Errorf("short lines to an 8BITMIME server should go 8-bit")
	}
	p, _ := got[1].Parsed()
	if !strings.Contains(string(got[1].Raw), "quoted-printable") || p.HTML() != long.HTML {
		t.Errorf("a 3000-byte line must be quoted-printable and arrive intact")
	}
	for _, line := range strings.Split(string(got[1].Raw), "\n") {
		if len(line) > 998 {
			t.Fatalf("a raw line of %d bytes", len(line))
		}
	}
}

// TestEnvelopeSenderIsTheBounceAddress: a message's envelope sender (MAIL
// FROM, where delivery reports go) is its own when set, while its From line
// stays the configured sender; a line break in it is refused.
func TestEnvelopeSenderIsTheBounceAddress(t *testing.T) {
	srv := startCapture(t)
	s := newSender(t, srv.Port())
	m := msg("a@x.test", "one")
	m.EnvelopeFrom = "bi1-abcdefghijklmnop@reply.acme.test"
	plain := msg("b@x.test", "two")
	bad := msg("c@x.test", "three")
	bad.EnvelopeFrom = "x@reply.acme.test\r\nBcc: victim@x.test"
	errs := s.Send(context.Background(), []mail.Message{m, plain, bad})
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("send: %v", errs)
	}
	if !errors.Is(errs[2], mail.ErrUnsafeHeader) {
		t.Errorf("an envelope sender with a line break: %v, want ErrUnsafeHeader", errs[2])
	}
	got, err := srv.WaitFor(context.Background(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].From != m.EnvelopeFrom || got[1].From != "surveys@acme.test" {
		t.Errorf("envelope senders %q, %q; want %q then the From address", got[0].From, got[1].From, m.EnvelopeFrom)
	}
	p, err := got[0].Parsed()
	if err != nil {
		t.Fatal(err)
	}
	if from := p.Header.Get("From"); !strings.Contains(from, "surveys@acme.test") {
		t.Errorf("From line %q, want the configured sender", from)
	}
}

// TestDKIMSignsEveryMessage: with a key, every message is signed by
// go-mail's DKIM support, and the signature verifies against the public
// key published at selector._domainkey.domain, for RSA and Ed25519 keys.
func TestDKIMSignsEveryMessage(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	edPub, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaPub, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	cases := []struct {
		name, record string
		key          any
	}{
		{"rsa", "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(rsaPub), rsaKey},
		{"ed25519", "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(edPub), edKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			der, err := x509.MarshalPKCS8PrivateKey(c.key)
			if err != nil {
				t.Fatal(err)
			}
			srv := startCapture(t)
			s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSNone,
				From: &netmail.Address{Name: "Acme Surveys", Address: "surveys@acme.test"}, Timeout: 3 * time.Second,
				DKIMKey: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), DKIMSelector: "fu2026"})
			if err != nil {
				t.Fatal(err)
			}
			if errs := s.Send(context.Background(), []mail.Message{msg("a@x.test", "Comment ça s'est passé ?")}); errs[0] != nil {
				t.Fatal(errs[0])
			}
			got, err := srv.WaitFor(context.Background(), 1)
			if err != nil {
				t.Fatal(err)
			}
			verifs, err := dkim.VerifyWithOptions(bytes.NewReader(got[0].Raw), &dkim.VerifyOptions{LookupTXT: func(domain string) ([]string, error) {
				if domain != "fu2026._domainkey.acme.test" {
					return nil, fmt.Errorf("no record at %s", domain)
				}
				return []string{c.record}, nil
			}})
			if err != nil || len(verifs) != 1 || verifs[0].Err != nil || verifs[0].Domain != "acme.test" {
				t.Fatalf("DKIM verification: %v %+v", err, verifs)
			}
			// Tampered in transit, it no longer verifies.
			bad := bytes.Replace(got[0].Raw, []byte("Bonjour"), []byte("Bonsoir"), 1)
			verifs, err = dkim.VerifyWithOptions(bytes.NewReader(bad), &dkim.VerifyOptions{LookupTXT: func(string) ([]string, error) { return []string{c.record}, nil }})
			if err != nil || len(verifs) != 1 || verifs[0].Err == nil {
				t.Errorf("a changed body still verifies: %v %+v", err, verifs)
			}
		})
	}
	if _, err := mail.NewSender(mail.Config{From: &netmail.Address{Address: "s@acme.test"}, DKIMKey: []byte("not a key"), DKIMSelector: "x"}); err == nil {
		t.Error("a sender with an unreadable DKIM key was made")
	}
}
