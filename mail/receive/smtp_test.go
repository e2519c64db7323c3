package receive_test

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/hibiken/asynq"
	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/mail/capture"
	"github.com/followup/followup/mail/receive"
	"github.com/followup/followup/throttle"
	"github.com/followup/followup/worker"
)

type env struct {
	addr   string
	db     *sqlx.DB
	link   *testenv.Link
	addrs  *inbound.Addresser
	queues *testenv.Queues
	l      *receive.Listener
}

type options struct {
	maxBytes int64
	limit    throttle.Limit
	tls      *tls.Certificate
}

// start runs a listener over TCP on a migrated schema reached through a
// link the test can cut, with the real queue and the real rate limit.
func start(t *testing.T, o options) *env {
	t.Helper()
	s := testenv.NewSchema(t)
	db, link := s.Through(t)
	q := testenv.NewQueues(t)
	addrs, err := inbound.NewAddresser("reply.acme.test", []byte(testenv.Secret))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{db: s.DB, link: link, addrs: addrs, queues: q}
	e.listen(t, inbound.NewStore(db), o)
	return e
}

func (e *env) listen(t *testing.T, st *inbound.Store, o options) {
	t.Helper()
	l, err := receive.NewListener(receive.Config{Addresses: e.addrs, Store: st,
		Queue:    worker.NewClient(e.queues.Redis, worker.ClientConfig{Queues: worker.Queues{Prefix: e.queues.Prefix}}),
		MaxBytes: o.maxBytes, TLS: o.tls, Clients: throttle.New(e.queues.Redis, e.queues.Prefix, "inbound-client", o.limit),
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = l.Serve(ln) }()
	t.Cleanup(func() { l.Close() })
	e.addr, e.l = ln.Addr().String(), l
}

func (e *env) count(t *testing.T) int {
	t.Helper()
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM inbound_messages`); err != nil {
		t.Fatal(err)
	}
	return n
}

func reply(to, words string) []byte {
	return []byte(fmt.Sprintf("From: Zoé <zoe@example.fr>\r\nTo: %s\r\nSubject: Re: Votre demande #42\r\nMessage-ID: <%x@example.fr>\r\n\r\n%s\r\n",
		to, sha256.Sum256([]byte(words)), words))
}

// send delivers raw to rcpt over one SMTP session and returns the server's
// error, if any.
func send(t *testing.T, addr, from, rcpt string, raw []byte) error {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return sendOn(c, from, rcpt, raw)
}

func sendOn(c *smtp.Client, from, rcpt string, raw []byte) error {
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	if err := c.Rcpt(rcpt, nil); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	return w.Close()
}

func code(err error) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

// TestListenerStoresOnceThenQueues: a message to a signed address is
// stored with what its address names, its parsing queued; the same message
// sent again (a relay that did not hear the 250) is acknowledged and not
// stored twice.
func TestListenerStoresOnceThenQueues(t *testing.T) {
	e := start(t, options{})
	to := e.addrs.Address(inbound.KindComplaint, 42)
	raw := reply(to, "Toujours rien reçu.")
	for i := 0; i < 2; i++ {
		if err := send(t, e.addr, "zoe@example.fr", to, raw); err != nil {
			t.Fatalf("send %d: %v", i+1, err)
		}
	}
	var rows []struct {
		ID        int64  `db:"id"`
		Kind      string `db:"route_kind"`
		RouteID   int64  `db:"route_id"`
		From      string `db:"mail_from"`
		MessageID string `db:"message_id"`
		Raw       []byte `db:"raw"`
		State     string `db:"state"`
	}
	if err := e.db.Select(&rows, `SELECT id, route_kind, route_id, mail_from, message_id, raw, state FROM inbound_messages`); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("%d rows stored, want the message once", len(rows))
	}
	r := rows[0]
	if r.Kind != "c" || r.RouteID != 42 || r.From != "zoe@example.fr" || r.State != "received" || !bytes.Contains(r.Raw, []byte("Toujours rien reçu.")) || r.MessageID == "" {
		t.Errorf("stored %+v", r)
	}
	insp := asynq.NewInspectorFromRedisClient(e.queues.Redis)
	info, err := insp.GetTaskInfo(e.queues.Prefix+worker.QueueCritical, worker.TypeInboundParse+":"+fmt.Sprint(r.ID))
	if err != nil || info.Type != worker.TypeInboundParse {
		t.Errorf("parsing not queued: %v %v", info, err)
	}
}

// TestForeignAndTamperedRecipientsAreRefused: only the addresses we signed
// are taken, at RCPT time: no open relay, no backscatter.
func TestForeignAndTamperedRecipientsAreRefused(t *testing.T) {
	e := start(t, options{})
	good := e.addrs.Address(inbound.KindInvitation, 7)
	cases := []struct {
		name, rcpt string
		code       int
	}{
		{"another domain", "someone@example.com", 550},
		{"id changed", strings.Replace(good, "i7-", "i8-", 1), 550},
		{"kind changed", strings.Replace(good, "i7-", "c7-", 1), 550},
		{"guessed", "postmaster@reply.acme.test", 550},
	}
	for _, c := range cases {
		if err := send(t, e.addr, "x@example.com", c.rcpt, reply(c.rcpt, "hello there")); code(err) != c.code {
			t.Errorf("%s: %v, want %d", c.name, err, c.code)
		}
	}
	if n := e.count(t); n != 0 {
		t.Errorf("%d messages stored from refused recipients", n)
	}
}

// TestOversizedMessageIsRefusedCleanly: a 25 MB message gets 552, nothing
// is stored, and the connection still carries the next message.
func TestOversizedMessageIsRefusedCleanly(t *testing.T) {
	e := start(t, options{maxBytes: 20 << 20})
	to := e.addrs.Address(inbound.KindComplaint, 42)
	c, err := smtp.Dial(e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	big := append(reply(to, "a photo of the parcel"), bytes.Repeat([]byte(strings.Repeat("A", 76)+"\r\n"), 25<<20/78)...)
	if err := sendOn(c, "zoe@example.fr", to, big); code(err) != 552 {
		t.Fatalf("a 25 MB message: %v, want 552", err)
	}
	if err := sendOn(c, "zoe@example.fr", to, reply(to, "without the photo then")); err != nil {
		t.Fatalf("the next message on the connection: %v", err)
	}
	var sizes []int
	if err := e.db.Select(&sizes, `SELECT size FROM inbound_messages`); err != nil {
		t.Fatal(err)
	}
	if len(sizes) != 1 || sizes[0] > 1000 {
		t.Errorf("stored sizes %v, want the small message only", sizes)
	}
}

// TestDatabaseDownDefersTheSender: while PostgreSQL cannot be reached the
// sender is told to retry (4xx) before it sends the message; once back,
// the message is taken.
func TestDatabaseDownDefersTheSender(t *testing.T) {
	e := start(t, options{})
	to := e.addrs.Address(inbound.KindComplaint, 42)
	e.link.Cut()
	if err := send(t, e.addr, "zoe@example.fr", to, reply(to, "are you there?")); code(err)/100 != 4 {
		t.Fatalf("database down: %v, want a 4xx", err)
	}
	e.link.Restore()
	if err := send(t, e.addr, "zoe@example.fr", to, reply(to, "are you there?")); err != nil {
		t.Fatalf("database back: %v", err)
	}
	if n := e.count(t); n != 1 {
		t.Errorf("%d stored, want 1", n)
	}
}

// TestClientsAreRateLimited: past its limit, a client is told to retry
// later (450) and nothing more is stored.
func TestClientsAreRateLimited(t *testing.T) {
	e := start(t, options{limit: throttle.Limit{Attempts: 2, Per: time.Minute}})
	to := e.addrs.Address(inbound.KindComplaint, 42)
	for i := 0; i < 2; i++ {
		if err := send(t, e.addr, "zoe@example.fr", to, reply(to, fmt.Sprintf("message number %d", i))); err != nil {
			t.Fatalf("message %d within the limit: %v", i, err)
		}
	}
	if err := send(t, e.addr, "zoe@example.fr", to, reply(to, "one message too many")); code(err) != 450 {
		t.Fatalf("over the limit: %v, want 450", err)
	}
	if n := e.count(t); n != 2 {
		t.Errorf("%d stored, want 2", n)
	}
}

// TestListenerKilledMidMessageLosesNothing: a listener closed while a
// message is being sent stores nothing (the sender got no 250 and sends it
// again); sent again to a new listener, it is stored once.
func TestListenerKilledMidMessageLosesNothing(t *testing.T) {
	e := start(t, options{})
	to := e.addrs.Address(inbound.KindComplaint, 42)
	raw := reply(to, "half of this arrives first")
	c, err := smtp.Dial(e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("zoe@example.fr", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt(to, nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(raw[:len(raw)/2]); err != nil {
		t.Fatal(err)
	}
	e.l.Close() // killed mid-message
	if err := w.Close(); err == nil {
		t.Fatal("the message was acknowledged by a listener that was killed")
	}
	if n := e.count(t); n != 0 {
		t.Fatalf("%d stored from a cut message", n)
	}
	e.listen(t, inbound.NewStore(e.db), options{})
	for i := 0; i < 2; i++ { // sent again, and once more by a relay that missed the 250
		if err := send(t, e.addr, "zoe@example.fr", to, raw); err != nil {
			t.Fatalf("resent: %v", err)
		}
	}
	if n := e.count(t); n != 1 {
		t.Errorf("%d stored, want 1", n)
	}
}

// TestSTARTTLS: with a certificate the listener offers STARTTLS, and a
// message sent over it is stored.
func TestSTARTTLS(t *testing.T) {
	cert, err := capture.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, options{tls: &cert.TLS.Certificates[0]})
	plain, err := smtp.Dial(e.addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := plain.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := plain.Extension("STARTTLS"); !ok {
		t.Fatal("STARTTLS not offered")
	}
	plain.Close()
	c, err := smtp.DialStartTLS(e.addr, &tls.Config{RootCAs: cert.Pool, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, ok := c.TLSConnectionState(); !ok {
		t.Fatal("not over TLS")
	}
	to := e.addrs.Address(inbound.KindInvitation, 3)
	if err := sendOn(c, "sam@example.com", to, reply(to, "sent over TLS")); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t); n != 1 {
		t.Errorf("%d stored, want 1", n)
	}
}
