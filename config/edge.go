package config

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Edge configures the HTTP edge: how guessing passwords and API tokens is
// slowed down, and which proxies are trusted to say who the client is.
type Edge struct {
	// SigninAccount limits the failed sign-ins per account (email typed).
	SigninAccount Attempts
	// SigninAddress limits the failed sign-ins per client address.
	SigninAddress Attempts
	// TokenAddress limits the unknown API tokens per client address.
	TokenAddress Attempts
	// TrustedProxies are the reverse proxies whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; empty believes none.
	TrustedProxies []netip.Prefix
}

// Attempts is how many failures in a row are allowed (N) before waiting,
// and the time over which they are all forgiven (Per); N 0 is off.
type Attempts struct {
	N   int
	Per time.Duration
}

var attemptsRE = regexp.MustCompile(`^([0-9]{1,5})\s*/\s*([0-9a-z.]+)$`)

// parseAttempts reads "5/15m" (5 failures, all forgiven over 15 minutes) or "off".
func parseAttempts(raw string) (Attempts, error) {
	if raw == "off" {
		return Attempts{}, nil
	}
	m := attemptsRE.FindStringSubmatch(strings.TrimSpace(raw))
	if m == nil {
		return Attempts{}, expectError("attempts/duration such as 5/15m (5 failures, forgiven over 15 minutes), or off")
	}
	n, _ := strconv.Atoi(m[1])
	per, err := time.ParseDuration(m[2])
	if err != nil || n < 1 || per < time.Second || per > 24*time.Hour {
		return Attempts{}, expectError("attempts/duration such as 5/15m: at least 1 attempt, over 1s to 24h; or off")
	}
	return Attempts{N: n, Per: per}, nil
}

var edgeFields = []field{
	{env: "FOLLOWUP_SIGNIN_ACCOUNT_LIMIT", def: "5/15m",
		usage: "failed sign-ins allowed per account before it must wait, and the time over which they are forgiven (5/15m: after 5, one try every 3 minutes); off for none",
		set: func(c *Config, raw string) (err error) {
			c.Edge.SigninAccount, err = parseAttempts(raw)
			return err
		}},
	{env: "FOLLOWUP_SIGNIN_ADDRESS_LIMIT", def: "20/15m",
		usage: "failed sign-ins allowed per client address (any account), as above; off for none",
		set: func(c *Config, raw string) (err error) {
			c.Edge.SigninAddress, err = parseAttempts(raw)
			return err
		}},
	{env: "FOLLOWUP_TOKEN_ADDRESS_LIMIT", def: "20/1m",
		usage: "unknown API tokens allowed per client address before its requests are refused (429), as above; off for none",
		set: func(c *Config, raw string) (err error) {
			c.Edge.TokenAddress, err = parseAttempts(raw)
			return err
		}},
	{env: "FOLLOWUP_TRUSTED_PROXIES", def: "",
		usage: "comma-separated addresses or CIDR ranges of the reverse proxies whose X-Forwarded-For (client address) and X-Forwarded-Proto (https) are believed; empty believes none",
		set: func(c *Config, raw string) error {
			c.Edge.TrustedProxies = nil
			for _, part := range strings.Split(raw, ",") {
				part = strings.TrimSpace(part)
				if part == "" {
					continue
				}
				p, err := netip.ParsePrefix(part)
				if err != nil {
					a, aerr := netip.ParseAddr(part)
					if aerr != nil {
						return expectError("addresses or CIDR ranges such as 127.0.0.1,10.0.0.0/8")
					}
					p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
				}
				c.Edge.TrustedProxies = append(c.Edge.TrustedProxies, p.Masked())
			}
			return nil
		}},
}

func init() { fields = append(fields, edgeFields...) }
