package app

import (
	"fmt"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/config"
)

// Redis is the one place a FOLLOWUP_REDIS_URL becomes connections: the
// go-redis client every part of a process shares (asynq's client, server,
// inspector, the SMTP rate limit, the throttles), and asynq's own
// connection option for what opens its own (asynqmon). A Sentinel URL
// gives go-redis's failover client (it asks the Sentinels for the
// primary, follows +switch-master and drops the old primary's
// connections) and asynq's RedisFailoverClientOpt; a Cluster URL gives
// go-redis's cluster client and asynq's RedisClusterClientOpt.
type Redis struct {
	Target config.RedisTarget
	// Client is shared by the whole process; Close closes it.
	Client redis.UniversalClient
	// ConnOpt is asynq's option for the same servers.
	ConnOpt asynq.RedisConnOpt
}

// OpenRedis parses url and builds the process's Redis client, with at
// least minPool connections (one per concurrent task and some for the
// rest). It does not connect: the first command does.
func OpenRedis(url string, minPool int) (*Redis, error) {
	t, err := config.ParseRedisURL(url)
	if err != nil {
		return nil, fmt.Errorf("parse FOLLOWUP_REDIS_URL: %w", err)
	}
	r := &Redis{Target: t}
	switch t.Kind {
	case config.RedisSentinel:
		o := t.Failover
		o.PoolSize = max(o.PoolSize, minPool)
		r.Client = redis.NewFailoverClient(o)
		r.ConnOpt = asynq.RedisFailoverClientOpt{MasterName: o.MasterName, SentinelAddrs: o.SentinelAddrs,
			SentinelUsername: o.SentinelUsername, SentinelPassword: o.SentinelPassword, Username: o.Username, Password: o.Password,
			DB: o.DB, DialTimeout: o.DialTimeout, ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout, TLSConfig: o.TLSConfig}
	case config.RedisCluster:
		o := t.Cluster
		o.PoolSize = max(o.PoolSize, minPool)
		r.Client = redis.NewClusterClient(o)
		r.ConnOpt = asynq.RedisClusterClientOpt{Addrs: o.Addrs, MaxRedirects: o.MaxRedirects, Username: o.Username, Password: o.Password,
			DialTimeout: o.DialTimeout, ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout, TLSConfig: o.TLSConfig}
	default:
		o := t.Single
		o.PoolSize = max(o.PoolSize, minPool)
		r.Client = redis.NewClient(o)
		r.ConnOpt = asynq.RedisClientOpt{Network: o.Network, Addr: o.Addr, Username: o.Username, Password: o.Password, DB: o.DB,
			DialTimeout: o.DialTimeout, ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout, TLSConfig: o.TLSConfig}
	}
	return r, nil
}
