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
