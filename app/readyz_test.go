package app_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/testenv"
)

// link is a TCP link to the test Redis that can be cut and restored: the
// network between followup and Redis, failing for real.
type link struct {
	target, addr string

	mu    sync.Mutex
	ln    net.Listener
	conns []net.Conn
}

func newLink(t *testing.T, target string) *link {
	t.Helper()
	l := &link{target: target, addr: "127.0.0.1:0"}
	if err := l.up(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.cut)
	return l
}

// up listens on the link's address (the same port after a cut) and forwards
// every connection to the target.
func (l *link) up() error {
	ln, err := net.Listen("tcp", l.addr)
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.ln, l.addr = ln, ln.Addr().String()
	l.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r, err := net.Dial("tcp", l.target)
			if err != nil {
				c.Close()
				continue
			}
			l.mu.Lock()
			l.conns = append(l.conns, c, r)
			l.mu.Unlock()
			go func() { _, _ = io.Copy(r, c); r.Close() }()
			go func() { _, _ = io.Copy(c, r); c.Close() }()
		}
	}()
	return nil
}

// cut closes the listener and every open connection: Redis is unreachable.
func (l *link) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln != nil {
		l.ln.Close()
		l.ln = nil
	}
	for _, c := range l.conns {
		c.Close()
	}
	l.conns = nil
}

// readyz returns /readyz's status and JSON body.
func readyz(t *testing.T, base string) (int, map[string]string) {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("/readyz body is not JSON: %v", err)
	}
	return resp.StatusCode, body
}

// TestReadyzNamesWhatIsDown: /readyz is 200 while PostgreSQL and Redis
// answer, 503 naming Redis (and PostgreSQL still ok) once the link to Redis
// is cut, and 200 again when it is back; on the main listener and on the
// metrics listener, which a process with the HTTP role also opens when
// FOLLOWUP_METRICS_ADDR is set.
func TestReadyzNamesWhatIsDown(t *testing.T) {
	t.Parallel()
	redisURL, err := url.Parse(testenv.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	toRedis := newLink(t, redisURL.Host)
	redisURL.Host = toRedis.addr
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true},
		Env: map[string]string{"FOLLOWUP_REDIS_URL": redisURL.String(), "FOLLOWUP_METRICS_ADDR": "127.0.0.1:0"}})
	bases := []string{h.URL, h.MetricsURL}

	for _, base := range bases {
		if status, body := readyz(t, base); status != http.StatusOK || body["postgres"] != "ok" || body["redis"] != "ok" {
			t.Errorf("%s/readyz with everything up: %d %v", base, status, body)
		}
	}

	toRedis.cut()
	for _, base := range bases {
		var body map[string]string
		eventually(t, base+"/readyz to report Redis down", func() bool {
			var status int
			status, body = readyz(t, base)
			return status == http.StatusServiceUnavailable
		})
		if body["postgres"] != "ok" || body["redis"] != "down" {
			t.Errorf("%s/readyz should name Redis, and only Redis: %v", base, body)
		}
	}

	if err := toRedis.up(); err != nil {
		t.Fatalf("restore the link on %s: %v", toRedis.addr, err)
	}
	for _, base := range bases {
		eventually(t, base+"/readyz to recover with Redis", func() bool {
			status, body := readyz(t, base)
			return status == http.StatusOK && body["redis"] == "ok"
		})
	}
}
