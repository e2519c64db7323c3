package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseRedisURLForms(t *testing.T) {
	t.Parallel()
	t.Run("single", func(t *testing.T) {
		r, err := ParseRedisURL("redis://:s3cret@10.0.0.1:6380/3?dial_timeout=2s")
		if err != nil {
			t.Fatal(err)
		}
		if r.Kind != RedisSingle || r.Single.Addr != "10.0.0.1:6380" || r.Single.DB != 3 || r.Single.Password != "s3cret" ||
			r.Single.DialTimeout != 2*time.Second {
			t.Errorf("got %+v", r.Single)
		}
	})
	t.Run("sentinel", func(t *testing.T) {
		r, err := ParseRedisURL("redis-sentinel://app:data%2Fpw@s1:26379,s2:26380,[::1]:26381/mymaster/2" +
			"?sentinel_username=sen&sentinel_password=sen-pw&dial_timeout=3s&pool_size=40")
		if err != nil {
			t.Fatal(err)
		}
		f := r.Failover
		if r.Kind != RedisSentinel || f == nil {
			t.Fatalf("kind %s, failover %v", r.Kind, f)
		}
		if want := []string{"s1:26379", "s2:26380", "[::1]:26381"}; !slices.Equal(f.SentinelAddrs, want) {
			t.Errorf("sentinels %v, want %v", f.SentinelAddrs, want)
		}
		if f.MasterName != "mymaster" || f.DB != 2 || f.Username != "app" || f.Password != "data/pw" ||
			f.SentinelUsername != "sen" || f.SentinelPassword != "sen-pw" || f.DialTimeout != 3*time.Second || f.PoolSize != 40 {
			t.Errorf("got master %q db %d user %q pw %q sentinel %q/%q dial %s pool %d", f.MasterName, f.DB, f.Username, f.Password,
				f.SentinelUsername, f.SentinelPassword, f.DialTimeout, f.PoolSize)
		}
		if f.TLSConfig != nil {
			t.Error("TLS without rediss-sentinel")
		}
	})
	t.Run("sentinel defaults", func(t *testing.T) {
		r, err := ParseRedisURL("rediss-sentinel://:pw@sentinel.internal/primary")
		if err != nil {
			t.Fatal(err)
		}
		f := r.Failover
		if !slices.Equal(f.SentinelAddrs, []string{"sentinel.internal:26379"}) || f.DB != 0 || f.Password != "pw" ||
			f.SentinelPassword != "" || f.TLSConfig == nil {
			t.Errorf("got %v db %d pw %q sentinel pw %q tls %v", f.SentinelAddrs, f.DB, f.Password, f.SentinelPassword, f.TLSConfig)
		}
	})
	t.Run("cluster", func(t *testing.T) {
		r, err := ParseRedisURL("redis-cluster://:pw@n1:7000,n2:7001,n3?max_redirects=5")
		if err != nil {
			t.Fatal(err)
		}
		c := r.Cluster
		if r.Kind != RedisCluster || !slices.Equal(c.Addrs, []string{"n1:7000", "n2:7001", "n3:6379"}) || c.Password != "pw" ||
			c.MaxRedirects != 5 {
			t.Errorf("got %+v", c)
		}
	})
}

func TestParseRedisURLRefusesMalformed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, url, want string
	}{
		{"no scheme", "127.0.0.1:6379", "not a URL"},
		{"unknown scheme", "memcached://h:1", `scheme "memcached"`},
		{"single without host", "redis:///0", "no host"},
		{"single bad db", "redis://h:6379/zero", "invalid database number"},
		{"single unknown option", "redis://h:6379/0?colour=red", "unexpected option: colour"},
		{"sentinel without master", "redis-sentinel://s1:26379,s2:26379", "no master name"},
		{"sentinel without master, slash", "redis-sentinel://s1:26379/", "no master name"},
		{"sentinel too deep", "redis-sentinel://s1:26379/m/0/x", `path "/m/0/x"`},
		{"sentinel bad db", "redis-sentinel://s1:26379/m/x", `database "x" is not a number`},
		{"sentinel no hosts", "redis-sentinel:///m", "no host"},
		{"sentinel empty host in list", "redis-sentinel://s1:26379,,s3:26379/m", `address "" is not host:port`},
		{"sentinel bad port", "redis-sentinel://s1:26379,s2:huit/m", `port "huit"`},
		{"sentinel port out of range", "redis-sentinel://s1:99999/m", `port "99999"`},
		{"sentinel no host before port", "redis-sentinel://:26379/m", "has no host"},
		{"sentinel master in query", "redis-sentinel://s1/m?master_name=n", `option "master_name" is part of the URL`},
		{"sentinel password in query", "redis-sentinel://s1/m?password=p", `option "password" is part of the URL`},
		{"sentinel unknown option", "redis-sentinel://s1/m?pool=3", "unexpected option: pool"},
		{"sentinel bad duration", "redis-sentinel://s1/m?dial_timeout=soon", "dial_timeout"},
		{"fragment", "redis-sentinel://s1/m#x", "fragment"},
		{"cluster with db", "redis-cluster://n1:7000/1", "only database 0"},
		{"cluster addr option", "redis-cluster://n1:7000?addr=n2:7001", `option "addr"`},
		{"cluster unknown option", "redis-cluster://n1:7000?master_name=x", "unexpected option: master_name"},
		{"cluster no hosts", "redis-cluster://", "not a URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRedisURL(tc.url)
			if err == nil {
				t.Fatalf("%s parsed, want an error containing %q", tc.url, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %q, want it to contain %q", tc.url, err, tc.want)
			}
		})
	}
}

func TestRedisURLErrorKeepsThePasswordOut(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"redis-sentinel://:topsecret@s1:26379/m/x",
		"redis-sentinel://:topsecret@s1:26379/m?sentinel_password=topsecret&bogus=1",
		"redis-cluster://:topsecret@n1:7000/2",
		"redis://:topsecret@h:6379/zero",
	} {
		_, err := load(t, nil, map[string]string{"FOLLOWUP_REDIS_URL": raw}, Options{})
		if err == nil {
			t.Fatalf("%s loaded", raw)
		}
		if !strings.Contains(err.Error(), "FOLLOWUP_REDIS_URL") || strings.Contains(err.Error(), "topsecret") {
			t.Errorf("error %q: want FOLLOWUP_REDIS_URL named and the password left out", err)
		}
	}
}
