package procgroup

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// Proc is one child process, leader of its own process group, so that
// killing it kills whatever it started too.
type Proc struct {
	Name string
	Log  string // the file its output is appended to
	cmd  *exec.Cmd
	done chan struct{}
	err  error // valid once done is closed
}

// Procs is every process a test, a drill or a benchmark started, killed
// together when it ends: a failed run leaves nothing behind.
type Procs struct {
	mu   sync.Mutex
	live map[*Proc]bool
}

// New returns an empty set of processes.
func New() *Procs { return &Procs{live: map[*Proc]bool{}} }

// Start runs argv with env, its output appended to logPath. The child is
// killed if this process dies (Pdeathsig).
func (ps *Procs) Start(name string, argv, env []string, logPath string) (*Proc, error) {
	return ps.StartAs(name, argv, env, logPath, nil)
}

// StartAs is Start as user cred when set (PostgreSQL refuses to run as
// root).
func (ps *Procs) StartAs(name string, argv, env []string, logPath string, cred *syscall.Credential) (*Proc, error) {
	out, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open the log of %s: %w", name, err)
	}
	defer out.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: cred, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Proc{Name: name, Log: logPath, cmd: cmd, done: make(chan struct{})}
	ps.mu.Lock()
	ps.live[p] = true
	ps.mu.Unlock()
	go func() {
		p.err = cmd.Wait()
		ps.mu.Lock()
		delete(ps.live, p)
		ps.mu.Unlock()
		close(p.done)
	}()
	return p, nil
}

// Exited reports whether the process has ended, and how.
func (p *Proc) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// Done is closed when the process has ended.
func (p *Proc) Done() <-chan struct{} { return p.done }

// Pid is the process's id.
func (p *Proc) Pid() int { return p.cmd.Process.Pid }

// Signal sends sig to the process's group.
func (p *Proc) Signal(sig syscall.Signal) {
	if done, _ := p.Exited(); done {
		return
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, sig)
}

// Kill is kill -9 of the whole group; it returns once the process is gone.
func (p *Proc) Kill() {
	p.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop asks the group to end with sig and waits up to grace before kill -9.
func (p *Proc) Stop(sig syscall.Signal, grace time.Duration) {
	p.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(grace):
		p.Kill()
	}
}

// KillAll kills every live process group; safe to call more than once.
func (ps *Procs) KillAll() {
	ps.mu.Lock()
	list := make([]*Proc, 0, len(ps.live))
	for p := range ps.live {
		list = append(list, p)
	}
	ps.mu.Unlock()
	for _, p := range list {
		p.Kill()
	}
}
