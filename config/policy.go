package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// setDeadlines reads "P1=4h,P2=24h,P3=72h,P4=168h": every priority once,
// each deadline no shorter than the one of the priority above it.
func setDeadlines(c *Config, raw string) error {
	const want = "P1=4h,P2=24h,P3=72h,P4=168h: each of P1 to P4 once, a duration of 1m to 90 days, P1 the shortest"
	out := map[int]time.Duration{}
	for _, part := range strings.Split(raw, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		k = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(k)), "P")
		n, err := strconv.Atoi(k)
		if !ok || err != nil || n < 1 || n > 4 {
			return expectError(want)
		}
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d < time.Minute || d > 90*24*time.Hour {
			return expectError(want)
		}
		if _, dup := out[n]; dup {
			return expectError(want)
		}
		out[n] = d
	}
	for p := 1; p <= 4; p++ {
		if _, ok := out[p]; !ok || (p > 1 && out[p] < out[p-1]) {
			return expectError(want)
		}
	}
	c.ComplaintDeadlines = out
	return nil
}

// severities are the rows of the gesture table, worst first.
var severities = []string{"critical", "major", "moderate", "minor"}

// setGestures reads "critical=5%:25-250,major=3%:15-150,...": for each
// severity, a percentage of the customer's annual value and the amounts
// (currency units) it is kept between.
func setGestures(c *Config, raw string) error {
	const want = "critical=5%:25-250,major=3%:15-150,moderate=1%:10-50,minor=0%:0-0 (each severity once, 0-100 %, min <= max)"
	out := map[string]Gesture{}
	for _, part := range strings.Split(raw, ",") {
		sev, rule, ok := strings.Cut(strings.TrimSpace(part), "=")
		sev = strings.ToLower(strings.TrimSpace(sev))
		pct, bounds, ok2 := strings.Cut(rule, ":")
		lo, hi, ok3 := strings.Cut(bounds, "-")
		if !ok || !ok2 || !ok3 || !contains(severities, sev) {
			return expectError(want)
		}
		if _, dup := out[sev]; dup {
			return expectError(want)
		}
		p, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(pct), "%"), 64)
		if err != nil || p < 0 || p > 100 || math.IsNaN(p) {
			return expectError(want)
		}
		minC, err1 := parseAmount(lo)
		maxC, err2 := parseAmount(hi)
		if err1 != nil || err2 != nil || minC > maxC {
			return expectError(want)
		}
		out[sev] = Gesture{Percent: p, MinCents: minC, MaxCents: maxC}
	}
	for _, sev := range severities {
		if _, ok := out[sev]; !ok {
			return expectError(want)
		}
	}
	c.Gestures = out
	return nil
}

// parseAmount reads a non-negative amount in currency units ("2500",
// "12.50") as cents.
func parseAmount(raw string) (int64, error) {
	raw = strings.TrimSpace(raw)
	whole, frac, _ := strings.Cut(raw, ".")
	if whole == "" || len(frac) > 2 {
		return 0, fmt.Errorf("amount %q", raw)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1e12 {
		return 0, fmt.Errorf("amount %q", raw)
	}
	var f int64
	if frac != "" {
		f, err = strconv.ParseInt(frac, 10, 64)
		if err != nil || f < 0 {
			return 0, fmt.Errorf("amount %q", raw)
		}
		if len(frac) == 1 {
			f *= 10
		}
	}
	return w*100 + f, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
