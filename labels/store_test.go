package labels_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/labels"
)

// TestSaveAndCache: names and calendars saved are read back through the
// cache once it is refreshed; a wrong edit saves nothing and names every
// field at fault; an empty name removes the admins' name.
func TestSaveAndCache(t *testing.T) {
	ctx := context.Background()
	s := labels.NewStore(testenv.NewSchema(t).DB)
	c := labels.NewCache(s, nil, time.Hour, nil)
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

	if _, ok := c.Name("fr", labels.Team, "team-store"); ok {
		t.Fatal("a name before anyone named the team")
	}
	err := s.Save(ctx, labels.Edits{
		Names: []labels.Name{
			{Kind: labels.Team, Code: "team-store", Locale: "fr", Name: "  Boutique   de Lyon "},
			{Kind: labels.Team, Code: "team-store", Locale: "en", Name: "Lyon store"},
		},
		Calendars: []labels.TeamCalendar{{Team: "team-qc", Spec: "qc"}},
	}, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Name("fr", labels.Team, "team-store"); ok {
		t.Fatal("the cache read again before it was stale or refreshed")
	}
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Name("fr", labels.Team, "team-store"); n != "Boutique de Lyon" {
		t.Errorf("French name %q, want the spaces tidied", n)
	}
	cals, err := c.TeamCalendars(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cal, ok := cals["team-qc"]; !ok || cal.Zone.String() != "America/Toronto" {
		t.Errorf("team-qc calendar %v, want the qc preset", cal)
	}

	long := make([]byte, labels.MaxName+1)
	for i := range long {
		long[i] = 'a'
	}
	err = s.Save(ctx, labels.Edits{
		Names: []labels.Name{
			{Kind: labels.Team, Code: "team-store", Locale: "fr", Name: "Nouveau nom"},
			{Kind: labels.Team, Code: "team-web", Locale: "en", Name: string(long)},
			{Kind: "colour", Code: "red", Locale: "en", Name: "Red"},
		},
		Calendars: []labels.TeamCalendar{{Team: "team-web", Spec: "mars"}},
	}, nil, now)
	var fields invalid.Fields
	if !errors.As(err, &fields) || len(fields) != 3 {
		t.Fatalf("err %v, want three fields at fault", err)
	}
	for _, want := range []string{"name.team.en.team-web", "name.colour.en.red", "calendar.team-web"} {
		if !fields.Has(want) {
			t.Errorf("no error for %s in %v", want, fields)
		}
	}
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.Name("fr", labels.Team, "team-store"); n != "Boutique de Lyon" {
		t.Errorf("a refused save changed a name: %q", n)
	}

	if err := s.Save(ctx, labels.Edits{Names: []labels.Name{{Kind: labels.Team, Code: "team-store", Locale: "fr", Name: ""}},
		Calendars: []labels.TeamCalendar{{Team: "team-qc", Spec: ""}}}, nil, now); err != nil {
		t.Fatal(err)
	}
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Name("fr", labels.Team, "team-store"); ok {
		t.Error("an empty name did not remove the French name")
	}
	if n, _ := c.Name("en", labels.Team, "team-store"); n != "Lyon store" {
		t.Errorf("English name %q, want it kept", n)
	}
	if cals, _ := c.TeamCalendars(ctx); len(cals) != 0 {
		t.Errorf("calendars %v, want none after the team's was emptied", cals)
	}
	inUse, err := s.InUse(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := inUse[labels.Team]; len(got) != 1 || got[0] != "team-store" {
		t.Errorf("teams in use %v, want the named one", got)
	}
}

// TestCacheReadsAgainWhenStale: a name saved by another process (no
// Refresh here) is read once the cache is older than its age, not before.
func TestCacheReadsAgainWhenStale(t *testing.T) {
	ctx := context.Background()
	s := labels.NewStore(testenv.NewSchema(t).DB)
	clk := clock.NewFake(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
	c := labels.NewCache(s, clk, 30*time.Second, nil)
	if _, ok := c.Name("en", labels.Touchpoint, "courier"); ok {
		t.Fatal("a name before any was saved")
	}
	if err := s.Save(ctx, labels.Edits{Names: []labels.Name{{Kind: labels.Touchpoint, Code: "courier", Locale: "en", Name: "Delivery"}}},
		nil, clk.Now()); err != nil {
		t.Fatal(err)
	}
	clk.Advance(29 * time.Second)
	if n, ok := c.Name("en", labels.Touchpoint, "courier"); ok {
		t.Errorf("read %q before the cache was stale", n)
	}
	clk.Advance(time.Second)
	if n, _ := c.Name("en", labels.Touchpoint, "courier"); n != "Delivery" {
		t.Errorf("name %q once stale, want the saved one", n)
	}
}
