package config

import (
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"strings"
)

// DKIM is how every outgoing email is signed (go-mail's DKIM support).
type DKIM struct {
	// KeyFile is the PEM private key's file; empty signs nothing.
	KeyFile string
	// Key is its content, checked to be an RSA or Ed25519 private key.
	Key []byte
	// Selector and Domain say where receivers find the public key:
	// Selector._domainkey.Domain (Domain defaults to the From address's).
	Selector string
	Domain   string
}

var dkimFields = []field{
	{env: "FOLLOWUP_DKIM_KEY_FILE", def: "",
		usage: "a PEM private key (RSA or Ed25519, PKCS#1 or PKCS#8) every outgoing email is DKIM-signed with; empty signs nothing",
		set: func(c *Config, raw string) error {
			c.DKIM.KeyFile, c.DKIM.Key = strings.TrimSpace(raw), nil
			if c.DKIM.KeyFile == "" {
				return nil
			}
			b, err := os.ReadFile(c.DKIM.KeyFile)
			if err != nil {
				return expectError("a readable PEM key file (" + err.Error() + ")")
			}
			if !dkimKey(b) {
				return expectError("a PEM file holding an RSA or Ed25519 private key (PKCS#1 or PKCS#8)")
			}
			c.DKIM.Key = b
			return nil
		}},
	{env: "FOLLOWUP_DKIM_SELECTOR", def: "",
		usage: "the DKIM selector of FOLLOWUP_DKIM_KEY_FILE: its public key is published at SELECTOR._domainkey.DOMAIN",
		set: func(c *Config, raw string) error {
			s := strings.TrimSpace(raw)
			if s != "" && !domainRE.MatchString(strings.ToLower(s)) {
				return expectError("a selector of letters, digits, '-' and '.', such as followup2026")
			}
			if s == "" && c.DKIM.KeyFile != "" {
				return expectError("a selector, required with FOLLOWUP_DKIM_KEY_FILE")
			}
			c.DKIM.Selector = s
			return nil
		}},
	{env: "FOLLOWUP_DKIM_DOMAIN", def: "",
		usage: "the signing domain (d=) of the DKIM signature; empty: the domain of FOLLOWUP_SMTP_FROM",
		set: func(c *Config, raw string) error {
			d := strings.ToLower(strings.TrimSpace(raw))
			if d != "" && !domainRE.MatchString(d) {
				return expectError("a domain name such as example.com, or empty for the sender's")
			}
			c.DKIM.Domain = d
			return nil
		}},
}

// dkimKey says whether b is a PEM RSA or Ed25519 private key.
func dkimKey(b []byte) bool {
	block, _ := pem.Decode(b)
	if block == nil {
		return false
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		_, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		return err == nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return false
		}
		switch k.(type) {
		case *rsa.PrivateKey, ed25519.PrivateKey:
			return true
		}
	}
	return false
}

func init() { fields = append(fields, dkimFields...) }
