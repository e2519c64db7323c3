package receive

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/inbound"
)

// IMAP security modes.
const (
	// IMAPTLS is implicit TLS (imaps, port 993).
	IMAPTLS = "tls"
	// IMAPStartTLS upgrades the connection before logging in; a server
	// without STARTTLS is refused.
	IMAPStartTLS = "starttls"
	// IMAPPlain sends everything in clear: a mailbox on a trusted network.
	IMAPPlain = "plain"
)

// PollerConfig is the mailbox an IMAP poller empties.
type PollerConfig struct {
	Addr     string
	Security string
	// TLS tunes the TLS of tls and starttls (a private CA's RootCAs);
	// nil trusts the system's.
	TLS      *tls.Config
	Username string
	Password string
	Mailbox  string

	Addresses *inbound.Addresser
	Store     *inbound.Store
	Queue     Enqueuer
	// MaxBytes is the largest message taken; a larger one stays in the
	// mailbox for a person to read.
	MaxBytes int64
	Clock    clock.Clock
	Log      *slog.Logger
}

// Poller takes the messages of a mailbox into followup: each is stored
// once, and deleted from the mailbox only after it is.
type Poller struct{ cfg PollerConfig }

// NewPoller returns a poller of cfg's mailbox.
func NewPoller(cfg PollerConfig) (*Poller, error) {
	if cfg.Addresses == nil || cfg.Store == nil || cfg.Queue == nil || cfg.Addr == "" {
		return nil, errors.New("imap poller: address, addresses, store and queue are required")
	}
	if cfg.Mailbox == "" {
		cfg.Mailbox = "INBOX"
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real{}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 20 << 20
	}
	return &Poller{cfg: cfg}, nil
}

// Run polls every interval until ctx ends; a failed poll is logged and
// tried again at the next tick (whatever was not stored stays in the
// mailbox).
func (p *Poller) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := p.Poll(ctx); err != nil {
			p.cfg.Log.Warn("imap poll failed; the mailbox keeps what was not stored", "mailbox", p.cfg.Mailbox, "err", err)
		} else if n > 0 {
			p.cfg.Log.Info("imap poll", "mailbox", p.cfg.Mailbox, "taken", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (p *Poller) dial() (*imapclient.Client, error) {
	opts := &imapclient.Options{TLSConfig: p.cfg.TLS}
	switch p.cfg.Security {
	case IMAPTLS:
		return imapclient.DialTLS(p.cfg.Addr, opts)
	case IMAPPlain:
		return imapclient.DialInsecure(p.cfg.Addr, opts)
	default:
		return imapclient.DialStartTLS(p.cfg.Addr, opts)
	}
}

// Poll takes every message of the mailbox once: stores it (once, by
// content and Message-ID), queues its parsing, then flags it deleted and
// expunges it. It returns how many it took.
func (p *Poller) Poll(ctx context.Context) (int, error) {
	c, err := p.dial()
	if err != nil {
		return 0, fmt.Errorf("connect to %s: %w", p.cfg.Addr, err)
	}
	defer c.Close()
	if err := c.Login(p.cfg.Username, p.cfg.Password).Wait(); err != nil {
		return 0, fmt.Errorf("log in as %s: %w", p.cfg.Username, err)
	}
	sel, err := c.Select(p.cfg.Mailbox, nil).Wait()
	if err != nil {
		return 0, fmt.Errorf("select %s: %w", p.cfg.Mailbox, err)
	}
	if sel.NumMessages == 0 {
		return 0, c.Logout().Wait()
	}
	section := &imap.FetchItemBodySection{Peek: true}
	var all imap.SeqSet
	all.AddRange(1, sel.NumMessages)
	msgs, err := c.Fetch(all, &imap.FetchOptions{UID: true, RFC822Size: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return 0, fmt.Errorf("fetch from %s: %w", p.cfg.Mailbox, err)
	}
	var taken imap.UIDSet
	var storeErr error
	for _, m := range msgs {
		raw := m.FindBodySection(section)
		if m.RFC822Size > p.cfg.MaxBytes || int64(len(raw)) > p.cfg.MaxBytes {
			p.cfg.Log.Warn("imap message too large: left in the mailbox", "uid", m.UID, "size", m.RFC822Size)
			continue
		}
		rcpt, route := p.recipient(raw)
		stored, err := p.cfg.Store.Receive(ctx, []inbound.Received{{Source: inbound.SourceIMAP, Remote: p.cfg.Mailbox,
			MailFrom: returnPath(raw), RcptTo: rcpt, Route: route, Raw: raw, At: p.cfg.Clock.Now()}})
		if err != nil {
			storeErr = fmt.Errorf("store message %d of %s: %w", m.UID, p.cfg.Mailbox, err)
			break // what is stored is deleted below; the rest stays for the next poll
		}
		taken.AddNum(m.UID)
		if stored[0].Fresh {
			if err := p.cfg.Queue.EnqueueInboundParse(ctx, stored[0].ID); err != nil {
				p.cfg.Log.Warn("inbound message stored, its parsing not queued (the reconciler will)", "message", stored[0].ID, "err", err)
			}
		}
	}
	if len(taken) == 0 {
		return 0, errors.Join(storeErr, c.Logout().Wait())
	}
	if err := c.Store(taken, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagDeleted}}, nil).Close(); err != nil {
		return 0, fmt.Errorf("flag taken messages deleted: %w", err)
	}
	var expErr error
	if c.Caps().Has(imap.CapUIDPlus) {
		expErr = c.UIDExpunge(taken).Close()
	} else {
		expErr = c.Expunge().Close()
	}
	if expErr != nil {
		return 0, fmt.Errorf("expunge taken messages: %w", expErr)
	}
	n := 0
	for _, r := range taken {
		n += int(r.Stop - r.Start + 1)
	}
	return n, errors.Join(storeErr, c.Logout().Wait())
}

// recipient is the first of our signed addresses the message was
// delivered to (Delivered-To, X-Original-To, To, Cc), with what it names;
// else its first recipient, naming nothing (it will wait unmatched).
func (p *Poller) recipient(raw []byte) (string, inbound.Route) {
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return "", inbound.Route{}
	}
	first := ""
	for _, h := range []string{"Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc"} {
		for _, v := range msg.Header[h] {
			list, err := mail.ParseAddressList(v)
			if err != nil {
				list = []*mail.Address{{Address: strings.Trim(strings.TrimSpace(v), "<>")}}
			}
			for _, a := range list {
				if r, err := p.cfg.Addresses.Verify(a.Address); err == nil {
					return a.Address, r
				}
				if first == "" {
					first = a.Address
				}
			}
		}
	}
	return first, inbound.Route{}
}

// returnPath is the envelope sender the mailbox's server recorded.
func returnPath(raw []byte) string {
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return ""
	}
	return strings.Trim(strings.TrimSpace(msg.Header.Get("Return-Path")), "<>")
}
