package mail_test

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"testing"
	"time"

	"github.com/followup/followup/mail"
	"github.com/followup/followup/mail/capture"
)

// TestSendFromComposesEachMessageInTurn: SendFrom asks for each message
// only when the one before it is on the wire (one composed message per
// connection), with and without pipelining. A message its source refuses
// gets that error and the rest goes on; a source that says ErrStopped ends
// the send after the message on the wire is settled and reported
// accepted, and the rest is not tried.
func TestSendFromComposesEachMessageInTurn(t *testing.T) {
	t.Parallel()
	for _, noPipelining := range []bool{false, true} {
		t.Run(fmt.Sprintf("pipelining off %v", noPipelining), func(t *testing.T) {
			t.Parallel()
			srv, err := capture.Start(capture.Options{NoPipelining: noPipelining})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSNone, PoolSize: 1,
				From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.Close)
			const n, refused, stopAt = 10, 3, 7
			errRefused := errors.New("not to go")
			var asked []int
			var accepted []int
			results := s.SendFrom(context.Background(), n, func(i int) (mail.Message, error) {
				// Every message sent before the one on the wire (the
				// last before i) has arrived: none is composed ahead.
				sentBefore := i - countBelow([]int{refused}, i)
				if got, want := srv.Count(), max(sentBefore-1, 0); got < want {
					t.Errorf("message %d asked for with %d received, want %d: composed ahead", i, got, want)
				}
				asked = append(asked, i)
				switch i {
				case refused:
					return mail.Message{}, errRefused
				case stopAt:
					return mail.Message{}, fmt.Errorf("%w: the campaign was paused", mail.ErrStopped)
				}
				return msg(fmt.Sprintf("s%d@x.test", i), fmt.Sprintf("message %d", i)), nil
			}, func(i int) error {
				accepted = append(accepted, i)
				return nil
			})
			if want := []int{0, 1, 2, 3, 4, 5, 6, 7}; fmt.Sprint(asked) != fmt.Sprint(want) {
				t.Errorf("asked for %v, want %v (once each, in order, none after the stop)", asked, want)
			}
			if want := []int{0, 1, 2, 4, 5, 6}; fmt.Sprint(accepted) != fmt.Sprint(want) {
				t.Errorf("accepted %v, want %v", accepted, want)
			}
			if srv.Count() != 6 {
				t.Errorf("%d messages arrived, want 6", srv.Count())
			}
			for i, err := range results {
				switch {
				case i == refused:
					if !errors.Is(err, errRefused) {
						t.Errorf("message %d: %v, want the source's error", i, err)
					}
				case i >= stopAt:
					if !errors.Is(err, mail.ErrStopped) {
						t.Errorf("message %d: %v, want ErrStopped", i, err)
					}
				case err != nil:
					t.Errorf("message %d: %v", i, err)
				}
			}
		})
	}
}

// countBelow counts the values of xs under x.
func countBelow(xs []int, x int) int {
	n := 0
	for _, v := range xs {
		if v < x {
			n++
		}
	}
	return n
}
