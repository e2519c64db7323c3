package feedback

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/followup/followup/complaints"
)

// TestAlertSubjectIsALineToScan: an alert email's subject is the priority,
// the customer and the reason in a few words, never the whole message nor
// its link (those are the body, which the alert's text still holds whole).
func TestAlertSubjectIsALineToScan(t *testing.T) {
	l := &Loop{cfg: LoopConfig{BaseURL: "https://followup.acme.test"}}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	due := now.Add(4 * time.Hour)
	owner := int64(7)
	long := strings.Repeat("word ", 100)
	deadline := func(kind string, from, to complaints.Priority) complaints.DeadlineEvent {
		return complaints.DeadlineEvent{ComplaintID: 52, Kind: kind, From: from, To: to, DueAt: due, NewDueAt: due.Add(4 * time.Hour),
			OwnerID: &owner, CustomerName: "Zoé Tremblay"}
	}
	must := func(a Alert, err error) Alert {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	barometer := must(NewAlert("barometer:satisfaction:3", BarometerBreachAlert{Indicator: "satisfaction", Value: 30, Op: ">=", Threshold: 70}))
	barometer.Text = "Barometer: Satisfaction index (overall) at 30/100, under its threshold of 70/100\n\nOver the last 7 days.\n\nReports: https://followup.acme.test/manager/"
	cid := int64(52)
	recovery := must(NewAlert("double-deviation:52:recovery:9", DoubleDeviationAlert{Reason: complaints.DoubleDeviationRecovery,
		Priority: "P1", DueAt: due, ResponseID: 9, Customer: "Zoé Tremblay"}))
	recovery.ComplaintID, recovery.Text = &cid, "Double deviation on complaint #52 (Zoé Tremblay): the recovery survey came back negative. "+l.link(52)
	unknown := Alert{ID: "x", Kind: "from_the_future", Text: "Something new happened https://followup.acme.test/x and more " + long}
	cases := []struct {
		name  string
		alert Alert
		want  string
	}{
		{"opened", must(l.openedAlert(OpenedComplaint{ID: 52, Priority: complaints.P2, DueAt: due, CustomerName: "Zoé Tremblay",
			Comment: long}, now)), "P2 · Zoé Tremblay · New complaint #52"},
		{"opened with escalations", must(l.openedAlert(OpenedComplaint{ID: 52, Priority: complaints.P1, DueAt: due, CustomerName: "Zoé Tremblay",
			Escalations: []string{"public", "threat"}, Comment: "I will post it everywhere."}, now)), "P1 · Zoé Tremblay · New complaint #52 (public, threat)"},
		{"opened without a name", must(l.openedAlert(OpenedComplaint{ID: 52, Priority: complaints.P3, DueAt: due}, now)), "P3 · New complaint #52"},
		{"opened with a very long name", must(l.openedAlert(OpenedComplaint{ID: 52, Priority: complaints.P3, DueAt: due,
			CustomerName: strings.Repeat("Zoé ", 30)}, now)), "P3 · " + strings.TrimSpace(strings.Repeat("Zoé ", 9)) + "… · New complaint #52"},
		{"warned", must(l.deadlineAlert(deadline(complaints.DeadlineWarned, complaints.P2, complaints.P2), now)), "P2 · Zoé Tremblay · Deadline near on #52"},
		{"breached", must(l.deadlineAlert(deadline(complaints.DeadlineBreached, complaints.P4, complaints.P3), now)),
			"P3 · Zoé Tremblay · Deadline breached on #52 (was P4)"},
		{"promise missed", must(l.deadlineAlert(deadline(complaints.DeadlinePromiseMissed, complaints.P2, complaints.P1), now)),
			"P1 · Zoé Tremblay · Double deviation on #52: promise missed"},
		{"recovery negative", recovery, "P1 · Zoé Tremblay · Double deviation on #52: recovery survey negative"},
		{"barometer", barometer, "Barometer: Satisfaction index (overall) at 30/100, under its threshold of 70/100"},
		{"unknown kind", unknown, "Something new happened and more " + strings.TrimSpace(strings.Repeat("word ", 13)) + "…"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.alert.Subject()
			if got != tc.want {
				t.Errorf("subject %q\n          want %q", got, tc.want)
			}
			if strings.Contains(got, "http") || strings.ContainsAny(got, "\r\n") || utf8.RuneCountInString(got) > MaxSubject {
				t.Errorf("subject %q: a link, a line break or more than %d characters", got, MaxSubject)
			}
			if tc.alert.ComplaintID != nil && !strings.Contains(tc.alert.Text, "https://followup.acme.test/cx/complaints/52") {
				t.Errorf("the alert's text (the body) lost its link: %q", tc.alert.Text)
			}
		})
	}
}
