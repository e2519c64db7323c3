package config

import (
	"slices"
	"strings"
	"time"
)

// StallKinds are the kinds of work whose waiting the reconciler watches,
// as FOLLOWUP_STALL_AFTER names them (the scheduler's Work* names).
var StallKinds = []string{"send_batches", "responses", "alerts", "complaint_emails", "inbound_messages"}

// DefaultStallAfter is FOLLOWUP_STALL_AFTER's default: a send batch takes
// seconds (an hour leaves room for a large campaign under a send rate), a
// reply is scored at once, an alert is urgent, a complainant's email goes
// out within minutes of its time, mail received is parsed at once.
const DefaultStallAfter = "send_batches=1h,responses=15m,alerts=15m,complaint_emails=1h,inbound_messages=15m"

// setStallAfter reads "alerts=15m,complaint_emails=1h": each kind at most
// once, a duration of 1s to 30 days or 0; kinds not listed keep their
// default.
func setStallAfter(c *Config, raw string) error {
	const want = "kind=duration pairs such as alerts=15m,complaint_emails=1h: kinds among send_batches, responses, alerts, complaint_emails, inbound_messages, each once; durations 1s to 720h, or 0 to never alert"
	out := map[string]time.Duration{}
	for _, part := range strings.Split(DefaultStallAfter, ",") {
		k, v, _ := strings.Cut(part, "=")
		out[k], _ = time.ParseDuration(v)
	}
	seen := map[string]bool{}
	for _, part := range strings.Split(raw, ",") {
		if strings.TrimSpace(part) == "" && raw == "" {
			break
		}
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || !slices.Contains(StallKinds, k) || seen[k] {
			return expectError(want)
		}
		seen[k] = true
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || (d != 0 && (d < time.Second || d > 30*24*time.Hour)) {
			return expectError(want)
		}
		out[k] = d
	}
	c.StallAfter = out
	return nil
}
