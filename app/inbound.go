package app

import (
	"fmt"
	"net"

	"github.com/followup/followup/mail/receive"
	"github.com/followup/followup/throttle"
)

// listenInbound opens the inbound SMTP listener's address when the role
// runs and an inbound domain is configured (all runs it only then).
func (a *App) listenInbound(roles Roles, ex Extras) (net.Listener, error) {
	if !roles.Inbound || a.Addresses == nil {
		return nil, nil
	}
	if ex.InboundListener != nil {
		return ex.InboundListener, nil
	}
	ln, err := net.Listen("tcp", a.Cfg.Inbound.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on FOLLOWUP_INBOUND_ADDR %s: %w", a.Cfg.Inbound.Addr, err)
	}
	return ln, nil
}

// serveInbound serves the inbound SMTP listener on ln (nil: none).
func (a *App) serveInbound(ln net.Listener, errc chan<- error) (*receive.Listener, error) {
	if ln == nil {
		return nil, nil
	}
	cfg := a.Cfg.Inbound
	l, err := receive.NewListener(receive.Config{
		Addresses: a.Addresses, Store: a.Inbound, Queue: a.Queue, TLS: cfg.TLS, MaxBytes: cfg.MaxBytes,
		Clients: throttle.New(a.Redis, a.Cfg.QueuePrefix, "inbound-client", throttle.Limit{Attempts: cfg.ClientLimit.N, Per: cfg.ClientLimit.Per}),
		Clock:   a.Clock, Log: a.Log.With("component", "inbound"),
	})
	if err != nil {
		ln.Close()
		return nil, err
	}
	a.Log.Info("inbound smtp listening", "addr", ln.Addr().String(), "domain", a.Addresses.Domain(), "starttls", cfg.TLS != nil)
	go func() {
		if err := l.Serve(ln); err != nil {
			errc <- fmt.Errorf("inbound smtp: %w", err)
		}
	}()
	return l, nil
}
