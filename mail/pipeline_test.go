package mail_test

import (
	"context"
	"fmt"
	"net"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/internal/latency"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/mail/capture"
)

// roundTrips sends n messages through a proxy that counts the client's
// round trips and returns them per message, the session's own (greeting,
// EHLO, QUIT) included.
func roundTrips(t *testing.T, port, n int, noPipelining bool) float64 {
	t.Helper()
	proxy, err := latency.Start("127.0.0.1:0", fmt.Sprintf("127.0.0.1:%d", port), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	s, err := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: proxy.Port(), TLS: mail.TLSNone, PoolSize: 1, NoPipelining: noPipelining,
		From: &netmail.Address{Address: "surveys@acme.test"}, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []mail.Message
	for i := range n {
		msgs = append(msgs, msg(fmt.Sprintf("r%d@x.test", i), fmt.Sprintf("message %d", i)))
	}
	for i, err := range s.Send(context.Background(), msgs) {
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	s.Close()
	return float64(proxy.Turns()) / float64(n)
}

// TestPipeliningSavesRoundTrips: to a server that advertises PIPELINING a
// message costs one round trip (its envelope goes with the previous end of
// data); without it, or with pipelining turned off, four (MAIL, RCPT, DATA,
// end of data).
func TestPipeliningSavesRoundTrips(t *testing.T) {
	const n = 40
	withIt := startCapture(t)
	without, err := capture.Start(capture.Options{NoPipelining: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { without.Close() })
	for _, tc := range []struct {
		name         string
		port         int
		noPipelining bool
		lo, hi       float64
	}{
		{"server advertises PIPELINING", withIt.Port(), false, 1, 1.2},
		{"server does not advertise it", without.Port(), false, 4, 4.2},
		{"turned off in the configuration", withIt.Port(), true, 4, 4.2},
	} {
		if got := roundTrips(t, tc.port, n, tc.noPipelining); got < tc.lo || got > tc.hi {
			t.Errorf("%s: %.2f round trips per message, want %.1f to %.1f", tc.name, got, tc.lo, tc.hi)
		}
	}
	if got := withIt.Count() + without.Count(); got != 3*n {
		t.Errorf("%d messages arrived, want %d", got, 3*n)
	}
	for _, m := range append(withIt.Messages(), without.Messages()...) {
		p, err := m.Parsed()
		if err != nil || !strings.Contains(p.Text(), "Bonjour Zoé") || !strings.HasPrefix(p.Subject, "message ") {
			t.Fatalf("a message arrived damaged: %v %q", err, m.Raw)
		}
	}
}

// TestPipeliningAgainstPostfix sends to Postfix's smtp-sink, with and
// without its PIPELINING, and checks what it kept.
func TestPipeliningAgainstPostfix(t *testing.T) {
	sink, err := exec.LookPath("smtp-sink")
	if err != nil {
		t.Fatal("smtp-sink not found: run ./scripts/ensure-postfix.sh (make test does)")
	}
	for _, tc := range []struct {
		name   string
		args   []string
		lo, hi float64
	}{
		{"pipelining", nil, 1, 1.3},
		{"no pipelining (-P)", []string{"-P"}, 4, 4.3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			port := freePort(t)
			args := append([]string{"-u", "root", "-d", filepath.Join(dir, "msg.")}, tc.args...)
			args = append(args, fmt.Sprintf("127.0.0.1:%d", port), "100")
			cmd := exec.Command(sink, args...)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
			wait.Until(t, 10*time.Second, "smtp-sink to listen", func() bool {
				c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
				if err == nil {
					_ = c.Close()
				}
				return err == nil
			})
			const n = 30
			if got := roundTrips(t, port, n, false); got < tc.lo || got > tc.hi {
				t.Errorf("%.2f round trips per message, want %.1f to %.1f", got, tc.lo, tc.hi)
			}
			var files []string
			wait.Until(t, 10*time.Second, "smtp-sink to keep every message", func() bool {
				files, _ = filepath.Glob(filepath.Join(dir, "msg.*"))
				return len(files) == n
			})
			b, err := os.ReadFile(files[0])
			if err != nil || !strings.Contains(string(b), "Bonjour") {
				t.Errorf("kept message: %v %q", err, b)
			}
		})
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
