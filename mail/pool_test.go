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
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, PoolSize: size, NoPipelining: serial(t),
		From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func TestConnectionsAreReused(t *testing.T) { bothWays(t, testConnectionsAreReused) }

func testConnectionsAreReused(t *testing.T) {
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

func TestAStaleConnectionIsReplaced(t *testing.T) { bothWays(t, testAStaleConnectionIsReplaced) }

func testAStaleConnectionIsReplaced(t *testing.T) {
	srv := startCapture(t)
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSNone, PoolSize: 1, NoPipelining: serial(t),
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

// TestARestartCostsNoMessage: after the server restarts, every pooled
// connection is dead. A connection found broken mid-chunk, even after some
// messages, is replaced for the message it failed, and the idle connections
// as old are not tried: every message of the chunks that follow goes out.
func TestARestartCostsNoMessage(t *testing.T) { bothWays(t, testARestartCostsNoMessage) }

func testARestartCostsNoMessage(t *testing.T) {
	srv := startCapture(t)
	port := srv.Port()
	s := pooled(t, port, 4)
	// Four connections open at once (each message is held until all four
	// are in), then idle.
	holdUntil(srv, 4, time.Second)
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, err := range s.Send(context.Background(), []mail.Message{msg(fmt.Sprintf("w%d@x.test", w), "warm")}) {
				if err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if n := srv.Connections(); n != 4 {
		t.Fatalf("%d connections warmed, want 4", n)
	}
	srv.Close()
	srv2, err := startCaptureOn(t, port)
	if err != nil {
		t.Skipf("port %d not free again: %v", port, err)
	}
	for chunk := 0; chunk < 3; chunk++ {
		var msgs []mail.Message
		for i := 0; i < 10; i++ {
			msgs = append(msgs, msg(fmt.Sprintf("c%di%d@x.test", chunk, i), "after"))
		}
		for i, err := range s.Send(context.Background(), msgs) {
			if err != nil {
				t.Errorf("chunk %d message %d after the restart: %v", chunk, i, err)
			}
		}
	}
	if n := srv2.Count(); n != 30 {
		t.Errorf("the restarted server received %d messages, want 30", n)
	}
}

// TestSendEachStopsWhenTheCallerCannotRecord: accepted is called after each
// 250, before the next message; when it fails, nothing more is sent.
func TestSendEachStopsWhenTheCallerCannotRecord(t *testing.T) {
	bothWays(t, testSendEachStopsWhenTheCallerCannotRecord)
}

func testSendEachStopsWhenTheCallerCannotRecord(t *testing.T) {
	srv := startCapture(t)
	s := pooled(t, srv.Port(), 1)
	var msgs []mail.Message
	for i := 0; i < 10; i++ {
		msgs = append(msgs, msg(fmt.Sprintf("m%d@x.test", i), "hi"))
	}
	var recorded []int
	errDown := errors.New("database down")
	results := s.SendEach(context.Background(), msgs, func(i int) error {
		if got := srv.Count(); got != len(recorded)+1 {
			t.Errorf("message %d reported with %d messages at the server, want %d: one at a time", i, got, len(recorded)+1)
		}
		if i == 3 {
			return errDown
		}
		recorded = append(recorded, i)
		return nil
	})
	if srv.Count() != 4 || len(recorded) != 3 {
		t.Fatalf("%d messages sent, %d recorded; want 4 sent (the 4th unrecorded), then none", srv.Count(), len(recorded))
	}
	for i, err := range results {
		switch {
		case i < 4 && err != nil:
			t.Errorf("message %d: %v, want accepted", i, err)
		case i >= 4 && !errors.Is(err, mail.ErrStopped):
			t.Errorf("message %d: %v, want ErrStopped", i, err)
		}
	}
	// A cancelled context stops before the first message.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range s.SendEach(ctx, msgs[:2], nil) {
		if !errors.Is(err, mail.ErrStopped) {
			t.Errorf("with a cancelled context: %v, want ErrStopped", err)
		}
	}
	if srv.Count() != 4 {
		t.Errorf("a cancelled send reached the server")
	}
}
