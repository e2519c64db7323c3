package main

import (
	"context"
	"fmt"
	"github.com/followup/followup/internal/procgroup"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"
)

// postgresServer is a PostgreSQL of the drill's own: initdb in a temporary
// directory, the postmaster on a free port, run as the postgres OS user
// when the drills run as root (PostgreSQL refuses root).
type postgresServer struct {
	ps   *procgroup.Procs
	bin  string // directory of initdb and postgres
	dir  string // data directory's parent, owned by the server's user
	port int
	cred *syscall.Credential
	log  string
	proc *procgroup.Proc
}

// pgBinDir finds initdb: /usr/lib/postgresql/<newest>/bin, else the PATH.
func pgBinDir() (string, error) {
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(found, func(i, j int) bool { return versionOf(found[i]) > versionOf(found[j]) })
	if len(found) > 0 {
		return filepath.Dir(found[0]), nil
	}
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("initdb not found in /usr/lib/postgresql/*/bin or on the PATH (apt-get install postgresql)")
}

func versionOf(initdb string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(initdb))))
	return v
}

func startPostgres(ctx context.Context, ps *procgroup.Procs, logDir string, port int) (*postgresServer, error) {
	bin, err := pgBinDir()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "drills-pg")
	if err != nil {
		return nil, err
	}
	pg := &postgresServer{ps: ps, bin: bin, dir: dir, port: port, log: filepath.Join(logDir, "postgres.log")}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL needs the postgres OS user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		pg.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
		if err := os.Chown(logDir, uid, gid); err != nil { // the server appends its log there
			return nil, err
		}
	}
	initdb, err := ps.StartAs("initdb", []string{filepath.Join(bin, "initdb"), "-D", pg.data(), "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--no-sync", "--no-instructions"}, []string{"LANG=C.UTF-8", "PATH=" + os.Getenv("PATH")}, pg.log, pg.cred)
	if err != nil {
		return nil, err
	}
	<-initdb.Done()
	if _, err := initdb.Exited(); err != nil {
		return nil, fmt.Errorf("initdb failed (%v): see %s", err, pg.log)
	}
	return pg, pg.start(ctx)
}

func (pg *postgresServer) data() string { return filepath.Join(pg.dir, "data") }

// URL is the server's postgres database for the superuser.
func (pg *postgresServer) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", pg.port)
}

// start runs the postmaster and waits until it accepts connections.
// Durability settings are relaxed (fsync off): the drills stop PostgreSQL
// cleanly, never crash it, and the machine is shared.
func (pg *postgresServer) start(ctx context.Context) error {
	p, err := pg.ps.StartAs("postgres", []string{filepath.Join(pg.bin, "postgres"), "-D", pg.data(), "-p", strconv.Itoa(pg.port),
		"-k", pg.dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
		"-c", "max_connections=200", "-c", "shared_buffers=64MB"}, []string{"LANG=C.UTF-8"}, pg.log, pg.cred)
	if err != nil {
		return err
	}
	pg.proc = p
	return waitTCP(ctx, pg.port, p, 30*time.Second, pg.log)
}

// stopFast is pg_ctl stop -m fast: SIGINT to the postmaster, which rolls
// back open transactions, closes every connection and exits.
func (pg *postgresServer) stopFast() {
	if pg.proc != nil {
		pg.proc.Stop(syscall.SIGINT, 30*time.Second)
	}
}

func (pg *postgresServer) remove() {
	if pg.proc != nil {
		pg.proc.Stop(syscall.SIGQUIT, 5*time.Second)
	}
	_ = os.RemoveAll(pg.dir)
}

// redisServer is a redis-server of the drill's own, without persistence:
// killing it loses everything it held.
type redisServer struct {
	ps   *procgroup.Procs
	port int
	dir  string
	log  string
	proc *procgroup.Proc
}

func startRedis(ctx context.Context, ps *procgroup.Procs, dir string, port int) (*redisServer, error) {
	r := &redisServer{ps: ps, port: port, dir: dir, log: filepath.Join(dir, "redis.log")}
	return r, r.start(ctx)
}

func (r *redisServer) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

func (r *redisServer) start(ctx context.Context) error {
	p, err := r.ps.StartAs("redis", []string{"redis-server", "--port", strconv.Itoa(r.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", r.dir}, os.Environ(), r.log, nil)
	if err != nil {
		return fmt.Errorf("%w (apt-get install redis-server)", err)
	}
	r.proc = p
	return waitTCP(ctx, r.port, p, 10*time.Second, r.log)
}

// waitTCP waits until something accepts connections on port, failing early
// when p exits.
func waitTCP(ctx context.Context, port int, p *procgroup.Proc, limit time.Duration, log string) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
			c.Close()
			return nil
		}
		if done, err := p.Exited(); done {
			return fmt.Errorf("%s exited at start (%v): see %s", p.Name, err, log)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s does not accept connections on %d after %s: see %s", p.Name, port, limit, log)
}
