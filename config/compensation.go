package config

import (
	"regexp"
	"strings"
)

// roles that have a compensation limit.
var limitRoles = []string{"cx", "manager", "admin"}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// setCurrency reads an ISO 4217 code (EUR, CAD).
func setCurrency(c *Config, raw string) error {
	v := strings.ToUpper(strings.TrimSpace(raw))
	if !currencyRE.MatchString(v) {
		return expectError("a three-letter currency code such as EUR or CAD")
	}
	c.Currency = v
	return nil
}

// setCompensationLimits reads "cx=150,manager=1000,admin=1000": the most a
// person of each role grants on one complaint without a manager's
// approval, in currency units. Roles left out keep their default.
func setCompensationLimits(c *Config, raw string) error {
	const want = "cx=150,manager=1000,admin=1000 (roles cx, manager, admin; amounts in currency units; a manager's at least an agent's)"
	out := map[string]int64{"cx": 15000, "manager": 100000, "admin": 100000}
	for _, part := range strings.Split(raw, ",") {
		role, amount, ok := strings.Cut(strings.TrimSpace(part), "=")
		role = strings.ToLower(strings.TrimSpace(role))
		if !ok || !contains(limitRoles, role) {
			return expectError(want)
		}
		v, err := parseAmount(amount)
		if err != nil {
			return expectError(want)
		}
		out[role] = v
	}
	if out["manager"] < out["cx"] {
		return expectError(want)
	}
	c.CompensationLimits = out
	return nil
}
