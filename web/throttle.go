package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/followup/followup/templates"
	"github.com/followup/followup/throttle"
)

// Throttle slows down the guessing of passwords and API tokens: failed
// sign-ins are counted per account (the email typed, whether or not it
// exists) and per client address, unknown bearer tokens per client
// address, in Redis so every process shares the counts. A nil Throttle,
// or a nil limiter, throttles nothing.
type Throttle struct {
	// Account and Address count failed sign-ins.
	Account, Address *throttle.Limiter
	// Token counts unknown API tokens.
	Token *throttle.Limiter
	// Refused, when set, counts each attempt answered 429 for too many
	// failures (the one that spends the last allowed failure included):
	// kind "signin" or "token", scope "account" or "address".
	Refused func(kind, scope string)
	Log     *slog.Logger
}

// errThrottled says a request was answered 429.
var errThrottled = errors.New("too many failed attempts")

func (t *Throttle) refused(kind, scope string) {
	if t.Refused != nil {
		t.Refused(kind, scope)
	}
}

func (t *Throttle) warn(msg string, err error) {
	if t.Log != nil {
		t.Log.Warn(msg, "err", err)
	}
}

// tokenLocked says how long the client address must wait before its
// bearer tokens are checked again. Redis unreachable: the token is checked
// anyway (the API must not stop with Redis; a token cannot be guessed in
// the time an outage lasts).
func (t *Throttle) tokenLocked(ctx context.Context, addr string) time.Duration {
	if t == nil {
		return 0
	}
	wait, err := t.Token.Wait(ctx, addr)
	if err != nil {
		t.warn("token throttle unavailable; checking tokens without it", err)
		return 0
	}
	if wait > 0 {
		t.refused("token", "address")
	}
	return wait
}

// tokenFailed records an unknown token from addr; it says how long addr
// must now wait when that was its last allowed failure.
func (t *Throttle) tokenFailed(ctx context.Context, addr string) time.Duration {
	if t == nil {
		return 0
	}
	wait, err := t.Token.Fail(ctx, addr)
	if err != nil {
		t.warn("token throttle unavailable; failure not counted", err)
		return 0
	}
	if wait > 0 {
		t.refused("token", "address")
	}
	return wait
}

// signinLocked says how long a sign-in for account from addr must wait;
// an error when it could not be checked (sign-in then waits for Redis:
// passwords, unlike tokens, can be guessed).
func (t *Throttle) signinLocked(ctx context.Context, account, addr string) (time.Duration, error) {
	if t == nil {
		return 0, nil
	}
	byAccount, err := t.Account.Wait(ctx, account)
	if err != nil {
		return 0, err
	}
	byAddress, err := t.Address.Wait(ctx, addr)
	if err != nil {
		return 0, err
	}
	switch {
	case byAccount >= byAddress && byAccount > 0:
		t.refused("signin", "account")
	case byAddress > 0:
		t.refused("signin", "address")
	}
	return max(byAccount, byAddress), nil
}

// signinFailed records a wrong password for account from addr and says
// how long the next attempt must wait (0 while attempts are left).
func (t *Throttle) signinFailed(ctx context.Context, account, addr string) time.Duration {
	if t == nil {
		return 0
	}
	byAccount, err := t.Account.Fail(ctx, account)
	if err != nil {
		t.warn("sign-in throttle unavailable; failure not counted", err)
	}
	byAddress, err := t.Address.Fail(ctx, addr)
	if err != nil {
		t.warn("sign-in throttle unavailable; failure not counted", err)
	}
	switch {
	case byAccount >= byAddress && byAccount > 0:
		t.refused("signin", "account")
	case byAddress > 0:
		t.refused("signin", "address")
	}
	return max(byAccount, byAddress)
}

// signedIn forgets the failures of an account that signed in (those of
// its address stay: an attacker's own account must not reset them).
func (t *Throttle) signedIn(ctx context.Context, account string) {
	if t == nil {
		return
	}
	if err := t.Account.Reset(ctx, account); err != nil {
		t.warn("sign-in throttle unavailable; failures not reset", err)
	}
}

// WaitWords says how long to wait in words: "1 minute", "3 minutes".
func WaitWords(d time.Duration) string {
	if d < time.Minute {
		n := int(math.Ceil(d.Seconds()))
		if n <= 1 {
			return "1 second"
		}
		return strconv.Itoa(n) + " seconds"
	}
	n := int(math.Ceil(d.Minutes()))
	if n == 1 {
		return "1 minute"
	}
	return strconv.Itoa(n) + " minutes"
}

// WaitIn says how long to wait in words of locale, with the plural
// agreeing: "1 minute", "3 minutes", "1 seconde".
func WaitIn(locale string, d time.Duration) string {
	if d < time.Minute {
		return templates.N(locale, "staff.wait.seconds", max(1, int(math.Ceil(d.Seconds()))))
	}
	return templates.N(locale, "staff.wait.minutes", int(math.Ceil(d.Minutes())))
}

func setRetryAfter(w http.ResponseWriter, d time.Duration) {
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
}

// tooManyTokens answers the API's 429 for a client address that sent too
// many unknown tokens.
func (s *Server) tooManyTokens(w http.ResponseWriter, wait time.Duration) {
	setRetryAfter(w, wait)
	WriteError(w, http.StatusTooManyRequests, "", fmt.Sprintf(
		"too many requests with an unknown API token from this address: try again in %s (Retry-After); check the token (followup users tokens)", WaitWords(wait)))
}

// ClientAddr is the address of the client of r, as the throttles count
// it: the connection's peer, or, when the peer is a trusted proxy
// (FOLLOWUP_TRUSTED_PROXIES), the last address of X-Forwarded-For that is
// not a trusted proxy. IPv6 clients are counted by their /64, which one
// host can change at will.
func (s *Server) ClientAddr(r *http.Request) string {
	ip := peerAddr(r)
	if s.trusted(ip) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // garbage: believe no further
			}
			ip = hop.Unmap()
			if !s.trusted(ip) {
				break
			}
		}
	}
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// peerAddr is the address of the connection's other end.
func peerAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, _ := netip.ParseAddr(host)
	return ip.Unmap()
}

func (s *Server) trusted(ip netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// HTTPS says whether r came over https: TLS on this connection, or a
// trusted proxy's X-Forwarded-Proto.
func (s *Server) HTTPS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return strings.EqualFold(strings.TrimSpace(proto), "https") && s.trusted(peerAddr(r))
}
