package haenv

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/internal/benchenv"
)

// Cluster is a Redis Cluster of three primaries (no replicas) on loopback,
// each redis-server in a directory of its own, without persistence.
type Cluster struct {
	// Addrs are the nodes' host:port addresses.
	Addrs []string
}

// StartCluster starts three cluster nodes under dir, joins them with
// `redis-cli --cluster create` (Debian's redis-tools) and returns once
// every node says the cluster is ok.
func StartCluster(ctx context.Context, ps *Procs, dir string) (*Cluster, error) {
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		return nil, fmt.Errorf("redis-cli not found (apt-get install redis-tools): %w", err)
	}
	c := &Cluster{}
	for i := 0; i < 3; i++ {
		port, err := benchenv.FreePort()
		if err != nil {
			return nil, err
		}
		d := filepath.Join(dir, fmt.Sprintf("cluster-%d", port))
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
		argv := []string{"redis-server", "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
			"--dir", d, "--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(d, "nodes.conf"), "--cluster-node-timeout", "2000"}
		if _, err := ps.Start(filepath.Base(d), argv, os.Environ(), filepath.Join(d, "redis.log")); err != nil {
			return nil, fmt.Errorf("%w (apt-get install redis-server)", err)
		}
		c.Addrs = append(c.Addrs, fmt.Sprintf("127.0.0.1:%d", port))
	}
	for _, a := range c.Addrs {
		if err := until(ctx, 20*time.Second, a+" to answer", func(ctx context.Context) (bool, error) {
			n := redis.NewClient(&redis.Options{Addr: a, MaxRetries: -1})
			defer n.Close()
			return n.Ping(ctx).Err() == nil, nil
		}); err != nil {
			return nil, err
		}
	}
	args := append([]string{"--cluster", "create"}, c.Addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("redis-cli --cluster create: %v\n%s", err, out)
	}
	err = until(ctx, 30*time.Second, "every node to say cluster_state:ok", func(ctx context.Context) (bool, error) {
		for _, a := range c.Addrs {
			n := redis.NewClient(&redis.Options{Addr: a, MaxRetries: -1})
			info, err := n.ClusterInfo(ctx).Result()
			n.Close()
			if err != nil || !strings.Contains(info, "cluster_state:ok") {
				return false, nil
			}
		}
		return true, nil
	})
	return c, err
}

// URL is followup's FOLLOWUP_REDIS_URL for the cluster.
func (c *Cluster) URL() string { return "redis-cluster://" + strings.Join(c.Addrs, ",") }
