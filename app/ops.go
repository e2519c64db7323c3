package app

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/followup/followup/web"
)

// OpsServer is the web server of the metrics listener (FOLLOWUP_METRICS_ADDR):
// this process's registry on /metrics, behind the same bearer tokens as the
// main server, and the health probes. Nothing else is wired into it.
func (a *App) OpsServer() *web.Server {
	return &web.Server{
		Users: a.Users, Clock: a.Clock, Log: a.Log.With("component", "metrics"),
		Metrics: a.Metrics.Handler(), Requests: a.Metrics.HTTP, Ready: a.readyChecks(),
		Throttle: a.throttle, TrustedProxies: a.Cfg.Edge.TrustedProxies,
	}
}

// MetricsAddr is the address the metrics listener is bound to once Run has
// opened it (with port 0 in FOLLOWUP_METRICS_ADDR, the port picked); empty
// before that, or when FOLLOWUP_METRICS_ADDR is unset.
func (a *App) MetricsAddr() string {
	addr, _ := a.metricsAddr.Load().(string)
	return addr
}

// listenOps opens FOLLOWUP_METRICS_ADDR when it is set. A process with
// neither the HTTP role nor that setting shows its figures to no one: it
// says so once.
func (a *App) listenOps(roles Roles) (net.Listener, error) {
	if a.Cfg.MetricsAddr == "" {
		if !roles.HTTP {
			a.Log.Info("this process's metrics are not served: set FOLLOWUP_METRICS_ADDR to scrape them")
		}
		return nil, nil
	}
	ln, err := net.Listen("tcp", a.Cfg.MetricsAddr)
	if err != nil {
		return nil, fmt.Errorf("listen on FOLLOWUP_METRICS_ADDR %s: %w", a.Cfg.MetricsAddr, err)
	}
	a.metricsAddr.Store(ln.Addr().String())
	return ln, nil
}

func newHTTPServer(h http.Handler, writeTimeout time.Duration) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       2 * time.Minute,
	}
}

// serveHTTP serves until the server is shut down; any other end is an
// error of the process.
func serveHTTP(srv *http.Server, ln net.Listener, name string, errc chan<- error) {
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		errc <- fmt.Errorf("%s: %w", name, err)
	}
}
