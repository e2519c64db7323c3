package staff_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/labels"
	"github.com/followup/followup/users"
)

// TestAdminLabelsInABrowser: an admin finds the team of the data flagged
// as unnamed on /admin/labels, names it in French, types a name too long
// in English and a calendar that does not exist: nothing is saved, each
// error is shown next to its field and nothing typed is lost; corrected,
// the names and the team's calendar are saved and shown.
func TestAdminLabelsInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	ctx := context.Background()
	if _, err := h.App.Intake.Record(ctx, customers.EventInput{ExternalID: "e-1", Kind: "delivery", Touchpoint: "courier", Team: "team-store",
		OccurredAt: time.Now().Add(-time.Hour), Customer: customers.CustomerInput{ExternalRef: "c1", Email: "c1@example.com", Locale: "fr"}}); err != nil {
		t.Fatal(err)
	}
	admin, _ := h.User(t, users.Admin)
	bctx := browser.New(t)
	if err := browser.SignIn(bctx, h.URL, admin.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	page := browser.Page{T: t, Ctx: bctx}
	const (
		fr  = `input[name="name.team.fr.team-store"]`
		en  = `input[name="name.team.en.team-store"]`
		cal = `input[name="calendar.team-store"]`
	)
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	// errorOf is the text of the element the field says describes it.
	errorOf := func(sel string) string {
		return eval(`(() => { const f = document.querySelector('` + sel + `'); const id = f.getAttribute('aria-describedby');
			return id ? document.getElementById(id).textContent : ''; })()`)
	}
	page.Do(chromedp.Navigate(h.URL+"/admin/labels"), chromedp.WaitVisible(chromedp.CSS(fr)))
	row := `#kind-team tr:has(` + fr + `)`
	if flagged := page.Text(row + ` th`); !strings.Contains(flagged, "unnamed") {
		t.Errorf("the unnamed team is not flagged: %q", flagged)
	}
	if ph := eval(`document.querySelector('` + fr + `').placeholder`); ph != "Team store" {
		t.Errorf("what people read now %q, want words from the code", ph)
	}
	if risk := eval(`document.querySelector('input[name="name.risk.fr.temporal"]').placeholder`); risk != "Temporel" {
		t.Errorf("the built-in French name of a risk %q", risk)
	}

	page.Do(chromedp.SetValue(chromedp.CSS(fr), "Boutique de Lyon"), chromedp.SetValue(chromedp.CSS(en), strings.Repeat("x", 81)),
		chromedp.SetValue(chromedp.CSS(cal), "mars"), chromedp.Click(chromedp.CSS(`#save`)))
	page.WaitText("#problem", "Nothing was saved: 2 field(s)")
	if e := errorOf(en); !strings.Contains(e, "keep the name under 81 characters") {
		t.Errorf("error next to the English name: %q", e)
	}
	if e := errorOf(cal); !strings.Contains(e, "not a calendar") {
		t.Errorf("error next to the calendar: %q", e)
	}
	if e := errorOf(fr); e != "" {
		t.Errorf("an error next to a right field: %q", e)
	}
	if v := eval(`document.querySelector('` + fr + `').value`); v != "Boutique de Lyon" {
		t.Errorf("what was typed is lost: %q", v)
	}
	if names, _ := h.App.Labels.Names(ctx); len(names) != 0 {
		t.Fatalf("a refused save stored %v", names)
	}

	page.Do(chromedp.SetValue(chromedp.CSS(en), "Lyon store"), chromedp.SetValue(chromedp.CSS(cal), "qc"), chromedp.Click(chromedp.CSS(`#save`)))
	page.WaitText("#flash", "Saved")
	if flagged := page.Text(row + ` th`); strings.Contains(flagged, "unnamed") {
		t.Errorf("a named team is still flagged: %q", flagged)
	}
	for sel, want := range map[string]string{fr: "Boutique de Lyon", en: "Lyon store", cal: "qc"} {
		if v := eval(`document.querySelector('` + sel + `').value`); v != want {
			t.Errorf("%s = %q after saving, want %q", sel, v, want)
		}
	}
	if got := h.App.Templates.Label("fr", string(labels.Team), "team-store"); got != "Boutique de Lyon" {
		t.Errorf("pages and emails read %q", got)
	}
	cals, err := h.App.Names.TeamCalendars(ctx)
	if err != nil || cals["team-store"] == nil || cals["team-store"].Zone.String() != "America/Toronto" {
		t.Errorf("team calendars %v %v", cals, err)
	}
}
