package inbound

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Kind is what a signed address belongs to.
type Kind string

// Kinds of signed address.
const (
	// KindComplaint is the Reply-To of every email about a complaint.
	KindComplaint Kind = "c"
	// KindInvitation is the Reply-To of a survey email (invitation,
	// reminder, recovery survey).
	KindInvitation Kind = "i"
	// KindInvitationBounce is the envelope sender (Return-Path) of a survey
	// email: a delivery report coming back to it names the invitation (VERP).
	KindInvitationBounce Kind = "bi"
	// KindMessageBounce is the envelope sender of one complaint email.
	KindMessageBounce Kind = "bm"
)

// Bounce is true for the envelope senders, where delivery reports go.
func (k Kind) Bounce() bool { return k == KindInvitationBounce || k == KindMessageBounce }

// Errors of address verification.
var (
	// ErrNotOurs is an address outside the inbound domain.
	ErrNotOurs = errors.New("address is not in the inbound domain")
	// ErrTampered is a local part we did not sign: altered, truncated,
	// forged or unknown.
	ErrTampered = errors.New("address is not one we signed")
)

// Route is what a verified address names.
type Route struct {
	Kind Kind
	ID   int64
}

// String is the route as logs and the store write it: "c42".
func (r Route) String() string { return string(r.Kind) + strconv.FormatInt(r.ID, 10) }

// sigLen is the bytes of HMAC kept in a local part: 80 bits, written in 16
// base32 letters and digits (local parts are often lower-cased on the way).
const sigLen = 10

var b32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Addresser signs and verifies the addresses of the inbound domain with the
// keys of the survey links: the current one signs, former ones still verify,
// so the secret rotates without breaking the addresses in mailboxes.
type Addresser struct {
	domain   string
	current  []byte
	previous [][]byte
}

// NewAddresser returns the Addresser of domain, signing with current and
// accepting previous keys too.
func NewAddresser(domain string, current []byte, previous ...[]byte) (*Addresser, error) {
	domain = strings.ToLower(strings.TrimSpace(domain))
	if domain == "" || strings.ContainsAny(domain, "@ <>\r\n") {
		return nil, fmt.Errorf("inbound domain %q: a domain name is needed", domain)
	}
	if len(current) < 32 {
		return nil, fmt.Errorf("inbound address signing key: need at least 32 bytes, got %d", len(current))
	}
	return &Addresser{domain: domain, current: current, previous: previous}, nil
}

// Domain is the inbound domain.
func (a *Addresser) Domain() string { return a.domain }

// Address is the signed address of kind and id: "c42-<signature>@domain".
func (a *Addresser) Address(k Kind, id int64) string {
	body := string(k) + strconv.FormatInt(id, 10)
	return body + "-" + b32.EncodeToString(addrMAC(a.current, body)) + "@" + a.domain
}

// Verify checks an address (with or without angle brackets, any case) and
// says what it names.
func (a *Addresser) Verify(addr string) (Route, error) {
	addr = strings.ToLower(strings.TrimSpace(strings.Trim(strings.TrimSpace(addr), "<>")))
	at := strings.LastIndexByte(addr, '@')
	if at < 0 || addr[at+1:] != a.domain {
		return Route{}, ErrNotOurs
	}
	local := addr[:at]
	dash := strings.LastIndexByte(local, '-')
	if dash < 0 {
		return Route{}, ErrTampered
	}
	body, sig := local[:dash], local[dash+1:]
	r, ok := parseBody(body)
	if !ok {
		return Route{}, ErrTampered
	}
	got, err := b32.DecodeString(sig)
	if err != nil || len(got) != sigLen {
		return Route{}, ErrTampered
	}
	valid := hmac.Equal(got, addrMAC(a.current, body))
	for _, k := range a.previous {
		valid = valid || hmac.Equal(got, addrMAC(k, body))
	}
	if !valid {
		return Route{}, ErrTampered
	}
	return r, nil
}

// parseBody reads "c42" (the kind, then a positive id in canonical form).
func parseBody(body string) (Route, bool) {
	i := strings.IndexFunc(body, func(r rune) bool { return r >= '0' && r <= '9' })
	if i <= 0 {
		return Route{}, false
	}
	k := Kind(body[:i])
	switch k {
	case KindComplaint, KindInvitation, KindInvitationBounce, KindMessageBounce:
	default:
		return Route{}, false
	}
	id, err := strconv.ParseInt(body[i:], 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != body[i:] {
		return Route{}, false
	}
	return Route{Kind: k, ID: id}, true
}

// addrMAC signs body for addresses only: a survey link's signature is no
// address's, whatever the id.
func addrMAC(key []byte, body string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("inbound-address"))
	h.Write([]byte{0})
	h.Write([]byte(body))
	return h.Sum(nil)[:sigLen]
}
