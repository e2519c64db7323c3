package mail_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/followup/followup/mail"
)

func pooled(t *testing.T, port, size int) *mail.Sender {
	t.Helper()
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, PoolSize: size,
		From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestConnectionsAreReused(t *testing.T) {
	srv := startCapture(t)
	s := pooled(t, srv.Port(), 3)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := 0; b < 5; b++ {
				var msgs []mail.Message
				for i := 0; i < 10; i++ {
					msgs = append(msgs, msg(fmt.Sprintf("w%db%di%d@x.test", w, b, i), "hi"))
				}
				for _, err := range s.Send(context.Background(), msgs) {
					if err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if n := srv.Count(); n != 400 {
		t.Fatalf("%d messages, want 400", n)
	}
	if c := srv.Connections(); c > 3 {
		t.Errorf("400 messages over %d connections, want at most the pool's 3", c)
	}
}

// flakyServer accepts TCP connections and closes them at once, counting them.
func flakyServer(t *testing.T) (port int, accepts *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	accepts = &atomic.Int32{}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepts.Add(1)
			c.Close()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, accepts
}

func TestABrokenServerIsNotHammered(t *testing.T) {
	port, accepts := flakyServer(t)
	s := pooled(t, port, 4)
	for i := 0; i < 20; i++ {
		for _, err := range s.Send(context.Background(), []mail.Message{msg("a@x.test", "hi")}) {
			var de *mail.DeliveryError
			if !errors.As(err, &de) || !de.Temporary {
				t.Fatalf("attempt %d: %v, want a temporary failure", i, err)
			}
		}
	}
	if n := accepts.Load(); n != 1 {
		t.Errorf("20 sends while the server is broken opened %d connections, want 1 (then wait)", n)
	}
}

func TestAStaleConnectionIsReplaced(t *testing.T) {
	srv := startCapture(t)
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSNone, PoolSize: 1,
		From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if errs := s.Send(context.Background(), []mail.Message{msg("a@x.test", "1")}); errs[0] != nil {
		t.Fatal(errs[0])
	}
	// The server restarts: the pooled connection is dead.
	port := srv.Port()
	srv.Close()
	srv2, err := startCaptureOn(t, port)
	if err != nil {
		t.Skipf("port %d not free again: %v", port, err)
	}
	if errs := s.Send(context.Background(), []mail.Message{msg("b@x.test", "2")}); errs[0] != nil {
		t.Fatalf("after a server restart: %v", errs[0])
	}
	if srv2.Count() != 1 {
		t.Errorf("the message did not reach the restarted server")
	}
}
