package staff_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
)

// TestFreshDatabaseCampaignInABrowser: on a database just migrated, with
// nothing seeded, a marketer signs in, creates a campaign on the built-in
// questionnaire (the form offers it first) and activates it. Then a one-off
// whose every invitation the frequency cap held reads as completed, with
// its run and why nothing was sent, and offers to archive it, not to pause.
func TestFreshDatabaseCampaignInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	mk, _ := h.User(t, users.Marketing)
	ctx := browser.New(t)
	if err := browser.SignIn(ctx, h.URL, mk.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	page := browser.Page{T: t, Ctx: ctx}
	do, text, waitText := page.Do, page.Text, page.WaitText
	do(chromedp.Navigate(h.URL+"/marketing/campaigns"),
		chromedp.Click(chromedp.CSS(`a.button.primary`)),
		chromedp.WaitVisible(chromedp.CSS(`#f-name`)),
	)
	loaded(ctx, t)
	chosen, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(s => s.options[s.selectedIndex].textContent.trim())(document.querySelector('#f-survey_id'))`))
	if err != nil || chosen != "Service recovery follow-up" {
		t.Fatalf("the survey the form starts with: %q %v, want the built-in questionnaire", chosen, err)
	}
	do(chromedp.SendKeys(chromedp.CSS(`#f-name`), "After delivery"),
		chromedp.SendKeys(chromedp.CSS(`#f-event_kinds`), "delivery"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#state`)),
	)
	loaded(ctx, t)
	if s, facts := text(`#state`), text(`dl.facts`); s != "draft" || !strings.Contains(facts, "Service recovery follow-up") {
		t.Fatalf("after saving: %q, %q", s, facts)
	}
	do(chromedp.Click(chromedp.CSS(`button[value=activate]`)))
	waitText("p.note", "activated")
	loaded(ctx, t)
	if s := text(`#state`); s != "active" {
		t.Fatalf("after activate: %q", s)
	}
	var state, slug string
	if err := h.Schema.DB.QueryRow(`SELECT c.state, s.slug FROM campaigns c JOIN surveys s ON s.id = c.survey_id WHERE c.name = 'After delivery'`).Scan(&state, &slug); err != nil ||
		state != "active" || slug != "service-recovery" {
		t.Fatalf("stored: %q on %q (%v)", state, slug, err)
	}

	// A one-off to two customers surveyed a week ago: the cap holds both.
	bg := context.Background()
	now := time.Now()
	for _, ref := range []string{"held-1", "held-2"} {
		if _, err := h.App.Intake.Record(bg, customers.EventInput{ExternalID: "visit-" + ref, Kind: "visit", OccurredAt: now.Add(-48 * time.Hour),
			Customer: customers.CustomerInput{ExternalRef: ref, Email: ref + "@example.test"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.Schema.DB.Exec(`INSERT INTO customer_contacts (customer_id, last_contacted_at, last_contact_invitation_id)
SELECT id, $1, 0 FROM customers`, now.AddDate(0, 0, -7)); err != nil {
		t.Fatal(err)
	}
	runAt := now.Add(time.Hour).Truncate(time.Minute)
	once, err := h.App.Scheduler.Create(bg, scheduler.Campaign{Name: "Year-end survey", SurveyID: mustSurvey(t, h), State: scheduler.StateActive,
		Trigger: scheduler.TriggerOnce, RunAt: &runAt, ScheduleTimeZone: "Europe/Paris", FrequencyCapDays: 30}, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.Scheduler.RunAudiences(bg, runAt.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	do(chromedp.Navigate(h.URL+"/marketing/campaigns"), chromedp.WaitVisible(chromedp.CSS(`table.data`)))
	loaded(ctx, t)
	row, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...[...document.querySelectorAll('table.data tbody tr')]
		.find(r => r.cells[0].textContent.trim() === 'Year-end survey').cells].map(c => c.textContent.trim())`))
	if err != nil || row[1] != "completed" || row[3] != "0" || row[7] != "2 held: the customer was surveyed less than 30 days ago" {
		t.Errorf("list row of the one-off: %q %v", row, err)
	}
	do(chromedp.Navigate(fmt.Sprintf("%s/marketing/campaigns/%d", h.URL, once.ID)), chromedp.WaitVisible(chromedp.CSS(`#outcome`)))
	loaded(ctx, t)
	ran := runAt.In(scheduler.Location("Europe/Paris")).Format("Mon 2 Jan 2006 15:04 MST")
	if s, outcome := text(`#state`), text(`#outcome`); s != "completed" || !strings.Contains(outcome, "Ran on "+ran+", Europe/Paris: 2 invited, 0 sent, 2 not sent") {
		t.Errorf("completed one-off: %q, %q", s, outcome)
	}
	if got := actions(ctx, t); got != "archive Edit" {
		t.Errorf("a completed one-off offers %q, want archive and edit only", got)
	}
	if r := results(ctx, t, "#stats"); r["Not sent"] != "2 held: the customer was surveyed less than 30 days ago" {
		t.Errorf("results: %v", r)
	}
	do(chromedp.Click(chromedp.CSS(`button[value=archive]`)))
	waitText("#withdraws", "No invitation is waiting to be sent: archiving withdraws nothing.")
	do(chromedp.Click(chromedp.CSS(`#confirm-archive button`)))
	waitText("p.note", "Campaign archived: no invitation was waiting to be sent.")
	if s := text(`#state`); s != "archived" {
		t.Errorf("after archive: %q", s)
	}
}

func mustSurvey(t *testing.T, h *apptest.Harness) int64 {
	t.Helper()
	var id int64
	if err := h.Schema.DB.Get(&id, `SELECT id FROM surveys WHERE slug = 'service-recovery'`); err != nil {
		t.Fatal(err)
	}
	return id
}
