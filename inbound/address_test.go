package inbound_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/followup/followup/inbound"
)

var (
	keyA = []byte(strings.Repeat("a", 32))
	keyB = []byte(strings.Repeat("b", 32))
)

func TestAddressesRouteThemselves(t *testing.T) {
	a, err := inbound.NewAddresser("Reply.Example.com", keyA)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []inbound.Route{{Kind: inbound.KindComplaint, ID: 42}, {Kind: inbound.KindInvitation, ID: 7},
		{Kind: inbound.KindInvitationBounce, ID: 9000000001}, {Kind: inbound.KindMessageBounce, ID: 1}} {
		addr := a.Address(r.Kind, r.ID)
		if !strings.HasSuffix(addr, "@reply.example.com") || len(addr[:strings.IndexByte(addr, '@')]) > 64 {
			t.Errorf("%v: address %q not a valid one of the domain", r, addr)
		}
		for _, form := range []string{addr, "<" + addr + ">", strings.ToUpper(addr)} {
			got, err := a.Verify(form)
			if err != nil || got != r {
				t.Errorf("Verify(%q) = %v, %v; want %v", form, got, err, r)
			}
		}
	}
}

func TestTamperedAddressesAreRefused(t *testing.T) {
	a, _ := inbound.NewAddresser("reply.example.com", keyA)
	good := a.Address(inbound.KindComplaint, 42)
	local := good[:strings.IndexByte(good, '@')]
	sig := local[strings.IndexByte(local, '-')+1:]
	cases := []struct {
		name, addr string
		want       error
	}{
		{"other id", strings.Replace(good, "c42-", "c43-", 1), inbound.ErrTampered},
		{"other kind", strings.Replace(good, "c42-", "i42-", 1), inbound.ErrTampered},
		{"signature changed", "c42-" + flip(sig) + "@reply.example.com", inbound.ErrTampered},
		{"signature cut", "c42-" + sig[:10] + "@reply.example.com", inbound.ErrTampered},
		{"no signature", "c42@reply.example.com", inbound.ErrTampered},
		{"unknown kind", "x42-" + sig + "@reply.example.com", inbound.ErrTampered},
		{"leading zero", "c042-" + sig + "@reply.example.com", inbound.ErrTampered},
		{"postmaster", "postmaster@reply.example.com", inbound.ErrTampered},
		{"other domain", local + "@example.com", inbound.ErrNotOurs},
		{"subdomain", local + "@x.reply.example.com", inbound.ErrNotOurs},
		{"empty", "", inbound.ErrNotOurs},
	}
	for _, c := range cases {
		if _, err := a.Verify(c.addr); !errors.Is(err, c.want) {
			t.Errorf("%s: Verify(%q) = %v, want %v", c.name, c.addr, err, c.want)
		}
	}
}

func TestAddressKeysRotate(t *testing.T) {
	old, _ := inbound.NewAddresser("reply.example.com", keyA)
	rotated, _ := inbound.NewAddresser("reply.example.com", keyB, keyA)
	fresh, _ := inbound.NewAddresser("reply.example.com", keyB)
	addr := old.Address(inbound.KindInvitation, 5)
	if _, err := rotated.Verify(addr); err != nil {
		t.Errorf("an address signed with the former key is refused after rotation: %v", err)
	}
	if _, err := fresh.Verify(addr); !errors.Is(err, inbound.ErrTampered) {
		t.Errorf("an address signed with a retired key is accepted: %v", err)
	}
	if rotated.Address(inbound.KindInvitation, 5) == addr {
		t.Error("the rotated addresser still signs with the former key")
	}
}

func TestAddresserNeedsADomainAndAKey(t *testing.T) {
	if _, err := inbound.NewAddresser("", keyA); err == nil {
		t.Error("an empty domain is accepted")
	}
	if _, err := inbound.NewAddresser("a@b", keyA); err == nil {
		t.Error("an address is accepted as a domain")
	}
	if _, err := inbound.NewAddresser("reply.example.com", []byte("short")); err == nil {
		t.Error("a short key is accepted")
	}
}

func flip(s string) string {
	b := []byte(s)
	if b[0] == 'a' {
		b[0] = 'b'
	} else {
		b[0] = 'a'
	}
	return string(b)
}
