package surveys

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors of link verification.
var (
	// ErrLinkTampered is a link that was not signed by us: altered, truncated
	// or forged. Show 403.
	ErrLinkTampered = errors.New("link is not valid")
	// ErrLinkExpired is a genuine link past its expiry. Show 410.
	ErrLinkExpired = errors.New("link has expired")
)

// Purpose separates the links signed for different actions, so a survey
// link cannot be replayed as an unsubscribe link.
type Purpose string

// Link purposes.
const (
	PurposeSurvey      Purpose = "survey"
	PurposeUnsubscribe Purpose = "unsubscribe"
)

// Signer signs and verifies the personal links sent to customers: an
// invitation id and an expiry, authenticated with HMAC-SHA256. Former keys
// still verify, so the secret can be rotated without breaking links in
// mailboxes.
type Signer struct {
	current  []byte
	previous [][]byte
}

// NewSigner returns a Signer that signs with current and also accepts
// previous keys.
func NewSigner(current []byte, previous ...[]byte) (*Signer, error) {
	if len(current) < 32 {
		return nil, fmt.Errorf("link signing key: need at least 32 bytes, got %d", len(current))
	}
	return &Signer{current: current, previous: previous}, nil
}

// Claims is what a verified link says.
type Claims struct {
	InvitationID int64
	ExpiresAt    time.Time
}

// Sign returns the token for an invitation, valid until expires.
func (s *Signer) Sign(p Purpose, invitationID int64, expires time.Time) string {
	body := strconv.FormatInt(invitationID, 10) + "." + strconv.FormatInt(expires.Unix(), 10)
	return body + "." + base64.RawURLEncoding.EncodeToString(mac(s.current, p, body))
}

// Verify checks a token for purpose p at time now.
func (s *Signer) Verify(p Purpose, token string, now time.Time) (Claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return Claims{}, ErrLinkTampered
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	sig, err3 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || id <= 0 {
		return Claims{}, ErrLinkTampered
	}
	body := parts[0] + "." + parts[1]
	valid := hmac.Equal(sig, mac(s.current, p, body))
	for _, k := range s.previous {
		valid = valid || hmac.Equal(sig, mac(k, p, body))
	}
	if !valid {
		return Claims{}, ErrLinkTampered
	}
	c := Claims{InvitationID: id, ExpiresAt: time.Unix(exp, 0)}
	if !now.Before(c.ExpiresAt) {
		return c, ErrLinkExpired
	}
	return c, nil
}

func mac(key []byte, p Purpose, body string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(p))
	h.Write([]byte{0})
	h.Write([]byte(body))
	return h.Sum(nil)
}
