package complaints_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/surveys"
)

// TestEventsRoundTrip checks that every kind of audit entry has a payload
// that comes back whole from its encoding, under its own kind.
func TestEventsRoundTrip(t *testing.T) {
	due := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	later := due.Add(4 * time.Hour)
	events := []complaints.Event{
		complaints.OpenedEvent{Priority: "P2", Severity: complaints.Major, DueAt: due, Escalations: []surveys.SignalKind{surveys.SignalPublic}},
		complaints.AcknowledgedEvent{MessageID: 3, PromisedDueAt: due},
		complaints.TakenEvent{Owner: "sam@example.com", ByActing: true},
		complaints.AssignedEvent{Owner: "lea@example.com"},
		complaints.ReassignedEvent{Owner: "lea@example.com", PreviousOwner: "Sam"},
		complaints.NoteEvent{Text: "Called, no answer."},
		complaints.ReplyEvent{MessageID: 4, Subject: "Your parcel", Body: "We send a new one by Friday."},
		complaints.CompensationEvent{Cents: 2550, Currency: "EUR", Note: "voucher", TotalCents: 4050},
		complaints.CompensationRequestedEvent{GrantID: 1, Cents: 999900, Currency: "EUR", Reasons: []string{complaints.ApprovalAboveLimit}, Why: "above"},
		complaints.CompensationApprovedEvent{GrantID: 1, Cents: 999900, Currency: "EUR", Reason: "ok", TotalCents: 999900, MessageID: 7},
		complaints.CompensationRefusedEvent{GrantID: 2, Cents: 500, Currency: "CAD", Reason: "no"},
		complaints.ResolvedEvent{Summary: "Refunded.", RecoverySurveyAt: &later},
		complaints.ReopenedEvent{Reason: "Still broken", DueAt: later},
		complaints.DevianceEvent{Form: []string{"threat"}, Substance: "fraud"},
		complaints.DeadlineWarnedEvent{DueAt: due},
		complaints.DeadlineBreachedEvent{DueAt: due, FromPriority: "P3", ToPriority: "P2", Promised: true},
		complaints.DoubleDeviationEvent{Reason: complaints.DoubleDeviationPromise, MissedDueAt: &due, DueAt: later},
		complaints.RecoveryPositiveEvent{ResponseID: 9},
		complaints.CommentCorrectedEvent{Correction: "missed_public", Opened: true},
		complaints.ReplyCompletedEvent{ResponseID: 9, Completed: true, Negative: true, FromPriority: "P3", ToPriority: "P2",
			DueAt: due, Escalations: []surveys.SignalKind{surveys.SignalPublic}},
		complaints.CustomerEmailedEvent{MessageID: 11, Reopened: true, FromPriority: "P3", ToPriority: "P2", DueAt: due,
			Escalations: []surveys.SignalKind{surveys.SignalPublic}},
	}
	for _, m := range []string{complaints.MessageAcknowledgement, complaints.MessageReply, complaints.MessageResolution} {
		if m != complaints.MessageAcknowledgement {
			events = append(events, complaints.MessageSentEvent{Message: m, MessageID: 5})
		}
		for _, s := range []string{complaints.MessageSkipped, complaints.MessageFailed} {
			events = append(events, complaints.MessageSettledEvent{Message: m, State: s, MessageID: 6, Reason: "550 no such user"})
		}
	}
	var seen []complaints.EventKind
	for _, e := range events {
		raw, err := complaints.EncodeEvent(e)
		if err != nil {
			t.Fatalf("%s: %v", e.Kind(), err)
		}
		back, err := complaints.DecodeEvent(string(e.Kind()), raw)
		if err != nil {
			t.Errorf("%s: %v", e.Kind(), err)
		} else if !reflect.DeepEqual(back, e) {
			t.Errorf("%s %s:\n got %#v\nwant %#v", e.Kind(), raw, back, e)
		}
		seen = append(seen, e.Kind())
	}
	for _, k := range complaints.EventKinds {
		if !slices.Contains(seen, k) {
			t.Errorf("%s: no payload tried", k)
		}
	}
	if len(seen) != len(complaints.EventKinds) {
		t.Errorf("%d payloads for %d kinds", len(seen), len(complaints.EventKinds))
	}
}

// TestEventsReadStoredRows decodes entries as earlier versions stored them
// (by Go and by the SQL of deadlines and acknowledgements): each keeps its
// kind and every stored key, and an unknown kind keeps its data.
func TestEventsReadStoredRows(t *testing.T) {
	for _, tc := range []struct{ kind, data string }{
		{"opened", `{"priority":"P2","severity":"major","due_at":"2026-11-23T09:30:00.123Z","escalations":["public","legal"]}`},
		{"opened", `{"priority":"P4","severity":"minor","due_at":"2026-11-25T10:00:00Z","escalations":null}`},
		{"acknowledged", `{"message_id":3,"promised_due_at":"2026-11-23T09:30:00+01:00"}`},
		{"acknowledgement_skipped", `{"reason":"mild case: the survey spares mild cases the acknowledgement"}`},
		{"reply_sent", `{"message_id":4}`},
		{"resolution_failed", `{"message_id":5,"reason":"550 no such user"}`},
		{"taken", `{"owner":"sam@example.com","by_acting":true}`},
		{"reassigned", `{"owner":"lea@example.com","previous_owner":"Sam"}`},
		{"resolved", `{"summary":"Refunded.","recovery_survey_at":"2026-11-25T15:05:12.18Z"}`},
		{"deviance", `{"form":[],"substance":""}`},
		// PostgreSQL's jsonb_build_object writes times with an offset.
		{"deadline_warned", `{"due_at":"2026-11-23T09:30:00.123456+00:00"}`},
		{"deadline_breached", `{"due_at":"2026-11-23T09:30:00+00:00","promised":false,"to_priority":"P2","from_priority":"P3"}`},
		{"double_deviation", `{"reason":"promise_missed","due_at":"2026-11-23T13:30:00+00:00","missed_due_at":"2026-11-23T09:30:00+00:00"}`},
		{"double_deviation", `{"reason":"recovery_negative","response_id":9,"from_priority":"P3","to_priority":"P1","due_at":"2026-11-28T10:00:00Z","reopened":true}`},
		{"recovery_positive", `{"response_id":9}`},
		{"comment_corrected", `{"correction":"not_complaint"}`},
		{"merged_by_admin", `{"into":12,"why":"duplicate"}`},
	} {
		e, err := complaints.DecodeEvent(tc.kind, []byte(tc.data))
		if err != nil {
			t.Errorf("%s %s: %v", tc.kind, tc.data, err)
			continue
		}
		if string(e.Kind()) != tc.kind {
			t.Errorf("%s read as %s", tc.kind, e.Kind())
		}
		if _, unknown := e.(complaints.UnknownEvent); unknown != (tc.kind == "merged_by_admin") {
			t.Errorf("%s read as %T", tc.kind, e)
		}
		again, err := complaints.EncodeEvent(e)
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
		for k := range stored {
			if _, ok := kept[k]; !ok {
				t.Errorf("%s %s: key %q lost: %s", tc.kind, tc.data, k, again)
			}
		}
	}
}

// TestAuditEntryEvent: an entry whose data does not fit its kind is read as
// far as it fits, and data that is not an object still gives an event.
func TestAuditEntryEvent(t *testing.T) {
	e := complaints.AuditEntry{Kind: "note", Data: []byte(`{"text":42}`)}.Event()
	if _, ok := e.(complaints.NoteEvent); !ok {
		t.Errorf("a note with a number for text: %#v", e)
	}
	e = complaints.AuditEntry{Kind: "deadline_warned", Data: []byte(`{"due_at":"soon"}`)}.Event()
	if u, ok := e.(complaints.UnknownEvent); !ok || u.Data["due_at"] != "soon" {
		t.Errorf("a warning with an unreadable date: %#v", e)
	}
	e = complaints.AuditEntry{Kind: "opened", Data: []byte(`"odd"`)}.Event()
	if e.Kind() != complaints.EventOpened {
		t.Errorf("data that is not an object: %#v", e)
	}
}
