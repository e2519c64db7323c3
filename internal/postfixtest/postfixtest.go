// Package postfixtest runs a private Postfix for tests: a master of its
// own, with its configuration, queue and data directories in a temporary
// directory and its SMTP server on a loopback port. The machine's
// /etc/postfix and its default instance are never read for settings,
// written or started: every command is given the private configuration
// directory (postfix -c), which root may use without listing it in the
// default main.cf's alternate_config_directories.
//
// The instance is a final destination for one test domain: mail to a user
// of that domain who does not exist is accepted (local_recipient_maps is
// empty) and then bounced by local delivery, with a real RFC 3464 report
// sent to the envelope sender over SMTP to the next hop transport_maps
// names for the sender's domain (followup's inbound listener). Any other
// destination fails at once (default_transport = error), so a test never
// sends mail off the machine.
package postfixtest

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/followup/followup/internal/wait"
)

// Binary is where Debian's package installs the postfix command.
const Binary = "/usr/sbin/postfix"

// Options describe the instance.
type Options struct {
	// Port is the loopback port its SMTP server listens on; 0 picks a
	// free one.
	Port int
	// Domain is its local domain (mydestination): mail to any user of it
	// is accepted, and bounced when the user does not exist (every user
	// but root and the system's).
	Domain string
	// Relays send mail for a domain to an SMTP server (host:port), such
	// as the bounces to the envelope sender's domain: transport_maps.
	Relays map[string]string
}

// Instance is a running private Postfix.
type Instance struct {
	// Addr is its SMTP server (127.0.0.1:port) and Port the port.
	Addr string
	Port int
	// Dir holds conf/ (main.cf, master.cf), queue/ and data/.
	Dir string

	log *syncBuffer
}

// Require skips the test when Postfix is not installed (make postfix
// installs it), or when the test does not run as root (a Postfix master
// starts as root and runs its daemons as the postfix user).
func Require(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(Binary); err != nil {
		t.Skipf("Postfix is not installed (%s: %v); `make postfix` (scripts/ensure-postfix.sh) installs it", Binary, err)
	}
	if os.Geteuid() != 0 {
		t.Skip("a private Postfix master must start as root (it drops to the postfix user for its daemons); run the test as root")
	}
	if _, err := user.Lookup("postfix"); err != nil {
		t.Skipf("Postfix is not installed completely: no postfix user (%v)", err)
	}
}

// FreePort returns a loopback port free now, for a server that must be
// named before it starts.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// Start runs a private Postfix until the test ends: its master is stopped
// (postfix stop, which waits for its daemons and kills them after five
// seconds) and its directory removed in the test's cleanup, whether it
// passed or not. Its log is in the test's output when the test fails.
func Start(t testing.TB, opts Options) *Instance {
	t.Helper()
	Require(t)
	if opts.Port == 0 {
		opts.Port = FreePort(t)
	}
	dir, err := os.MkdirTemp("", "followup-postfix-")
	if err != nil {
		t.Fatal(err)
	}
	in := &Instance{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(opts.Port)), Port: opts.Port, Dir: dir, log: &syncBuffer{}}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := in.write(opts); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "conf")
	if out, err := exec.Command(Binary, "-c", conf, "check").CombinedOutput(); err != nil {
		t.Fatalf("postfix check of the private instance: %v\n%s", err, out)
	}
	// start-fg keeps the master in the foreground, a child of this
	// process, logging to its standard output (maillog_file).
	cmd := exec.Command(Binary, "-c", conf, "start-fg")
	cmd.Stdout, cmd.Stderr = in.log, in.log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A daemon left holding the log pipe must not hang the cleanup.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the private Postfix: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { in.stop(t, conf, cmd, exited) })
	up := wait.For(30*time.Second, func() bool {
		select {
		case err := <-exited:
			exited <- err
			return true
		default:
		}
		c, err := net.DialTimeout("tcp", in.Addr, time.Second)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	select {
	case err := <-exited:
		exited <- err
		t.Fatalf("the private Postfix stopped at once (%v):\n%s", err, in.log.String())
	default:
	}
	if !up {
		t.Fatalf("the private Postfix does not listen on %s after 30s:\n%s", in.Addr, in.log.String())
	}
	return in
}

// Log is what the instance logged so far.
func (in *Instance) Log() string { return in.log.String() }

// stop stops the master and waits for it; a master that outlives postfix
// stop and 20 more seconds is killed with its process group.
func (in *Instance) stop(t testing.TB, conf string, cmd *exec.Cmd, exited chan error) {
	out, err := exec.Command(Binary, "-c", conf, "stop").CombinedOutput()
	select {
	case err := <-exited:
		// postfix stop terminates the master: its status is that signal.
		if err != nil && t.Failed() {
			t.Logf("the private Postfix stopped: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Errorf("the private Postfix outlived postfix stop (%v: %s); killed", err, out)
		if pid, err := in.masterPID(); err == nil {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if err := <-exited; err != nil {
			t.Logf("the private Postfix killed: %v", err)
		}
	}
	if t.Failed() {
		t.Logf("the private Postfix's log:\n%s", in.log.String())
	}
}

func (in *Instance) masterPID() (int, error) {
	b, err := os.ReadFile(filepath.Join(in.Dir, "queue", "pid", "master.pid"))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// write lays out the instance's directories and configuration.
func (in *Instance) write(opts Options) error {
	if opts.Domain == "" {
		return errors.New("postfixtest: Options.Domain is required")
	}
	pf, err := user.Lookup("postfix")
	if err != nil {
		return fmt.Errorf("postfix user: %w", err)
	}
	uid, _ := strconv.Atoi(pf.Uid)
	gid, _ := strconv.Atoi(pf.Gid)
	// The daemons run as postfix: they must reach the queue below the
	// temporary directory, and own the data directory.
	if err := os.Chmod(in.Dir, 0o755); err != nil {
		return err
	}
	for _, d := range []string{"conf", "queue", "data"} {
		if err := os.Mkdir(filepath.Join(in.Dir, d), 0o755); err != nil {
			return err
		}
	}
	if err := os.Chown(filepath.Join(in.Dir, "data"), uid, gid); err != nil {
		return err
	}
	var routes []string
	for domain, next := range opts.Relays {
		host, port, err := net.SplitHostPort(next)
		if err != nil {
			return fmt.Errorf("postfixtest: relay of %s: %w", domain, err)
		}
		routes = append(routes, fmt.Sprintf("%s=smtp:[%s]:%s", strings.ToLower(domain), host, port))
	}
	sort.Strings(routes)
	mainCF := fmt.Sprintf(`# A private Postfix for followup's tests (internal/postfixtest).
compatibility_level = 3.6
queue_directory = %[1]s/queue
data_directory = %[1]s/data
mail_owner = postfix
myhostname = mx.%[2]s
mydomain = %[2]s
myorigin = $myhostname
mydestination = %[2]s
mynetworks = 127.0.0.0/8
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
# Accept mail to any user of the domain, so that an unknown one is bounced
# after the message was taken (as a real relay does), not refused in the
# SMTP dialogue.
local_recipient_maps =
alias_maps =
alias_database =
# Bounces to the envelope sender's domain go to its SMTP server; nothing
# else leaves: any other destination fails at once.
transport_maps = inline:{%[3]s}
default_transport = error:no mail leaves a test's private Postfix
relay_transport = error:no mail leaves a test's private Postfix
# The sender gets the report; the postmaster no copy.
notify_classes =
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtputf8_enable = no
biff = no
# A deferred report is retried within seconds, not minutes.
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 5s
maillog_file = /dev/stdout
`, in.Dir, strings.ToLower(opts.Domain), strings.Join(routes, ", "))
	if len(routes) == 0 {
		mainCF = strings.Replace(mainCF, "transport_maps = inline:{}\n", "", 1)
	}
	// No chroot: the daemons run in the queue directory as it is.
	masterCF := fmt.Sprintf(`127.0.0.1:%d inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
local     unix  - n n - - local
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
`, opts.Port)
	if err := os.WriteFile(filepath.Join(in.Dir, "conf", "main.cf"), []byte(mainCF), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(in.Dir, "conf", "master.cf"), []byte(masterCF), 0o644)
}

// syncBuffer is a buffer the master's output and the test read together.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
