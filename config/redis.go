package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// RedisKind says which Redis deployment a FOLLOWUP_REDIS_URL names.
type RedisKind string

// The Redis deployments followup connects to.
const (
	// RedisSingle is one server (redis://, rediss://).
	RedisSingle RedisKind = "single"
	// RedisSentinel is a primary watched by Sentinels, which name the
	// current primary and fail it over (redis-sentinel://, rediss-sentinel://).
	RedisSentinel RedisKind = "sentinel"
	// RedisCluster is a Redis Cluster (redis-cluster://, rediss-cluster://).
	RedisCluster RedisKind = "cluster"
)

// RedisTarget is a parsed FOLLOWUP_REDIS_URL: exactly one of Single,
// Failover and Cluster is set, as Kind says. They are go-redis's own
// options, parsed by go-redis's own URL parsers (ParseURL,
// ParseFailoverURL, ParseClusterURL).
type RedisTarget struct {
	Kind     RedisKind
	Single   *redis.Options
	Failover *redis.FailoverOptions
	Cluster  *redis.ClusterOptions
}

// RedisURLForms lists the accepted forms of FOLLOWUP_REDIS_URL, for error
// messages and the configuration table.
const RedisURLForms = "redis://[:pass@]host:port/db, " +
	"redis-sentinel://[:pass@]host1:26379,host2:26379/MASTER[/db][?sentinel_password=...] " +
	"or redis-cluster://[:pass@]host1:port,host2:port (rediss-* for TLS)"

// ParseRedisURL reads a Redis URL in one of three forms:
//
//	redis://[user:password@]host:port[/db][?option=value]       one server (go-redis's ParseURL)
//	redis-sentinel://[user:password@]host1:port[,host2:port...]/MASTER[/db][?sentinel_username=u&sentinel_password=p&option=value]
//	redis-cluster://[user:password@]host1:port[,host2:port...][?option=value]
//
// and rediss, rediss-sentinel and rediss-cluster for TLS. The user and
// password are the data servers' (primary and replicas, or cluster
// nodes); the Sentinels' own credentials, when they have some, are the
// sentinel_username and sentinel_password query parameters. Other query
// parameters are go-redis's options (dial_timeout, pool_size, ...), and an
// unknown one is an error. The error never repeats the password.
func ParseRedisURL(raw string) (RedisTarget, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || rest == "" {
		return RedisTarget{}, fmt.Errorf("not a URL: want %s", RedisURLForms)
	}
	switch scheme {
	case "redis", "rediss":
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return RedisTarget{}, errors.New("no host: want redis://host:port/db")
		}
		opt, err := redis.ParseURL(raw)
		if err != nil {
			return RedisTarget{}, libraryError(err)
		}
		return RedisTarget{Kind: RedisSingle, Single: opt}, nil
	case "redis-sentinel", "rediss-sentinel":
		return parseSentinel(strings.TrimSuffix(scheme, "-sentinel"), rest)
	case "redis-cluster", "rediss-cluster":
		return parseCluster(strings.TrimSuffix(scheme, "-cluster"), rest)
	default:
		return RedisTarget{}, fmt.Errorf("scheme %q is not one of redis, rediss, redis-sentinel, rediss-sentinel, redis-cluster, rediss-cluster", scheme)
	}
}

// multiHost is a URL whose authority lists several host:port addresses,
// which net/url refuses (an IPv6 literal among them, notably): the hosts
// are cut out first and the rest parsed as a URL.
type multiHost struct {
	user  *url.Userinfo
	hosts []string
	path  []string // non-empty segments
	query url.Values
}

func splitMultiHost(base, rest string, defaultPort string) (multiHost, error) {
	authority, tail := rest, ""
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority, tail = rest[:i], rest[i:]
	}
	userinfo, hostList := "", authority
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		userinfo, hostList = authority[:i+1], authority[i+1:]
	}
	u, err := url.Parse(base + "://" + userinfo + "placeholder" + tail)
	if err != nil {
		return multiHost{}, errors.New("cannot read the user, path or query (percent-encode special characters of the password)")
	}
	if u.Fragment != "" {
		return multiHost{}, errors.New("a fragment (#...) has no meaning here")
	}
	m := multiHost{user: u.User, query: u.Query()}
	for _, s := range strings.Split(u.Path, "/") {
		if s != "" {
			m.path = append(m.path, s)
		}
	}
	if hostList == "" {
		return m, errors.New("no host: list host:port addresses separated by commas")
	}
	for _, h := range strings.Split(hostList, ",") {
		host, port, err := net.SplitHostPort(h)
		if err != nil {
			host, port = strings.Trim(h, "[]"), defaultPort
			if h == "" || strings.ContainsAny(host, "[]") || (strings.Count(h, ":") == 1) {
				return m, fmt.Errorf("address %q is not host:port", h)
			}
		}
		if host == "" {
			return m, fmt.Errorf("address %q has no host", h)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return m, fmt.Errorf("address %q: port %q is not a number from 1 to 65535", h, port)
		}
		m.hosts = append(m.hosts, net.JoinHostPort(host, port))
	}
	return m, nil
}

// libraryURL is the URL go-redis's own parsers read: the first host in the
// authority, the others as addr parameters.
func (m multiHost) libraryURL(base string, user *url.Userinfo, q url.Values) string {
	for _, h := range m.hosts[1:] {
		q.Add("addr", h)
	}
	u := url.URL{Scheme: base, User: user, Host: m.hosts[0], RawQuery: q.Encode()}
	return u.String()
}

func parseSentinel(base, rest string) (RedisTarget, error) {
	m, err := splitMultiHost(base, rest, "26379")
	if err != nil {
		return RedisTarget{}, err
	}
	switch len(m.path) {
	case 0:
		return RedisTarget{}, errors.New("no master name: want redis-sentinel://host1:26379,host2:26379/MASTER[/db]")
	case 1, 2:
	default:
		return RedisTarget{}, fmt.Errorf("path %q: want /MASTER or /MASTER/db", "/"+strings.Join(m.path, "/"))
	}
	q := url.Values{}
	for k, v := range m.query {
		switch k {
		case "sentinel_username", "sentinel_password", "master_name", "password", "username", "db", "addr":
		default:
			q[k] = v
		}
	}
	for _, k := range []string{"master_name", "password", "username", "db", "addr"} {
		if m.query.Has(k) {
			return RedisTarget{}, fmt.Errorf("option %q is part of the URL itself: the master name and db in the path, the data servers' user and password before the @", k)
		}
	}
	q.Set("master_name", m.path[0])
	if len(m.path) == 2 {
		db, err := strconv.Atoi(m.path[1])
		if err != nil || db < 0 {
			return RedisTarget{}, fmt.Errorf("database %q is not a number", m.path[1])
		}
		q.Set("db", m.path[1])
	}
	if m.user != nil {
		if name := m.user.Username(); name != "" {
			q.Set("username", name)
		}
		if pw, ok := m.user.Password(); ok {
			q.Set("password", pw)
		}
	}
	var sentinelUser *url.Userinfo
	su, sp := m.query.Get("sentinel_username"), m.query.Get("sentinel_password")
	switch {
	case m.query.Has("sentinel_password"):
		sentinelUser = url.UserPassword(su, sp)
	case su != "":
		sentinelUser = url.User(su)
	}
	opt, err := redis.ParseFailoverURL(m.libraryURL(base, sentinelUser, q))
	if err != nil {
		return RedisTarget{}, libraryError(err)
	}
	return RedisTarget{Kind: RedisSentinel, Failover: opt}, nil
}

func parseCluster(base, rest string) (RedisTarget, error) {
	m, err := splitMultiHost(base, rest, "6379")
	if err != nil {
		return RedisTarget{}, err
	}
	if len(m.path) > 0 {
		return RedisTarget{}, errors.New("a path has no meaning: a Redis Cluster has only database 0")
	}
	if m.query.Has("addr") {
		return RedisTarget{}, errors.New(`option "addr": list the nodes in the host part, separated by commas`)
	}
	opt, err := redis.ParseClusterURL(m.libraryURL(base, m.user, m.query))
	if err != nil {
		return RedisTarget{}, libraryError(err)
	}
	return RedisTarget{Kind: RedisCluster, Cluster: opt}, nil
}

// libraryError drops go-redis's "redis: " prefix; go-redis's messages name
// the option or part at fault and never the password.
func libraryError(err error) error {
	return errors.New(strings.TrimPrefix(err.Error(), "redis: "))
}
