package mail

import (
	"context"
	netmail "net/mail"
	"testing"
	"time"

	"github.com/followup/followup/mail/capture"
)

// TestAConnectionOutlivesItsDeadline: the timeout bounds each message's
// exchange, not the connection's life. A pooled connection whose deadline
// (set when it opened, or for its last message) has passed still sends:
// the deadline is set again for each message. The test puts the deadline
// in the past instead of waiting for it.
func TestAConnectionOutlivesItsDeadline(t *testing.T) {
	for _, noPipelining := range []bool{false, true} {
		srv, err := capture.Start(capture.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Close() })
		s, err := NewSender(Config{Host: "127.0.0.1", Port: srv.Port(), TLS: TLSNone, PoolSize: 1, NoPipelining: noPipelining,
			From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		one := func(to string) error {
			return s.Send(context.Background(), []Message{{To: &netmail.Address{Address: to}, Subject: "hi", Text: "hello"}})[0]
		}
		if err := one("first@x.test"); err != nil {
			t.Fatal(err)
		}
		c := <-s.pool.idle
		if err := c.raw.SetDeadline(time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		s.pool.idle <- c
		if err := one("second@x.test"); err != nil {
			t.Errorf("pipelining off %v: a connection past its old deadline: %v", noPipelining, err)
		}
		if n := srv.Connections(); n != 1 {
			t.Errorf("pipelining off %v: %d connections, want one carrying both", noPipelining, n)
		}
	}
}
