package receive_test

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/mail/receive"
	"github.com/followup/followup/worker"
)

// imapMailbox runs an in-process IMAP server (go-imap's) with STARTTLS
// and one user whose INBOX holds raws.
func imapMailbox(t *testing.T, cert *capture.Certificate) string {
	t.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser("replies", "secret")
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:      imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		TLSConfig: cert.TLS,
		Logger:    slogLogger{},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

type slogLogger struct{}

func (slogLogger) Printf(string, ...any) {}

// appendTo delivers raw into the mailbox with a real IMAP client, as the
// company's mail server would.
func appendTo(t *testing.T, addr string, cert *capture.Certificate, raws ...string) {
	t.Helper()
	c, err := imapclient.DialStartTLS(addr, &imapclient.Options{TLSConfig: &tls.Config{RootCAs: cert.Pool, ServerName: "127.0.0.1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("replies", "secret").Wait(); err != nil {
		t.Fatal(err)
	}
	for _, raw := range raws {
		cmd := c.Append("INBOX", int64(len(raw)), nil)
		if _, err := io.WriteString(cmd, raw); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestIMAPPollerEmptiesTheMailboxOnce: the poller stores every message of
// the mailbox once, with what its signed recipient names (an unsigned one
// names nothing and will wait unmatched), deletes them from the mailbox
// only once stored, and takes nothing twice.
func TestIMAPPollerEmptiesTheMailboxOnce(t *testing.T) {
	e := start(t, options{})
	cert, err := capture.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	addr := imapMailbox(t, cert)
	signed := e.addrs.Address(inbound.KindInvitation, 12)
	appendTo(t, addr, cert,
		strings.ReplaceAll(string(reply(signed, "Replied through the company mailbox.")), "\r\nTo: ", "\r\nDelivered-To: "+signed+"\r\nTo: "),
		string(reply("care@acme.test", "Sent to the old care address.")))
	p, err := receive.NewPoller(receive.PollerConfig{Addr: addr, Security: receive.IMAPStartTLS,
		TLS: &tls.Config{RootCAs: cert.Pool, ServerName: "127.0.0.1"}, Username: "replies", Password: "secret",
		Addresses: e.addrs, Store: inbound.NewStore(e.db),
		Queue: worker.NewClient(e.queues.Redis, worker.ClientConfig{Queues: worker.Queues{Prefix: e.queues.Prefix}}),
		Log:   slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if n, err := p.Poll(ctx); err != nil || n != 2 {
		t.Fatalf("poll: %d taken, %v; want 2", n, err)
	}
	var rows []struct {
		Source string `db:"source"`
		Kind   string `db:"route_kind"`
		Rcpt   string `db:"rcpt_to"`
	}
	if err := e.db.Select(&rows, `SELECT source, route_kind, rcpt_to FROM inbound_messages ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Kind != "i" || rows[0].Rcpt != strings.ToLower(signed) || rows[1].Kind != "" || rows[0].Source != "imap" {
		t.Errorf("stored %+v", rows)
	}
	if n, err := p.Poll(ctx); err != nil || n != 0 {
		t.Errorf("second poll: %d taken, %v; the mailbox should be empty", n, err)
	}
	// The same message delivered again (a copy left by another client) is
	// taken from the mailbox but stored once.
	appendTo(t, addr, cert, string(reply("care@acme.test", "Sent to the old care address.")))
	if n, err := p.Poll(ctx); err != nil || n != 1 {
		t.Errorf("third poll: %d taken, %v", n, err)
	}
	if n := e.count(t); n != 2 {
		t.Errorf("%d stored, want 2", n)
	}
}
