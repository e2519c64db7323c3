package worker_test

import (
	"slices"
	"testing"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/metrics"
)

// TestMetricLabelsCoverWhatTheDomainEmits: the values the workers record
// from domain values (a complaint email's kind, an alert's kind, a
// priority) are all declared beside their metric, so its help names them.
func TestMetricLabelsCoverWhatTheDomainEmits(t *testing.T) {
	cases := []struct {
		metric, label string
		emitted       []string
	}{
		{"followup_emails_sent_total", "kind", []string{"invitation", "reminder",
			complaints.MessageAcknowledgement, complaints.MessageReply, complaints.MessageResolution}},
		{"followup_complaints_opened_total", "priority", []string{complaints.P1.String(), complaints.P2.String(),
			complaints.P3.String(), complaints.P4.String()}},
		{"followup_alerts_total", "kind", alertKinds()},
	}
	for _, tc := range cases {
		declared := metrics.LabelValues(tc.metric, tc.label)
		for _, v := range tc.emitted {
			if !slices.Contains(declared, v) {
				t.Errorf("%s{%s=%q} is recorded but not declared (declared: %v)", tc.metric, tc.label, v, declared)
			}
		}
		if len(declared) != len(tc.emitted) {
			t.Errorf("%s{%s}: declared %v, recorded %v", tc.metric, tc.label, declared, tc.emitted)
		}
	}
}

func alertKinds() []string {
	out := make([]string, len(feedback.AlertKinds))
	for i, k := range feedback.AlertKinds {
		out[i] = string(k)
	}
	return out
}
