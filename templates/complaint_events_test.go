package templates

import (
	"testing"

	"github.com/followup/followup/complaints"
)

// TestEventWords checks that every kind of the complaint's trail has its
// own words, in English and in French, and that the French are French.
func TestEventWords(t *testing.T) {
	for _, kind := range complaints.EventKinds {
		e, err := complaints.DecodeEvent(string(kind), []byte(`{}`))
		if err != nil {
			t.Errorf("%s: %v", kind, err)
			continue
		}
		en, enKnown := eventWords("en", e)
		fr, frKnown := eventWords("fr", e)
		switch {
		case !enKnown || en.what == "":
			t.Errorf("%s has no English words: %+v", kind, en)
		case !frKnown || fr.what == "":
			t.Errorf("%s has no French words: %+v", kind, fr)
		case fr.what == en.what:
			t.Errorf("%s: the French title is the English one, %q", kind, fr.what)
		}
	}
	if _, known := eventWords("en", complaints.UnknownEvent{Name: "merged"}); known {
		t.Error("an unknown kind has words of its own")
	}
}

// TestEventWordsFrench are French words of entries as stored.
func TestEventWordsFrench(t *testing.T) {
	for _, tc := range []struct {
		kind, data   string
		what, detail string
	}{
		{"opened", `{"priority":"P2","severity":"major","due_at":"2026-11-23T09:30:00Z","escalations":["public"]}`,
			"Réclamation ouverte", "P2 · gravité majeure · échéance 2026-11-23 09:30 UTC · escaladée : le client compte rendre l'affaire publique"},
		{"compensation", `{"cents":2550,"note":"bon d'achat","total_cents":4050}`, "Compensation accordée", "25,50 (bon d'achat) · 40,50 accordés en tout"},
		{"deviance", `{"form":["threat"],"substance":"fraud"}`, "Déviance relevée", "forme : menaces · fond : fraude"},
		{"double_deviation", `{"reason":"recovery_negative","due_at":"2026-11-28T10:00:00Z","reopened":true}`,
			"Double déviation : un manager est alerté", "l'enquête de rattrapage est revenue négative · priorité maximale (P1) · nouvelle échéance 2026-11-28 10:00 UTC · rouverte"},
		{"acknowledgement_skipped", `{"reason":"cas bénin"}`, "Courriel d'accusé de réception non envoyé", "cas bénin"},
		{"comment_corrected", `{"correction":"missed_legal","opened":true}`,
			"Lecture du commentaire corrigée", "Manqué : action en justice · cette correction a ouvert la réclamation"},
		{"merged_by_admin", `{"into":12,"tags":["a","b"],"by":{"name":"Sam"}}`, "merged by admin", "by: name: Sam · into: 12 · tags: a, b"},
	} {
		what, detail := EventWords("fr", complaints.AuditEntry{Kind: tc.kind, Data: []byte(tc.data)}.Event())
		if what != tc.what || detail != tc.detail {
			t.Errorf("%s %s:\n got %q, %q\nwant %q, %q", tc.kind, tc.data, what, detail, tc.what, tc.detail)
		}
	}
}

// TestAuditWords are the English words of the trail's entries as stored,
// as the complaint page shows them.
func TestAuditWords(t *testing.T) {
	for _, tc := range []struct {
		kind, data   string
		what, detail string
	}{
		{"opened", `{"priority":"P2","severity":"major","due_at":"2026-11-23T09:30:00.123Z","escalations":["public","legal"]}`,
			"Complaint opened", "P2 · major severity · due 2026-11-23 09:30 UTC · escalated: the customer intends to go public, mentions legal or regulatory action"},
		{"opened", `{"priority":"P4","severity":"minor","due_at":"2026-11-25T10:00:00Z","escalations":[]}`,
			"Complaint opened", "P4 · minor severity · due 2026-11-25 10:00 UTC"},
		{"opened", `null`, "Complaint opened", ""},
		{"acknowledged", `{"message_id":3,"promised_due_at":"2026-11-23T09:30:00+01:00"}`,
			"Acknowledgement emailed to the customer", "contact promised by 2026-11-23 08:30 UTC"},
		{"acknowledgement_skipped", `{"reason":"mild case: the survey spares mild cases the acknowledgement"}`,
			"Acknowledgement email not sent", "mild case: the survey spares mild cases the acknowledgement"},
		{"reply_sent", `{"message_id":4}`, "Reply email sent", ""},
		{"resolution_failed", `{"message_id":5,"reason":"550 no such user"}`, "Resolution email failed", "550 no such user"},
		{"taken", `{"owner":"sam@example.com"}`, "Taken", "owner: sam@example.com"},
		{"taken", `{"owner":"sam@example.com","by_acting":true}`, "Taken", "owner: sam@example.com, by acting on it first"},
		{"assigned", `{"owner":"lea@example.com"}`, "Assigned", "to lea@example.com"},
		{"reassigned", `{"owner":"lea@example.com","previous_owner":"Sam"}`, "Reassigned", "from Sam to lea@example.com"},
		{"note", `{"text":"Called,\n  no answer."}`, "Internal note", "Called, no answer."},
		{"reply", `{"subject":"Your parcel","body":"Hello,\n\nWe send a new one.","message_id":2}`,
			"Reply written to the customer", "“Your parcel”: Hello, We send a new one."},
		{"reply", `{"subject":"","body":"Hello"}`, "Reply written to the customer", "Hello"},
		{"compensation", `{"cents":2550,"note":"voucher","total_cents":4050}`, "Compensation granted", "25.50 (voucher) · 40.50 granted in all"},
		{"compensation", `{"cents":1000,"note":"","total_cents":1000}`, "Compensation granted", "10.00 · 10.00 granted in all"},
		{"compensation", `{"cents":1000,"currency":"CAD","note":"","total_cents":1000}`, "Compensation granted", "10.00 CAD · 10.00 CAD granted in all"},
		{"compensation_requested", `{"grant_id":3,"cents":999900,"currency":"EUR","note":"","reasons":["above_limit","above_advice"]}`,
			"Compensation waiting for a manager's approval", "9999.00 EUR · above the role's limit, above the advised range"},
		{"compensation_approved", `{"grant_id":3,"cents":20000,"currency":"EUR","reason":"loyal customer","total_cents":20000,"message_id":4}`,
			"Compensation approved by a manager", "200.00 EUR · loyal customer · 200.00 EUR granted in all; the customer is told by email"},
		{"compensation_refused", `{"grant_id":3,"cents":999900,"currency":"EUR","reason":"a typo, surely"}`,
			"Compensation refused by a manager", "9999.00 EUR · a typo, surely"},
		{"resolved", `{"summary":"Refunded.","recovery_survey_at":"2026-11-25T15:05:12.18Z"}`, "Resolved", "Refunded. · recovery survey on 2026-11-25 15:05 UTC"},
		{"resolved", `{"summary":"Refunded."}`, "Resolved", "Refunded."},
		{"reopened", `{"reason":"Still broken","due_at":"2026-11-24T08:00:00Z"}`, "Reopened", "Still broken · new deadline 2026-11-24 08:00 UTC"},
		{"deviance", `{"form":["non_cooperation","threat"],"substance":"fraud"}`, "Deviance recorded", "form: non-cooperation, threats · substance: fraud"},
		{"deviance", `{"form":[],"substance":""}`, "Deviance cleared", "none recorded"},
		{"deadline_warned", `{"due_at":"2026-11-23T09:30:00Z"}`, "Deadline approaching", "due 2026-11-23 09:30 UTC · the owner was alerted"},
		{"deadline_breached", `{"due_at":"2026-11-23T09:30:00Z","from_priority":"P3","to_priority":"P2","promised":false}`,
			"Deadline missed", "was due 2026-11-23 09:30 UTC · priority raised from P3 to P2"},
		{"deadline_breached", `{"due_at":"2026-11-23T09:30:00Z","from_priority":"P1","to_priority":"P1","promised":true}`,
			"Deadline missed", "was due 2026-11-23 09:30 UTC · the customer had been promised this date"},
		{"double_deviation", `{"reason":"promise_missed","missed_due_at":"2026-11-23T09:30:00Z","due_at":"2026-11-23T13:30:00Z"}`,
			"Double deviation: a manager is alerted", "the deadline promised to the customer (2026-11-23 09:30 UTC) passed · top priority (P1) · new deadline 2026-11-23 13:30 UTC"},
		{"double_deviation", `{"reason":"promise_missed","due_at":"2026-11-23T13:30:00Z"}`,
			"Double deviation: a manager is alerted", "the deadline promised to the customer passed · top priority (P1) · new deadline 2026-11-23 13:30 UTC"},
		{"double_deviation", `{"reason":"recovery_negative","response_id":9,"from_priority":"P3","to_priority":"P1","due_at":"2026-11-28T10:00:00Z","reopened":true}`,
			"Double deviation: a manager is alerted", "the recovery survey came back negative · top priority (P1) · new deadline 2026-11-28 10:00 UTC · reopened"},
		{"recovery_positive", `{"response_id":9}`, "Recovery confirmed", "the customer's recovery survey came back positive"},
		{"comment_corrected", `{"correction":"missed_public","opened":true}`,
			"Comment reading corrected", "Missed: going public · this correction opened the complaint"},
		{"comment_corrected", `{"correction":"not_complaint"}`, "Comment reading corrected", "Not a complaint · the complaint is unchanged"},
		{"merged_by_admin", `{"into":12,"why":"duplicate"}`, "merged by admin", "into: 12 · why: duplicate"},
		{"something_sent", `{}`, "something sent", ""},
	} {
		what, detail := EventWords("en", complaints.AuditEntry{Kind: tc.kind, Data: []byte(tc.data)}.Event())
		if what != tc.what || detail != tc.detail {
			t.Errorf("%s %s:\n got %q, %q\nwant %q, %q", tc.kind, tc.data, what, detail, tc.what, tc.detail)
		}
	}
}
