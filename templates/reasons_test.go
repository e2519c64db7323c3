package templates

import (
	"strings"
	"testing"

	"github.com/followup/followup/scheduler"
)

// TestEveryReasonHasWords: each reason the scheduler suppresses with has a
// sentence of its own in English and French, so no marketer reads
// "frequency_cap: 24".
func TestEveryReasonHasWords(t *testing.T) {
	for _, reason := range scheduler.SuppressionReasons {
		if _, ok := reasonCounts[reason]; !ok {
			t.Errorf("%s: no way of counting", reason)
		}
		for _, loc := range []string{"en", "fr"} {
			if _, ok := catalog[loc]["campaign.reason."+reason]; !ok {
				t.Errorf("%s: no words in %s", reason, loc)
			}
			got := SuppressionSentence(loc, reason, 24, 30)
			if strings.Contains(got, reason) || strings.Contains(got, "%!") || !strings.HasPrefix(got, "24 ") {
				t.Errorf("%s in %s reads %q", reason, loc, got)
			}
		}
	}
}

func TestSuppressionSentence(t *testing.T) {
	for _, tc := range []struct {
		locale, reason string
		n, capDays     int
		want           string
	}{
		{"en", scheduler.ReasonFrequencyCap, 24, 30, "24 held: the customer was surveyed less than 30 days ago"},
		{"en", scheduler.ReasonFrequencyCap, 1, 1, "1 held: the customer was surveyed less than 1 day ago"},
		{"en", scheduler.ReasonFrequencyCap, 3, 0, "3 held: the customer had just been surveyed by another campaign"},
		{"fr", scheduler.ReasonFrequencyCap, 24, 30, "24 invitations retenues : le client a reçu un sondage il y a moins de 30 jours"},
		{"fr", scheduler.ReasonFrequencyCap, 1, 1, "1 invitation retenue : le client a reçu un sondage il y a moins de 1 jour"},
		{"en", scheduler.ReasonOptedOut, 2, 30, "2 not sent: the customer asked to receive no more surveys"},
		{"fr", scheduler.ReasonCampaignArchived, 1, 30, "1 invitation retirée : la campagne a été archivée avant leur envoi"},
		{"en", scheduler.ReasonAddressBounced, 5, 30, "5 not sent: the address bounced before (its mail server refused it for good)"},
		{"en", "quota_exceeded", 4, 30, "4 not sent: quota_exceeded"},
	} {
		if got := SuppressionSentence(tc.locale, tc.reason, tc.n, tc.capDays); got != tc.want {
			t.Errorf("%s %s %d (cap %d):\n got %q\nwant %q", tc.locale, tc.reason, tc.n, tc.capDays, got, tc.want)
		}
	}
}

func TestArchiveWithdraws(t *testing.T) {
	for _, tc := range []struct {
		locale string
		n      int
		done   bool
		want   string
	}{
		{"en", 0, false, "No invitation is waiting to be sent: archiving withdraws nothing."},
		{"en", 1, false, "Archiving withdraws 1 invitation not sent yet."},
		{"en", 24, false, "Archiving withdraws 24 invitations not sent yet."},
		{"en", 24, true, "Campaign archived: 24 invitations not sent yet were withdrawn."},
		{"fr", 2, false, "L'archivage retire 2 invitations pas encore envoyées."},
	} {
		if got := ArchiveWithdraws(tc.locale, tc.n, tc.done); got != tc.want {
			t.Errorf("%s %d %v: %q, want %q", tc.locale, tc.n, tc.done, got, tc.want)
		}
	}
}
