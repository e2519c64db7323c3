package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/surveys"
)

// TestMigrateCreatesTheBuiltInQuestionnaire: on a fresh database, migrate
// up leaves a questionnaire a marketer can start a campaign with at once
// (French and English, three items or more per dimension of justice, the
// 0–10 rating, the 13 risks, a comment), and running it again changes
// nothing.
func TestMigrateCreatesTheBuiltInQuestionnaire(t *testing.T) {
	s := testenv.NewSchema(t)
	t.Setenv("FOLLOWUP_DATABASE_URL", s.URL)
	for range 2 {
		var stdout, stderr bytes.Buffer
		if code := run([]string{"migrate", "up"}, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), "built-in surveys ready") {
			t.Fatalf("migrate up: exit %d\n%s%s", code, stdout.String(), stderr.String())
		}
	}
	var n int
	if err := s.DB.Get(&n, `SELECT count(*) FROM surveys WHERE slug IN ($1, $2)`, surveys.DefaultSlug, surveys.RecoverySlug); err != nil || n != 2 {
		t.Fatalf("built-in surveys after two migrations: %d (%v), want 2", n, err)
	}
	sv, err := surveys.NewStore(s.DB).Latest(context.Background(), surveys.DefaultSlug)
	if err != nil {
		t.Fatal(err)
	}
	perDimension := map[surveys.Dimension]int{}
	risks := map[string]bool{}
	var rating, comment bool
	for _, q := range sv.Questions {
		if q.Text["en"] == "" || q.Text["fr"] == "" {
			t.Errorf("question %s is not in both languages: %v", q.Key, q.Text)
		}
		perDimension[q.Dimension]++
		rating = rating || q.Kind == surveys.Rating10
		comment = comment || q.Kind == surveys.Text
		for _, o := range q.Options {
			if o.Risk != "" {
				risks[o.Risk] = true
			}
		}
	}
	for _, d := range surveys.JusticeDimensions {
		if perDimension[d] < 3 {
			t.Errorf("%s has %d items, want 3 or more", d, perDimension[d])
		}
	}
	if !rating || !comment || len(risks) != len(surveys.Risks) {
		t.Errorf("rating %v, comment %v, risks %d of %d", rating, comment, len(risks), len(surveys.Risks))
	}
	var campaigns int
	if err := s.DB.Get(&campaigns, `SELECT count(*) FROM campaigns WHERE trigger_kind = 'recovery'`); err != nil || campaigns != 1 {
		t.Errorf("recovery campaigns: %d (%v), want 1", campaigns, err)
	}
}
