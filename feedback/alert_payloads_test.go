package feedback_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/followup/followup/feedback"
)

// TestAlertPayloadsRoundTrip checks that every kind of alert has a payload
// that comes back whole from its encoding, under its own kind.
func TestAlertPayloadsRoundTrip(t *testing.T) {
	due := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	later := due.Add(4 * time.Hour)
	owner := int64(7)
	deadline := feedback.DeadlineAlertData{DueAt: due, FromPriority: "P3", Priority: "P2", NewDueAt: due, Customer: "Ada", OwnerID: &owner}
	payloads := []feedback.AlertPayload{
		feedback.ComplaintOpenedAlert{Priority: "P2", DueAt: due, Escalations: []string{"public"}, Customer: "Ada"},
		feedback.DeadlineWarnedAlert{DeadlineAlertData: deadline},
		feedback.DeadlineBreachedAlert{DeadlineAlertData: deadline},
		feedback.DoubleDeviationAlert{Reason: "promise_missed", Priority: "P1", DueAt: due, FromPriority: "P2", NewDueAt: &later,
			Customer: "Ada", OwnerID: &owner},
		feedback.BarometerBreachAlert{Indicator: "complaint_rate", Value: 12.5, Op: ">", Threshold: 10, Sample: 80, WindowHours: 168, BreachID: 3},
		feedback.WorkStalledAlert{Work: "complaint_emails", WaitingSince: due, WaitedSeconds: 7300, ExpectedSeconds: 3600},
		feedback.CompensationDecidedAlert{GrantID: 4, Approved: false, Cents: 40000, Currency: "CAD", Reason: "Too much for a late parcel",
			DecidedBy: "Maud", RequesterID: &owner, Customer: "Ada"},
	}
	var seen []feedback.AlertKind
	for _, p := range payloads {
		a, err := feedback.NewAlert("x", p)
		if err != nil {
			t.Fatalf("%s: %v", p.AlertKind(), err)
		}
		back, err := a.Payload()
		if err != nil {
			t.Errorf("%s: %v", a.Kind, err)
		} else if !reflect.DeepEqual(back, p) || a.Kind != string(p.AlertKind()) {
			t.Errorf("%s %s:\n got %#v\nwant %#v", a.Kind, a.Data, back, p)
		}
		seen = append(seen, p.AlertKind())
	}
	for _, k := range feedback.AlertKinds {
		if !slices.Contains(seen, k) {
			t.Errorf("%s: no payload tried", k)
		}
	}
}

// TestAlertPayloadsReadStoredRows decodes alerts' data as earlier versions
// stored them: each keeps its kind and every key that had a value, and an
// unknown kind keeps its data.
func TestAlertPayloadsReadStoredRows(t *testing.T) {
	for _, tc := range []struct {
		kind, data string
		want       feedback.AlertPayload
	}{
		{"complaint_opened", `{"priority":"P2","due_at":"2026-11-23T09:30:00Z","escalations":[],"customer":"Ada"}`,
			feedback.ComplaintOpenedAlert{}},
		{"deadline_warned", `{"due_at":"2026-11-23T09:30:00Z","from_priority":"P1","priority":"P1","new_due_at":"2026-11-23T09:30:00Z","customer":"Ada","owner_id":7}`,
			feedback.DeadlineWarnedAlert{}},
		{"deadline_breached", `{"due_at":"2026-11-23T09:30:00Z","from_priority":"P3","priority":"P2","new_due_at":"2026-11-23T09:30:00Z","customer":"Ada","owner_id":null}`,
			feedback.DeadlineBreachedAlert{}},
		{"double_deviation", `{"due_at":"2026-11-23T09:30:00Z","from_priority":"P2","priority":"P1","new_due_at":"2026-11-23T13:30:00Z","customer":"Ada","owner_id":7}`,
			feedback.DoubleDeviationAlert{}},
		{"double_deviation", `{"reason":"recovery_negative","priority":"P1","due_at":"2026-11-28T10:00:00Z","response_id":9}`,
			feedback.DoubleDeviationAlert{}},
		{"barometer_breach", `{"indicator":"complaint_rate","value":12.5,"op":">","threshold":10,"sample":80,"window_hours":168,"breach_id":3}`,
			feedback.BarometerBreachAlert{}},
		{"work_stalled", `{"work":"alerts","waiting_since":"2026-11-23T09:30:00Z","waited_seconds":1000,"expected_seconds":900}`,
			feedback.WorkStalledAlert{}},
		{"future_kind", `{"n":1}`, feedback.UnknownAlert{}},
	} {
		p, err := feedback.DecodeAlert(tc.kind, []byte(tc.data))
		if err != nil {
			t.Errorf("%s %s: %v", tc.kind, tc.data, err)
			continue
		}
		if reflect.TypeOf(p) != reflect.TypeOf(tc.want) || string(p.AlertKind()) != tc.kind {
			t.Errorf("%s read as %T, kind %s", tc.kind, p, p.AlertKind())
		}
		again, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var stored, kept map[string]any
		if err := json.Unmarshal([]byte(tc.data), &stored); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(again, &kept); err != nil {
			t.Fatal(err)
		}
		for k, v := range stored {
			if _, ok := kept[k]; !ok && v != nil {
				t.Errorf("%s %s: key %q lost: %s", tc.kind, tc.data, k, again)
			}
		}
	}
}
