package metrics

import (
	"fmt"
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// labelValues are the values of the labels that take a closed set of them,
// per metric and label: the help texts are written from them, the README's
// metrics table lists them, and Undeclared finds any other value recorded.
// Add a value here when a caller starts recording it.
var labelValues = map[string]map[string][]string{
	"followup_emails_sent_total": {
		// invitation and reminder: survey:send (a recovery survey is an
		// invitation); the others: complaint:message, one per
		// complaints.Message* kind.
		"kind": {"invitation", "reminder", "acknowledgement", "reply", "resolution"},
	},
	"followup_emails_failed_total": {
		"cause": {"bounced", "rejected", "temporary"},
	},
	"followup_complaints_opened_total": {
		"priority": {"P1", "P2", "P3", "P4"},
	},
	"followup_alerts_total": {
		// One per feedback.AlertKinds.
		"kind":    {"complaint_opened", "deadline_warned", "deadline_breached", "double_deviation", "barometer_breach", "work_stalled", "compensation_decided", "customer_replied"},
		"channel": {"webhook", "email"},
	},
	"followup_auth_throttled_total": {
		"kind":  {"signin", "token"},
		"scope": {"account", "address"},
	},
	"followup_reconciled_total": {
		// One per scheduler.Work* kind (config.StallKinds).
		"kind":    {"send_batches", "responses", "alerts", "complaint_emails", "inbound_messages"},
		"outcome": {"queued", "revived"},
	},
	"followup_work_waiting_seconds": {
		"kind": {"send_batches", "responses", "alerts", "complaint_emails", "inbound_messages"},
	},
	"followup_retention_purged_total": {
		// One per kind of privacy.Purged.
		"kind": {"responses", "complaint_messages", "inbound_messages", "alerts"},
	},
	"followup_http_requests_total": {
		"method": httpMethods,
	},
	"followup_http_request_duration_seconds": {
		"method": httpMethods,
	},
	"followup_work_stalled": {
		"kind": {"send_batches", "responses", "alerts", "complaint_emails", "inbound_messages"},
	},
}

// httpMethods are the methods an HTTP request is recorded under; any
// other (a client may send anything) is "other".
var httpMethods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}

// LabelValues returns the values metric's label may take, nil when the
// label's values are not a closed set (a task's type).
func LabelValues(metric, label string) []string {
	return slices.Clone(labelValues[metric][label])
}

// byLabel is "by label (a, b, c)", for a help text.
func byLabel(metric, label string) string {
	values := labelValues[metric][label]
	if len(values) == 0 {
		panic(fmt.Sprintf("metrics: no values declared for %s{%s}", metric, label))
	}
	return fmt.Sprintf("by %s (%s)", label, strings.Join(values, ", "))
}

// Undeclared lists the series recorded so far whose label takes a value
// its metric does not declare, as metric{label="value"}: a help text (and
// the README) that does not name it. Empty when every value is declared.
func (m *Metrics) Undeclared() ([]string, error) {
	return undeclared(m.Registry)
}

func undeclared(g prometheus.Gatherer) ([]string, error) {
	families, err := g.Gather()
	if err != nil {
		return nil, fmt.Errorf("gather metrics: %w", err)
	}
	var out []string
	for _, f := range families {
		declared, ok := labelValues[f.GetName()]
		if !ok {
			continue
		}
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				values, closed := declared[l.GetName()]
				if closed && !slices.Contains(values, l.GetValue()) {
					out = append(out, fmt.Sprintf("%s{%s=%q}", f.GetName(), l.GetName(), l.GetValue()))
				}
			}
		}
	}
	return out, nil
}
