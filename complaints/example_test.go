package complaints_test

import (
	"fmt"
	"time"

	"github.com/followup/followup/businesshours"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/surveys"
)

// A negative reply whose lowest score is 30 (a major failure, so P2) from
// a key customer (one step up, to P1) who mentions their lawyer (legal
// intent: at least P2, already the case). The deadline follows the
// priority; the compensation advice (80 % of the 120.00 the customer lost,
// for a major failure) looks at the severity, the prejudice and the
// customer's value, never at their tone.
func ExamplePolicy_Assess() {
	p := complaints.DefaultPolicy()
	reply := surveys.Result{
		Scores:   map[surveys.Dimension]float64{surveys.Distributive: 30, surveys.Procedural: 45, surveys.Interactional: 70, surveys.Overall: 40},
		Negative: true,
		Signals:  []surveys.Signal{{Kind: surveys.SignalLegal, Evidence: "my lawyer"}},
	}
	prejudice := int64(12000) // 120.00 the customer lost
	opened := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	a := p.Assess(reply, complaints.Facts{AnnualValueCents: 300000, PrejudiceCents: &prejudice}, opened)
	fmt.Println(a.Severity, a.Priority, "due", a.DueAt.Format(time.RFC3339))
	for _, why := range a.Why {
		fmt.Println("-", why.Text)
	}
	fmt.Println("advice:", a.Advice.Kind, a.Advice.SuggestedCents)
	// Output:
	// major P1 due 2026-12-07T13:00:00Z
	// - lowest score 30/100 (distributive): major severity, P2
	// - legal or regulatory intent ("my lawyer")
	// - key customer, 3,000.00 a year (threshold 2,500.00): one step up, to P1
	// advice: reimbursement 9600
}

// The CX team's deadline depends only on the priority: with the default
// table, 4 hours for P1 and a week for P4.
func ExamplePolicy_Deadline() {
	p := complaints.DefaultPolicy()
	opened := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	for _, pr := range []complaints.Priority{complaints.P1, complaints.P2, complaints.P3, complaints.P4} {
		fmt.Println(pr, p.Deadline(pr, opened).Format("Mon 2 Jan 15:04"))
	}
	// A configured table replaces the default for the priorities it names.
	p.Deadlines = map[complaints.Priority]time.Duration{complaints.P1: time.Hour}
	fmt.Println("P1 with a one-hour table:", p.Deadline(complaints.P1, opened).Format("15:04"))
	// Output:
	// P1 Mon 7 Dec 13:00
	// P2 Tue 8 Dec 09:00
	// P3 Thu 10 Dec 09:00
	// P4 Mon 14 Dec 09:00
	// P1 with a one-hour table: 10:00
}

// With a calendar, the deadline counts business hours: a P1 opened on
// Friday at 18:00 in Paris, after closing, is due on Monday at 13:00 (4
// hours from the 09:00 opening), and a P2's 24 business hours make three
// working days of 9 hours, less 3.
func ExamplePolicy_Deadline_businessHours() {
	p := complaints.DefaultPolicy()
	p.Calendar, _ = businesshours.Parse("fr")
	opened := time.Date(2026, 12, 4, 18, 0, 0, 0, p.Calendar.Zone)
	for _, pr := range []complaints.Priority{complaints.P1, complaints.P2} {
		fmt.Println(pr, p.Deadline(pr, opened).Format("Mon 2 Jan 15:04"))
	}
	// Output:
	// P1 Mon 7 Dec 13:00
	// P2 Wed 9 Dec 15:00
}
