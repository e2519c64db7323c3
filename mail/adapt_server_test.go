package mail_test

import (
	"context"
	"fmt"
	"io"
	"net"
	netmail "net/mail"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/followup/followup/mail"
)

// crowdedRelay forwards up to allowed connections at once to target and
// answers any more with 421, as Postfix does past
// smtpd_client_connection_count_limit. It counts the refusals and closes
// firstRefusal at the first.
func crowdedRelay(t *testing.T, target string, allowed int32) (port int, refused *atomic.Int32, firstRefusal <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	refused = &atomic.Int32{}
	first := make(chan struct{})
	var open atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if open.Add(1) > allowed {
				open.Add(-1)
				if refused.Add(1) == 1 {
					close(first)
				}
				_, _ = io.WriteString(c, "421 4.7.0 relay.test Error: too many connections from 127.0.0.1\r\n")
				_ = c.Close()
				continue
			}
			go func() {
				defer open.Add(-1)
				s, err := net.Dial("tcp", target)
				if err != nil {
					_ = c.Close()
					return
				}
				var wg sync.WaitGroup
				wg.Go(func() { _, _ = io.Copy(s, c); _ = s.Close() })
				_, _ = io.Copy(c, s)
				_ = c.Close()
				wg.Wait()
			}()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port, refused, first
}

// TestThePoolFitsARelaysConnectionLimit: with a ceiling of 12 against a
// relay that takes 3 connections from us, every message still goes, the
// pool settles within the relay's limit and does not keep knocking.
func TestThePoolFitsARelaysConnectionLimit(t *testing.T) {
	srv := startCapture(t)
	port, refused, firstRefusal := crowdedRelay(t, srv.Addr(), 3)
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, PoolSize: 12, PoolFloor: 2,
		From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	// The first messages are held until the relay has refused a connection:
	// senders queue for the three it allows, and the pool tries to grow
	// past them.
	srv.OnRcpt(func(string) error {
		select {
		case <-firstRefusal:
		case <-time.After(5 * time.Second):
		}
		return nil
	})
	const workers, chunks, per = 12, 10, 10
	var wg sync.WaitGroup
	var failed atomic.Int32
	for w := range workers {
		wg.Go(func() {
			for c := range chunks {
				var msgs []mail.Message
				for i := range per {
					msgs = append(msgs, msg(fmt.Sprintf("w%dc%di%d@x.test", w, c, i), "hi"))
				}
				for _, err := range s.Send(context.Background(), msgs) {
					if err != nil {
						failed.Add(1)
					}
				}
			}
		})
	}
	wg.Wait()
	// A refused dial fails the chunk that asked for it (temporarily, to be
	// retried by the worker); all the others go.
	if got, lost := srv.Count(), int(failed.Load()); got+lost != workers*chunks*per || lost > int(refused.Load())*per {
		t.Errorf("%d sent, %d failed for %d refused connections: every failure must come from a refusal", got, lost, refused.Load())
	}
	switch n := refused.Load(); {
	case n == 0:
		t.Error("the pool never tried a fourth connection: the test proves nothing")
	case n > 3:
		t.Errorf("the relay refused %d connections: the pool kept knocking after it pushed back", n)
	}
}

// TestThePoolGrowsToItsCeiling: twelve senders waiting on a pool of floor
// 2 and ceiling 12 get twelve connections open at once.
func TestThePoolGrowsToItsCeiling(t *testing.T) {
	srv := startCapture(t)
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSNone, PoolSize: 12, PoolFloor: 2,
		From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	// Each first message is held until twelve are in at once.
	holdUntil(srv, 12, 8*time.Second)
	var wg sync.WaitGroup
	for w := range 12 {
		wg.Go(func() {
			for _, err := range s.Send(context.Background(), []mail.Message{msg(fmt.Sprintf("w%d@x.test", w), "hi")}) {
				if err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := srv.Connections(); n != 12 {
		t.Errorf("%d connections opened for twelve waiting senders, want the ceiling's 12", n)
	}
}
