package reports

import (
	"testing"
	"time"
)

// TestBarometerWindowAndSampleWords: the breach alert says its window and
// sample in words a person reads, never "1 days" or "0 days".
func TestBarometerWindowAndSampleWords(t *testing.T) {
	for _, tc := range []struct {
		window time.Duration
		en, fr string
	}{
		{7 * 24 * time.Hour, "Over the last 7 days", "Sur les 7 derniers jours"},
		{24 * time.Hour, "Over the last day", "Sur le dernier jour"},
		{48 * time.Hour, "Over the last 2 days", "Sur les 2 derniers jours"},
		{36 * time.Hour, "Over the last 36 hours", "Sur les 36 dernières heures"},
		{6 * time.Hour, "Over the last 6 hours", "Sur les 6 dernières heures"},
		{time.Hour, "Over the last hour", "Sur la dernière heure"},
	} {
		if got := windowWords("en", tc.window); got != tc.en {
			t.Errorf("%s in English: %q, want %q", tc.window, got, tc.en)
		}
		if got := windowWords("fr", tc.window); got != tc.fr {
			t.Errorf("%s in French: %q, want %q", tc.window, got, tc.fr)
		}
	}
	for _, tc := range []struct {
		n      int
		en, fr string
	}{
		{1, "1 reply or complaint", "1 réponse ou réclamation"},
		{0, "0 replies or complaints", "0 réponse ou réclamation"},
		{12, "12 replies or complaints", "12 réponses ou réclamations"},
	} {
		if got := sampleWords("en", tc.n); got != tc.en {
			t.Errorf("%d in English: %q, want %q", tc.n, got, tc.en)
		}
		if got := sampleWords("fr", tc.n); got != tc.fr {
			t.Errorf("%d in French: %q, want %q", tc.n, got, tc.fr)
		}
	}
}
