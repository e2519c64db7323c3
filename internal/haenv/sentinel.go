package haenv

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/internal/benchenv"
)

// MasterName is the name the Sentinels know the primary by.
const MasterName = "followup"

// Sentinels is a Redis primary, one replica and three Sentinels (quorum 2)
// on loopback, each redis-server in a directory of its own, without
// persistence. Sentinels notice a dead primary after a second
// (down-after-milliseconds 1000).
type Sentinels struct {
	ps        *Procs
	servers   map[string]*Proc // data servers by host:port
	sentinels []*Proc
	// Addrs are the Sentinels' host:port addresses.
	Addrs []string
	// Switched is how long the last Failover or KillPrimary took until
	// every Sentinel named the new primary (Failover then waits for the
	// old primary to follow it).
	Switched time.Duration
}

// sentinelCommand is how a Sentinel is run: Debian's redis-sentinel when
// it is installed (a symlink to the same multi-call binary), otherwise
// redis-server --sentinel, the same program.
func sentinelCommand(conf string) ([]string, error) {
	if p, err := exec.LookPath("redis-sentinel"); err == nil {
		return []string{p, conf}, nil
	}
	p, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, errors.New("redis-server not found: run scripts/ensure-sentinel.sh (apt-get install redis-server)")
	}
	return []string{p, conf, "--sentinel"}, nil
}

// StartSentinels starts the primary, the replica and the Sentinels under
// dir and returns once the replica is in sync and every Sentinel knows the
// replica and the two other Sentinels: a failover can be asked for.
func StartSentinels(ctx context.Context, ps *Procs, dir string) (*Sentinels, error) {
	if _, err := sentinelCommand(""); err != nil {
		return nil, err
	}
	s := &Sentinels{ps: ps, servers: map[string]*Proc{}}
	ports := make([]int, 5)
	for i := range ports {
		p, err := benchenv.FreePort()
		if err != nil {
			return nil, err
		}
		ports[i] = p
	}
	primary := fmt.Sprintf("127.0.0.1:%d", ports[0])
	for i, port := range ports[:2] {
		d := filepath.Join(dir, fmt.Sprintf("redis-%d", port))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
		argv := []string{"redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", d}
		if i == 1 {
			argv = append(argv, "--replicaof", "127.0.0.1", strconv.Itoa(ports[0]))
		}
		p, err := ps.Start(filepath.Base(d), argv, os.Environ(), filepath.Join(d, "redis.log"))
		if err != nil {
			return nil, fmt.Errorf("%w (apt-get install redis-server)", err)
		}
		s.servers[fmt.Sprintf("127.0.0.1:%d", port)] = p
	}
	replica := fmt.Sprintf("127.0.0.1:%d", ports[1])
	if err := until(ctx, 20*time.Second, "the replica in sync with the primary", func(ctx context.Context) (bool, error) {
		info, err := infoReplication(ctx, replica)
		return err == nil && info["master_link_status"] == "up", s.exited()
	}); err != nil {
		return s, err
	}
	for _, port := range ports[2:] {
		d := filepath.Join(dir, fmt.Sprintf("sentinel-%d", port))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
		conf := filepath.Join(d, "sentinel.conf") // a Sentinel rewrites its configuration: its own file
		text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\n"+
			"sentinel monitor %s 127.0.0.1 %d 2\n"+
			"sentinel down-after-milliseconds %[3]s 1000\n"+
			"sentinel failover-timeout %[3]s 10000\n"+
			"sentinel parallel-syncs %[3]s 1\n", port, d, MasterName, ports[0])
		if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
			return nil, err
		}
		argv, err := sentinelCommand(conf)
		if err != nil {
			return nil, err
		}
		p, err := ps.Start(filepath.Base(d), argv, os.Environ(), filepath.Join(d, "sentinel.log"))
		if err != nil {
			return nil, err
		}
		s.sentinels = append(s.sentinels, p)
		s.Addrs = append(s.Addrs, fmt.Sprintf("127.0.0.1:%d", port))
	}
	err := until(ctx, 30*time.Second, "every Sentinel to know the primary, the replica and the two other Sentinels", func(ctx context.Context) (bool, error) {
		for _, a := range s.Addrs {
			m, err := s.master(ctx, a)
			if err != nil || m["ip"]+":"+m["port"] != primary || m["num-slaves"] != "1" || m["num-other-sentinels"] != "2" {
				return false, s.exited()
			}
		}
		return true, nil
	})
	return s, err
}

// URL is followup's FOLLOWUP_REDIS_URL for these Sentinels, database 0.
func (s *Sentinels) URL() string {
	return "redis-sentinel://" + strings.Join(s.Addrs, ",") + "/" + MasterName + "/0"
}

// exited says which server ended, if one did that was not killed on purpose.
func (s *Sentinels) exited() error {
	for _, p := range append(s.sentinels, s.live()...) {
		if done, err := p.Exited(); done {
			return fmt.Errorf("%s exited (%v): see %s", p.Name, err, p.Log)
		}
	}
	return nil
}

// live are the data servers not killed by KillPrimary.
func (s *Sentinels) live() []*Proc {
	var out []*Proc
	for _, p := range s.servers {
		out = append(out, p)
	}
	return out
}

func (s *Sentinels) master(ctx context.Context, sentinel string) (map[string]string, error) {
	sc := redis.NewSentinelClient(&redis.Options{Addr: sentinel, DialTimeout: time.Second, ReadTimeout: time.Second})
	defer sc.Close()
	return sc.Master(ctx, MasterName).Result()
}

// Primary is the primary's host:port as the first Sentinel that answers
// names it.
func (s *Sentinels) Primary(ctx context.Context) (string, error) {
	var last error
	for _, a := range s.Addrs {
		sc := redis.NewSentinelClient(&redis.Options{Addr: a, DialTimeout: time.Second, ReadTimeout: time.Second})
		addr, err := sc.GetMasterAddrByName(ctx, MasterName).Result()
		sc.Close()
		if err == nil && len(addr) == 2 {
			return addr[0] + ":" + addr[1], nil
		}
		last = err
	}
	return "", fmt.Errorf("ask the Sentinels for the primary: %w", last)
}

// Failover asks a Sentinel for SENTINEL FAILOVER and returns the new
// primary's address once every Sentinel names it and it says it is a
// primary, and the old one says it is its replica.
func (s *Sentinels) Failover(ctx context.Context) (string, error) {
	old, err := s.Primary(ctx)
	if err != nil {
		return "", err
	}
	sc := redis.NewSentinelClient(&redis.Options{Addr: s.Addrs[0]})
	defer sc.Close()
	// NOGOODSLAVE while the Sentinel has not yet seen the replica up to date.
	if err := until(ctx, 20*time.Second, "a Sentinel to accept SENTINEL FAILOVER", func(ctx context.Context) (bool, error) {
		err := sc.Failover(ctx, MasterName).Err()
		return err == nil, nil
	}); err != nil {
		return "", err
	}
	asked := time.Now()
	now, err := s.waitSwitched(ctx, old)
	if err != nil {
		return "", err
	}
	s.Switched = time.Since(asked)
	err = until(ctx, 20*time.Second, "the old primary to follow the new one", func(ctx context.Context) (bool, error) {
		info, err := infoReplication(ctx, old)
		return err == nil && info["role"] == "slave" && info["master_port"] == portOf(now), nil
	})
	return now, err
}

// KillPrimary kills the primary's redis-server with SIGKILL (no
// persistence: what it had not passed on to the replica is gone) and
// returns the new primary's address once the Sentinels have failed over.
func (s *Sentinels) KillPrimary(ctx context.Context) (string, error) {
	old, err := s.Primary(ctx)
	if err != nil {
		return "", err
	}
	p, ok := s.servers[old]
	if !ok {
		return "", fmt.Errorf("the Sentinels name %s as primary, a server this environment did not start", old)
	}
	p.Signal(syscall.SIGKILL)
	<-p.Done()
	delete(s.servers, old)
	killed := time.Now()
	now, err := s.waitSwitched(ctx, old)
	s.Switched = time.Since(killed)
	return now, err
}

// waitSwitched waits until every Sentinel names a primary other than old,
// the same one, and that server says it is a primary.
func (s *Sentinels) waitSwitched(ctx context.Context, old string) (string, error) {
	var now string
	err := until(ctx, 60*time.Second, "every Sentinel to name the new primary", func(ctx context.Context) (bool, error) {
		now = ""
		for _, a := range s.Addrs {
			sc := redis.NewSentinelClient(&redis.Options{Addr: a, DialTimeout: time.Second, ReadTimeout: time.Second})
			addr, err := sc.GetMasterAddrByName(ctx, MasterName).Result()
			sc.Close()
			if err != nil || len(addr) != 2 {
				return false, nil
			}
			got := addr[0] + ":" + addr[1]
			if got == old || (now != "" && got != now) {
				return false, nil
			}
			now = got
		}
		info, err := infoReplication(ctx, now)
		return err == nil && info["role"] == "master", nil
	})
	return now, err
}

func portOf(addr string) string {
	i := strings.LastIndex(addr, ":")
	return addr[i+1:]
}

// infoReplication reads INFO replication of the server at addr.
func infoReplication(ctx context.Context, addr string) (map[string]string, error) {
	c := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: time.Second, ReadTimeout: time.Second, MaxRetries: -1})
	defer c.Close()
	text, err := c.Info(ctx, "replication").Result()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok {
			out[k] = v
		}
	}
	return out, nil
}

// until polls cond every 20 ms until it holds, returns an error, the limit
// passes or ctx ends.
func until(ctx context.Context, limit time.Duration, what string, cond func(context.Context) (bool, error)) error {
	deadline := time.Now().Add(limit)
	for {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := cond(cctx)
		cancel()
		if err != nil {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: not after %s", what, limit)
		}
		t := time.NewTimer(20 * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
