package mail_test

import (
	"context"
	"crypto/x509"
	"errors"
	netmail "net/mail"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/followup/followup/mail"
	"github.com/followup/followup/mail/capture"
)

// TestTLSPoliciesAndAuth sends real SMTP over loopback to capture servers
// with and without STARTTLS and AUTH, under each TLS policy: what arrives,
// over what, as whom, and what is refused before anything is sent.
func TestTLSPoliciesAndAuth(t *testing.T) {
	cert, err := capture.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]string{"surveys": "s3cret"}
	type server struct{ tls, auth bool }
	cases := []struct {
		name       string
		srv        server
		policy     string
		user, pass string
		untrusted  bool // the client does not know the server's authority
		// want is the outcome: "" delivered, otherwise a part of the error.
		want      string
		wantTLS   bool
		wantAuths []capture.AuthAttempt // Conn omitted
	}{
		{name: "mandatory, STARTTLS offered", srv: server{tls: true}, policy: mail.TLSMandatory, wantTLS: true},
		{name: "mandatory, no STARTTLS", srv: server{}, policy: mail.TLSMandatory, want: "does not support STARTTLS"},
		{name: "mandatory, certificate from an unknown authority", srv: server{tls: true}, policy: mail.TLSMandatory, untrusted: true, want: "certificate"},
		{name: "opportunistic, STARTTLS offered", srv: server{tls: true}, policy: mail.TLSOpportunistic, wantTLS: true},
		{name: "opportunistic, no STARTTLS: clear", srv: server{}, policy: mail.TLSOpportunistic},
		{name: "opportunistic, certificate from an unknown authority: no fallback to clear", srv: server{tls: true}, policy: mail.TLSOpportunistic, untrusted: true, want: "certificate"},
		{name: "none, STARTTLS offered but not used", srv: server{tls: true}, policy: mail.TLSNone},

		{name: "auth over TLS", srv: server{tls: true, auth: true}, policy: mail.TLSMandatory, user: "surveys", pass: "s3cret",
			wantTLS: true, wantAuths: []capture.AuthAttempt{{Mech: "PLAIN", User: "surveys", TLS: true, OK: true}}},
		{name: "auth after opportunistic STARTTLS", srv: server{tls: true, auth: true}, policy: mail.TLSOpportunistic, user: "surveys", pass: "s3cret",
			wantTLS: true, wantAuths: []capture.AuthAttempt{{Mech: "PLAIN", User: "surveys", TLS: true, OK: true}}},
		{name: "wrong password", srv: server{tls: true, auth: true}, policy: mail.TLSMandatory, user: "surveys", pass: "guess",
			want: "535", wantAuths: []capture.AuthAttempt{{Mech: "PLAIN", User: "surveys", TLS: true, OK: false}}},
		{name: "no credentials for a server that wants them", srv: server{tls: true, auth: true}, policy: mail.TLSMandatory, want: "530"},
		// The server offers AUTH in clear (or a man in the middle removed
		// STARTTLS): the credentials stay home.
		{name: "opportunistic without STARTTLS never sends credentials", srv: server{auth: true}, policy: mail.TLSOpportunistic, user: "surveys", pass: "s3cret",
			want: "without TLS"},
		// none is the operator's explicit choice of clear text.
		{name: "none sends credentials in clear", srv: server{auth: true}, policy: mail.TLSNone, user: "surveys", pass: "s3cret",
			wantAuths: []capture.AuthAttempt{{Mech: "PLAIN", User: "surveys", TLS: false, OK: true}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := capture.Options{}
			if tc.srv.tls {
				opts.TLS = cert.TLS
			}
			if tc.srv.auth {
				opts.Users = users
			}
			srv, err := capture.Start(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			var commands atomic.Int32 // RCPTs reaching the server
			srv.OnRcpt(func(string) error { commands.Add(1); return nil })
			var roots *x509.CertPool
			if !tc.untrusted {
				roots = cert.Pool
			}
			s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: srv.Port(), TLS: tc.policy, RootCAs: roots,
				Username: tc.user, Password: tc.pass, From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 3 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			res := s.Send(context.Background(), []mail.Message{msg("a@x.test", "hello")})
			got := srv.Messages()
			if tc.want == "" {
				if res[0] != nil {
					t.Fatalf("not delivered: %v", res[0])
				}
				if len(got) != 1 || got[0].TLS != tc.wantTLS || got[0].User != tc.user {
					t.Fatalf("%d messages, first %+v; want 1 over TLS=%v as %q", len(got), got, tc.wantTLS, tc.user)
				}
			} else {
				var de *mail.DeliveryError
				if !errors.As(res[0], &de) || !strings.Contains(de.Error(), tc.want) {
					t.Fatalf("got %v, want a failure saying %q", res[0], tc.want)
				}
				// The recipient is not at fault and the cause (server set-up,
				// configuration) can be fixed: retried later, never a bounce.
				if !de.Temporary || de.Recipient {
					t.Errorf("%v: temporary=%v recipient=%v, want a temporary failure that is not the recipient's", de, de.Temporary, de.Recipient)
				}
				if len(got) != 0 || commands.Load() != 0 {
					t.Errorf("a refused connection still carried %d messages, %d recipients", len(got), commands.Load())
				}
			}
			auths := srv.Auths()
			for i := range auths {
				auths[i].Conn = 0
			}
			if len(auths) != len(tc.wantAuths) || (len(auths) > 0 && auths[0] != tc.wantAuths[0]) {
				t.Errorf("the server saw AUTH %+v, want %+v", auths, tc.wantAuths)
			}
		})
	}
}

func TestAuthFailureIsClassifiedAndNotHammered(t *testing.T) {
	cert, err := capture.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := capture.Start(capture.Options{TLS: cert.TLS, Users: map[string]string{"surveys": "s3cret"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSMandatory, RootCAs: cert.Pool,
		Username: "surveys", Password: "wrong", From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 5; i++ {
		for _, err := range s.Send(context.Background(), []mail.Message{msg("a@x.test", "1"), msg("b@x.test", "2")}) {
			var de *mail.DeliveryError
			if !errors.As(err, &de) || !de.Temporary || de.Recipient {
				t.Fatalf("attempt %d: %v, want temporary, not the recipient's", i, err)
			}
			if i == 0 && de.Code != 535 {
				t.Errorf("code %d, want the server's 535", de.Code)
			}
		}
	}
	// Refused credentials close the breaker like a down server: one try per
	// cool-down, so the account is not locked by a retry storm.
	if n := len(srv.Auths()); n != 1 {
		t.Errorf("5 sends with a wrong password tried AUTH %d times, want 1", n)
	}
}

// TestOneTLSConnectionCarriesManyMessages: STARTTLS and AUTH are paid once
// per pooled connection, not per message.
func TestOneTLSConnectionCarriesManyMessages(t *testing.T) {
	bothWays(t, testOneTLSConnectionCarriesManyMessages)
}

func testOneTLSConnectionCarriesManyMessages(t *testing.T) {
	cert, err := capture.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := capture.Start(capture.Options{TLS: cert.TLS, Users: map[string]string{"surveys": "s3cret"}})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: srv.Port(), TLS: mail.TLSMandatory, RootCAs: cert.Pool, PoolSize: 1, NoPipelining: serial(t),
		Username: "surveys", Password: "s3cret", From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for range 3 {
		for _, err := range s.Send(context.Background(), []mail.Message{msg("a@x.test", "1"), msg("b@x.test", "2")}) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	got := srv.Messages()
	if len(got) != 6 || srv.Connections() != 1 || len(srv.Auths()) != 1 {
		t.Fatalf("%d messages over %d connections with %d AUTHs, want 6 over 1 with 1", len(got), srv.Connections(), len(srv.Auths()))
	}
	for _, m := range got {
		if !m.TLS || m.User != "surveys" || m.Conn != 1 {
			t.Errorf("message %d: TLS=%v user=%q conn=%d", m.Seq, m.TLS, m.User, m.Conn)
		}
	}
}
