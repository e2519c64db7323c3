package app

import (
	"context"
	"fmt"
	"net"
	"time"

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

// pollIMAP empties the mailbox of FOLLOWUP_INBOUND_IMAP_URL every
// FOLLOWUP_INBOUND_IMAP_INTERVAL until ctx ends, when the inbound role runs
// and both a domain and a mailbox are configured.
func (a *App) pollIMAP(ctx context.Context, roles Roles) (done <-chan struct{}, err error) {
	m := a.Cfg.Inbound.IMAP
	if !roles.Inbound || a.Addresses == nil || m.Addr == "" {
		return nil, nil
	}
	p, err := receive.NewPoller(receive.PollerConfig{Addr: m.Addr, Security: m.Security, Username: m.Username, Password: m.Password,
		Mailbox: m.Mailbox, Addresses: a.Addresses, Store: a.Inbound, Queue: a.Queue, MaxBytes: a.Cfg.Inbound.MaxBytes,
		Clock: a.Clock, Log: a.Log.With("component", "imap")})
	if err != nil {
		return nil, err
	}
	ch := make(chan struct{})
	a.Log.Info("imap polling", "addr", m.Addr, "mailbox", m.Mailbox, "every", a.Cfg.Inbound.IMAPEvery)
	go func() {
		defer close(ch)
		p.Run(ctx, a.Cfg.Inbound.IMAPEvery)
	}()
	return ch, nil
}

// inboundRole is the running inbound role: its SMTP listener and its IMAP
// poller, either of which may be off.
type inboundRole struct {
	srv      *receive.Listener
	stopIMAP context.CancelFunc
	imapDone <-chan struct{}
}

// startInbound starts the listener on ln (nil: none) and the IMAP poller;
// a failure to start is sent to errc.
func (a *App) startInbound(ln net.Listener, roles Roles, errc chan<- error) *inboundRole {
	r := &inboundRole{}
	var err error
	if r.srv, err = a.serveInbound(ln, errc); err != nil {
		errc <- err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.stopIMAP = cancel
	if r.imapDone, err = a.pollIMAP(ctx, roles); err != nil {
		errc <- err
	}
	return r
}

// stop ends the poller (a poll under way stops; what it stored leaves the
// mailbox, the rest stays) and the listener (a message not stored yet was
// not acknowledged: its sender retries).
func (r *inboundRole) stop() {
	r.stopIMAP()
	if r.imapDone != nil {
		<-r.imapDone
	}
	if r.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.srv.Shutdown(ctx); err != nil {
			_ = r.srv.Close()
		}
	}
}
