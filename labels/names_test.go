package labels_test

import (
	"testing"

	"github.com/followup/followup/labels"
)

// TestDerive: a code nobody named reads as words, never as the code.
func TestDerive(t *testing.T) {
	for _, c := range []struct{ code, want string }{
		{"team-store", "Team store"},
		{"home_delivery", "Home delivery"},
		{"courier", "Courier"},
		{"homeDelivery", "Home Delivery"},
		{"VIP", "VIP"},
		{"  after--sale__call ", "After sale call"},
		{"web/chat", "Web chat"},
		{"Boutique de Lyon", "Boutique de Lyon"},
		{"équipe_nord", "Équipe nord"},
		{"_", "_"},
	} {
		if got := labels.Derive(c.code); got != c.want {
			t.Errorf("Derive(%q) = %q, want %q", c.code, got, c.want)
		}
	}
}

// TestResolveOrder: the admins' name in the language, then the built-in
// one, then the admins' name in another language, then words from the code.
func TestResolveOrder(t *testing.T) {
	admin := func(names map[string]string) labels.Lookup {
		return func(locale string, kind labels.Kind, code string) (string, bool) {
			n, ok := names[locale+"/"+string(kind)+"/"+code]
			return n, ok
		}
	}
	builtin := admin(map[string]string{"fr/risk/temporal": "Temporel", "en/risk/temporal": "Time"})
	for _, c := range []struct {
		name         string
		locale       string
		kind         labels.Kind
		code         string
		adminNames   map[string]string
		builtinNames labels.Lookup
		want         string
	}{
		{"admin's French name wins over the built-in", "fr", labels.Risk, "temporal", map[string]string{"fr/risk/temporal": "Délais"}, builtin, "Délais"},
		{"built-in when admins named nothing", "fr", labels.Risk, "temporal", nil, builtin, "Temporel"},
		{"built-in in the language before the admins' other language", "fr", labels.Risk, "temporal", map[string]string{"en/risk/temporal": "Waiting"}, builtin, "Temporel"},
		{"admins' other language before words from the code", "fr", labels.Team, "team-store", map[string]string{"en/team/team-store": "Store"}, builtin, "Store"},
		{"admin's name in the language", "fr", labels.Team, "team-store", map[string]string{"fr/team/team-store": "Magasin", "en/team/team-store": "Store"}, builtin, "Magasin"},
		{"words from the code when nobody named it", "fr", labels.Team, "team-store", nil, builtin, "Team store"},
		{"a name of another kind is not used", "en", labels.Touchpoint, "store", map[string]string{"en/team/store": "Shop team"}, builtin, "Store"},
		{"no lookups at all", "en", labels.EventKind, "courier", nil, nil, "Courier"},
		{"an empty code stays empty", "en", labels.Team, "", map[string]string{"en/team/": "x"}, builtin, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var a labels.Lookup
			if c.adminNames != nil {
				a = admin(c.adminNames)
			}
			if got := labels.Resolve(c.locale, c.kind, c.code, a, c.builtinNames); got != c.want {
				t.Errorf("Resolve = %q, want %q", got, c.want)
			}
		})
	}
}
