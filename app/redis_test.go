package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// OpenRedis gives one client and asynq's matching option for each form of
// the URL, so asynqmon reaches the same servers as the rest of the process.
func TestOpenRedisMatchesTheClientAndAsynqOption(t *testing.T) {
	t.Parallel()
	t.Run("single", func(t *testing.T) {
		r, err := OpenRedis("redis://:pw@127.0.0.1:6390/4", 30)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Client.Close()
		c, ok := r.Client.(*redis.Client)
		if !ok || c.Options().PoolSize < 30 || c.Options().Addr != "127.0.0.1:6390" {
			t.Errorf("client %T %+v, want *redis.Client on 127.0.0.1:6390 with 30 connections or more", r.Client, c)
		}
		o, ok := r.ConnOpt.(asynq.RedisClientOpt)
		if !ok || o.Addr != "127.0.0.1:6390" || o.DB != 4 || o.Password != "pw" {
			t.Errorf("asynq option %#v", r.ConnOpt)
		}
	})
	t.Run("sentinel", func(t *testing.T) {
		r, err := OpenRedis("redis-sentinel://:pw@127.0.0.1:26390,127.0.0.1:26391/primary/2?sentinel_password=spw", 30)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Client.Close()
		if _, ok := r.Client.(*redis.Client); !ok { // NewFailoverClient's client
			t.Errorf("client %T", r.Client)
		}
		o, ok := r.ConnOpt.(asynq.RedisFailoverClientOpt)
		if !ok || o.MasterName != "primary" || !slices.Equal(o.SentinelAddrs, []string{"127.0.0.1:26390", "127.0.0.1:26391"}) ||
			o.DB != 2 || o.Password != "pw" || o.SentinelPassword != "spw" {
			t.Errorf("asynq option %#v", r.ConnOpt)
		}
	})
	t.Run("cluster", func(t *testing.T) {
		r, err := OpenRedis("redis-cluster://:pw@127.0.0.1:7390,127.0.0.1:7391", 30)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Client.Close()
		if _, ok := r.Client.(*redis.ClusterClient); !ok {
			t.Errorf("client %T", r.Client)
		}
		o, ok := r.ConnOpt.(asynq.RedisClusterClientOpt)
		if !ok || !slices.Equal(o.Addrs, []string{"127.0.0.1:7390", "127.0.0.1:7391"}) || o.Password != "pw" {
			t.Errorf("asynq option %#v", r.ConnOpt)
		}
	})
	t.Run("malformed", func(t *testing.T) {
		_, err := OpenRedis("redis-sentinel://127.0.0.1:26390", 30)
		if err == nil || !strings.Contains(err.Error(), "FOLLOWUP_REDIS_URL") || !strings.Contains(err.Error(), "master name") {
			t.Errorf("error %v, want FOLLOWUP_REDIS_URL and the missing master name", err)
		}
	})
}
