package metrics

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestHelpListsExactlyTheLabelValues: the help of a labelled metric names
// exactly the values its label takes, and enumerates none for a label whose
// values are open (a task's type).
func TestHelpListsExactlyTheLabelValues(t *testing.T) {
	m := New()
	touchEveryDeclaredValue(m)
	m.TaskErrors.WithLabelValues("survey:send").Inc()
	families, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range families {
		if !strings.HasPrefix(f.GetName(), "followup_") || len(f.GetMetric()) == 0 {
			continue
		}
		for _, l := range f.GetMetric()[0].GetLabel() {
			listed := regexp.MustCompile(`by ` + l.GetName() + ` \(([^)]*)\)`).FindStringSubmatch(f.GetHelp())
			want := labelValues[f.GetName()][l.GetName()]
			switch {
			case want == nil && listed != nil:
				t.Errorf("%s: the help lists %s values (%s) that are not declared", f.GetName(), l.GetName(), listed[1])
			case want != nil && (listed == nil || !slices.Equal(strings.Split(listed[1], ", "), want)):
				t.Errorf("%s: help %q, want it to list the %s values %v", f.GetName(), f.GetHelp(), l.GetName(), want)
			}
			seen[f.GetName()] = true
		}
	}
	for name := range labelValues {
		if !seen[name] {
			t.Errorf("%s: declared, but no such labelled metric is registered", name)
		}
	}
}

// TestReadmeListsTheLabelValues: the README's metrics table names, for
// each labelled metric, the values its labels take, no more, no fewer.
func TestReadmeListsTheLabelValues(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	code := regexp.MustCompile("`([^`]+)`")
	for name, labels := range labelValues {
		var row string
		for _, line := range strings.Split(string(readme), "\n") {
			if strings.HasPrefix(line, "| `"+name+"` |") {
				row = line
			}
		}
		cells := strings.Split(row, "|")
		if len(cells) < 5 {
			t.Errorf("README.md: no row for %s in the metrics table", name)
			continue
		}
		var listed, want []string
		for _, c := range code.FindAllStringSubmatch(cells[3], -1) {
			if _, isLabel := labels[c[1]]; !isLabel {
				listed = append(listed, c[1])
			}
		}
		for _, values := range labels {
			want = append(want, values...)
		}
		slices.Sort(listed)
		slices.Sort(want)
		if !slices.Equal(listed, want) {
			t.Errorf("README.md lists %v for %s, want %v", listed, name, want)
		}
	}
}

// TestUndeclaredFindsStrayValues: a value recorded that no help names is
// reported; the declared ones are not.
func TestUndeclaredFindsStrayValues(t *testing.T) {
	m := New()
	touchEveryDeclaredValue(m)
	m.TaskErrors.WithLabelValues("anything:goes").Inc()
	if got, err := m.Undeclared(); err != nil || len(got) != 0 {
		t.Fatalf("declared values reported: %v, %v", got, err)
	}
	m.EmailsSent.WithLabelValues("survey").Inc()
	m.Alerts.WithLabelValues("complaint_opened", "sms").Inc()
	got, err := m.Undeclared()
	want := []string{`followup_alerts_total{channel="sms"}`, `followup_emails_sent_total{kind="survey"}`}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("undeclared %v, %v; want %v", got, err, want)
	}
}

func touchEveryDeclaredValue(m *Metrics) {
	for _, k := range labelValues["followup_retention_purged_total"]["kind"] {
		m.RetentionPurged.WithLabelValues(k).Inc()
	}
	for _, k := range labelValues["followup_emails_sent_total"]["kind"] {
		m.EmailsSent.WithLabelValues(k).Inc()
	}
	for _, c := range labelValues["followup_emails_failed_total"]["cause"] {
		m.EmailsFailed.WithLabelValues(c).Inc()
	}
	for _, p := range labelValues["followup_complaints_opened_total"]["priority"] {
		m.ComplaintsOpened.WithLabelValues(p).Inc()
	}
	for _, k := range labelValues["followup_alerts_total"]["kind"] {
		for _, c := range labelValues["followup_alerts_total"]["channel"] {
			m.Alerts.WithLabelValues(k, c).Inc()
		}
	}
	for _, k := range labelValues["followup_reconciled_total"]["kind"] {
		for _, o := range labelValues["followup_reconciled_total"]["outcome"] {
			m.Reconciled.WithLabelValues(k, o).Inc()
		}
	}
	for _, k := range labelValues["followup_work_waiting_seconds"]["kind"] {
		m.WorkWaiting.WithLabelValues(k).Set(1)
	}
	auth := m.NewAuthThrottled()
	for _, k := range labelValues["followup_auth_throttled_total"]["kind"] {
		for _, sc := range labelValues["followup_auth_throttled_total"]["scope"] {
			auth.Refused(k, sc)
		}
	}
	for _, k := range labelValues["followup_work_stalled"]["kind"] {
		m.WorkStalled.WithLabelValues(k).Set(1)
	}
	for _, method := range labelValues["followup_http_requests_total"]["method"] {
		m.HTTP.ObserveRequest("/healthz", method, 200, time.Millisecond)
	}
}
