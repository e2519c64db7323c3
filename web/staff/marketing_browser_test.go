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
	"github.com/followup/followup/internal/campaignfix"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
)

// TestMarketingPagesInABrowser creates, fixes, activates, previews,
// test-sends, pauses, resumes and archives a campaign through the marketing
// pages.
func TestMarketingPagesInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	if _, err := h.App.Surveys.EnsureDefault(context.Background()); err != nil {
		t.Fatal(err)
	}
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
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Post-repair follow-up"),
		chromedp.SendKeys(chromedp.CSS(`#f-event_kinds`), "repair_done"),
		chromedp.SetValue(chromedp.CSS(`#f-delay`), "2"),
		chromedp.SetValue(chromedp.CSS(`#f-start_hour`), "18"),
		chromedp.SetValue(chromedp.CSS(`#f-end_hour`), "9"),
		chromedp.SetValue(chromedp.CSS(`#f-reminder0`), "4"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#errors`)),
	)
	if msg := text(`#errors`); !strings.Contains(msg, "Send window: no allowed hour") {
		t.Fatalf("error summary: %q", msg)
	}
	// Nothing typed was lost: fix the hours and save. Read once the page
	// has loaded, by script: a node looked up while the new page still
	// loads can be gone by the time it is read ("No node with given id").
	loaded(ctx, t)
	name, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#f-name').value`))
	if err != nil || name != "Post-repair follow-up" {
		t.Fatalf("name after the error: %q %v", name, err)
	}
	do(chromedp.SetValue(chromedp.CSS(`#f-start_hour`), "9"),
		chromedp.SetValue(chromedp.CSS(`#f-end_hour`), "18"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#state`)),
	)
	if s := text(`#state`); s != "draft" {
		t.Fatalf("state %q", s)
	}
	if facts := text(`dl.facts`); !strings.Contains(facts, "2 days after repair_done") || !strings.Contains(facts, "9:00–18:00") || !strings.Contains(facts, "after 4 days") {
		t.Errorf("settings shown: %q", facts)
	}
	do(chromedp.Click(chromedp.CSS(`button[value=activate]`)))
	waitText("p.note", "activated")
	if s := text(`#state`); s != "active" {
		t.Fatalf("after activate: %q", s)
	}
	detail, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	// The French preview.
	do(chromedp.Click(chromedp.CSS(`a[href$="preview?lang=fr"]`)), chromedp.WaitVisible(chromedp.CSS(`#subject`)))
	if s := text(`#subject`); !strings.Contains(s, "comment cela s'est-il passé") {
		t.Errorf("French preview subject %q", s)
	}
	do(chromedp.Navigate(detail), chromedp.WaitVisible(chromedp.CSS(`#t-email`)),
		chromedp.SendKeys(chromedp.CSS(`#t-email`), "qa@acme.test"),
		chromedp.Click(chromedp.CSS(`#test-send button`)),
	)
	waitText("p.note", "Test email sent")
	if s := text(`p.note`); !strings.Contains(s, "Test email sent to qa@acme.test") {
		t.Errorf("after test send: %q", s)
	}
	wctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := h.Capture.WaitFor(wctx, 1); err != nil {
		t.Error(err)
	}
	do(chromedp.Click(chromedp.CSS(`button[value=pause]`)))
	waitText("p.note", "paused")
	if s := text(`#state`); s != "paused" {
		t.Errorf("after pause: %q", s)
	}
	var state string
	if err := h.Schema.DB.QueryRow(`SELECT state FROM campaigns WHERE trigger_kind <> 'recovery'`).Scan(&state); err != nil || state != "paused" {
		t.Errorf("stored state %q %v", state, err)
	}
	if list := func() string { do(chromedp.Navigate(h.URL + "/marketing/campaigns")); return text(`table.data`) }(); !strings.Contains(list, "Post-repair follow-up") || !strings.Contains(list, "paused") {
		t.Errorf("campaign list: %q", list)
	}

	// A paused campaign keeps scheduling; resuming lets it send again.
	if _, err := h.App.Intake.Record(context.Background(), customers.EventInput{ExternalID: "repair-1", Kind: "repair_done",
		OccurredAt: time.Now(), Customer: customers.CustomerInput{ExternalRef: "cust-1", Email: "cust-1@example.test"}}); err != nil {
		t.Fatal(err)
	}
	do(chromedp.Navigate(detail), chromedp.WaitVisible(chromedp.CSS(`button[value=resume]`)))
	loaded(ctx, t)
	if got := results(ctx, t, "#stats")["Scheduled"]; got != "1" {
		t.Errorf("scheduled while paused: %q, want 1", got)
	}
	do(chromedp.Click(chromedp.CSS(`button[value=resume]`)))
	waitText("p.note", "Campaign resumed")
	loaded(ctx, t)
	if s := text(`#state`); s != "active" {
		t.Errorf("after resume: %q", s)
	}
	if got := actions(ctx, t); got != "pause archive Edit" {
		t.Errorf("actions of an active campaign: %q", got)
	}
	// Archiving is final and withdraws what was not sent: it asks first,
	// saying how much it withdraws.
	do(chromedp.Click(chromedp.CSS(`button[value=archive]`)))
	waitText("#withdraws", "Archiving withdraws 1 invitation not sent yet.")
	loaded(ctx, t)
	var stillActive string
	if err := h.Schema.DB.Get(&stillActive, `SELECT state FROM campaigns WHERE name = 'Post-repair follow-up'`); err != nil || stillActive != "active" {
		t.Errorf("asking to confirm archived the campaign: %q %v", stillActive, err)
	}
	do(chromedp.Click(chromedp.CSS(`#confirm-archive button`)))
	waitText("p.note", "Campaign archived: 1 invitation not sent yet was withdrawn.")
	loaded(ctx, t)
	if s := text(`#state`); s != "archived" {
		t.Errorf("after archive: %q", s)
	}
	if got := actions(ctx, t); got != "" {
		t.Errorf("an archived campaign offers %q, want nothing", got)
	}
	if r := results(ctx, t, "#stats"); r["Scheduled"] != "0" || r["Not sent"] != "1 withdrawn: the campaign was archived before they went out" {
		t.Errorf("results after archive: %v", r)
	}
	var states string
	if err := h.Schema.DB.QueryRow(`SELECT c.state || ' ' || i.state || ' ' || i.reason FROM campaigns c JOIN invitations i ON i.campaign_id = c.id
		WHERE c.name = 'Post-repair follow-up'`).Scan(&states); err != nil || states != "archived suppressed campaign_archived" {
		t.Errorf("stored: %q %v", states, err)
	}
}

// loaded waits until the page shown has finished loading: call it once the
// new page is known to be there, before reading what comes after the part
// that proved it.
func loaded(ctx context.Context, t *testing.T) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === 'complete'`,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the page never finished loading: %v", err)
	}
}

// results reads a two-column table of figures (#stats) as heading → value.
func results(ctx context.Context, t *testing.T, sel string) map[string]string {
	t.Helper()
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](fmt.Sprintf(
		`[...document.querySelectorAll(%q + ' tr')].map(r => [...r.cells].map(c => c.innerText.trim()))`, sel)))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	out := map[string]string{}
	for _, r := range rows {
		if len(r) == 2 {
			out[r[0]] = r[1]
		}
	}
	return out
}

// actions lists what the campaign page offers to do.
func actions(ctx context.Context, t *testing.T) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('div.actions button, div.actions a')].map(e => e.value || e.textContent.trim()).join(' ')`))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestMarketingAudienceCampaignsAndResultsInABrowser creates a recurring
// and a one-off campaign through the form — a bad cron schedule and a date
// in the past refused next to their field — and reads a campaign's results
// (see campaignfix) in the list and on its page.
func TestMarketingAudienceCampaignsAndResultsInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	fx := campaignfix.Build(t, h.Schema.DB, time.Now())
	mk, _ := h.User(t, users.Marketing)
	ctx := browser.New(t)
	if err := browser.SignIn(ctx, h.URL, mk.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	page := browser.Page{T: t, Ctx: ctx}
	do, text, waitText := page.Do, page.Text, page.WaitText
	value := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// errorAt reads an error message without waiting for it: a missing
	// message is a failure, not a reason to wait.
	errorAt := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {}).textContent || ''`, sel)))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	invalid := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-invalid') || ''`, sel)))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	submit := chromedp.Click(chromedp.CSS(`form.form button[type=submit]`))

	// A recurring campaign: a schedule that is not cron is refused, named.
	do(chromedp.Navigate(h.URL+"/marketing/campaigns/new"),
		chromedp.WaitVisible(chromedp.CSS(`#f-name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Monthly VIP pulse"),
		chromedp.Click(chromedp.CSS(`input[name=trigger][value=recurring]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-cron`), "first monday"),
		chromedp.SetValue(chromedp.CSS(`#f-time_zone`), "Europe/Paris"),
		chromedp.SendKeys(chromedp.CSS(`#f-segments`), "vip"),
		chromedp.Click(chromedp.CSS(`input[name=locales][value=fr]`)),
		submit,
		chromedp.WaitVisible(chromedp.CSS(`#errors, #state`)), // refused, or (wrongly) saved
	)
	loaded(ctx, t)
	if msg := errorAt(`#errors`); !strings.Contains(msg, `Schedule: "first monday" is not a cron schedule`) {
		t.Errorf("error summary: %q", msg)
	}
	if msg := errorAt(`#e-cron`); !strings.Contains(msg, "not a cron schedule") || invalid(`#f-cron`) != "true" {
		t.Errorf("next to the schedule: %q (aria-invalid %q)", msg, invalid(`#f-cron`))
	}
	if value(`#f-name`) != "Monthly VIP pulse" || value(`#f-cron`) != "first monday" || value(`#f-segments`) != "vip" ||
		value(`input[name=trigger]:checked`) != "recurring" {
		t.Errorf("the form lost what was typed: %q %q %q", value(`#f-name`), value(`#f-cron`), value(`#f-segments`))
	}
	var stored int
	if err := h.Schema.DB.Get(&stored, `SELECT count(*) FROM campaigns WHERE name = 'Monthly VIP pulse'`); err != nil {
		t.Fatal(err)
	}
	if stored != 0 {
		t.Fatal("the refused campaign was stored")
	}
	do(chromedp.SetValue(chromedp.CSS(`#f-cron`), "0 10 1 * *"), submit, chromedp.WaitVisible(chromedp.CSS(`#state`)))
	loaded(ctx, t)
	// Nobody picked a survey: the service survey, not followup's own check
	// of how a complaint was handled, goes to these customers.
	if facts := text(`dl.facts`); !strings.Contains(facts, "recurring: on day 1 of every month at 10:00, Europe/Paris (0 10 1 * *)") || !strings.Contains(facts, "segments vip; languages fr") ||
		!strings.Contains(facts, "Service recovery follow-up") {
		t.Errorf("settings shown: %q", facts)
	}
	do(chromedp.Click(chromedp.CSS(`button[value=activate]`)))
	waitText("p.note", "activated")
	loaded(ctx, t)
	if facts := text(`dl.facts`); !strings.Contains(facts, "Next run") || !strings.Contains(facts, "10:00 CE") || !strings.Contains(facts, ", Europe/Paris") {
		t.Errorf("an active recurring campaign shows its next run: %q", facts)
	}
	var next time.Time
	if err := h.Schema.DB.Get(&next, `SELECT next_run_at FROM campaigns WHERE name = 'Monthly VIP pulse'`); err != nil {
		t.Fatal(err)
	}
	if p := next.In(scheduler.Location("Europe/Paris")); p.Day() != 1 || p.Hour() != 10 || p.Minute() != 0 || !next.After(time.Now()) {
		t.Errorf("next run %v, want the 1st of a month at 10:00 in Paris", p)
	}

	// A one-off campaign: a date in the past is refused, named.
	montreal := scheduler.Location("America/Montreal")
	past := time.Now().In(montreal).AddDate(0, 0, -2).Format("2006-01-02T15:04")
	do(chromedp.Navigate(h.URL+"/marketing/campaigns/new"),
		chromedp.WaitVisible(chromedp.CSS(`#f-name`)),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Relationship survey"),
		chromedp.Click(chromedp.CSS(`input[name=trigger][value=once]`)),
		chromedp.SetValue(chromedp.CSS(`#f-run_at`), past),
		chromedp.SetValue(chromedp.CSS(`#f-time_zone`), "America/Montreal"),
		submit,
		chromedp.WaitVisible(chromedp.CSS(`#errors, #state`)), // refused, or (wrongly) saved
	)
	loaded(ctx, t)
	if msg := errorAt(`#e-run_at`); !strings.Contains(msg, "Date and time: is in the past") || invalid(`#f-run_at`) != "true" {
		t.Errorf("next to the date: %q", msg)
	}
	in2Months := time.Now().In(montreal).AddDate(0, 2, 0)
	runAt := time.Date(in2Months.Year(), in2Months.Month(), in2Months.Day(), 10, 0, 0, 0, montreal)
	do(chromedp.SetValue(chromedp.CSS(`#f-run_at`), runAt.Format("2006-01-02T15:04")), submit, chromedp.WaitVisible(chromedp.CSS(`#state`)))
	loaded(ctx, t)
	if facts, want := text(`dl.facts`), "once, on "+runAt.Format("2006-01-02 15:04 MST"); !strings.Contains(facts, want) {
		t.Errorf("settings shown: %q, want %q", facts, want)
	}

	// The results of a campaign with a known fortnight.
	do(chromedp.Navigate(h.URL+"/marketing/campaigns"), chromedp.WaitVisible(chromedp.CSS(`table.data`)))
	loaded(ctx, t)
	row, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`[...[...document.querySelectorAll('table.data tbody tr')]
		.find(r => r.cells[0].textContent.trim() === %q).cells].map(c => c.textContent.trim())`, campaignfix.Name)))
	if err != nil || strings.Join(row[3:7], " | ") != "11 | 5 | 45.5 % | 40.0 %" ||
		!strings.HasPrefix(row[7], "2 not sent: the customer asked to receive no more surveys") ||
		!strings.Contains(row[7], "1 held: the customer was surveyed less than 30 days ago") {
		t.Errorf("list row %q %v, want sent 11, answered 5, 45.5 %% response rate, 40.0 %% negative, then why some were not sent", row, err)
	}
	do(chromedp.Navigate(fmt.Sprintf("%s/marketing/campaigns/%d", h.URL, fx.CampaignID)), chromedp.WaitVisible(chromedp.CSS(`#stats`)))
	loaded(ctx, t)
	got := results(ctx, t, "#stats")
	for heading, want := range map[string]string{
		"Scheduled": "3", "Sent": "11", "Reminders sent": "5", "Answered": "5 (45.5 % response rate)", "Negative": "2 (40.0 % of answers)",
		"Not sent": "2 not sent: the customer asked to receive no more surveys\n" +
			"1 not sent: the address bounced before (its mail server refused it for good)\n" +
			"1 held: the customer was surveyed less than 30 days ago", "Failed": "3 (bounced: 2) (temporary: 1)", "Expired": "1",
	} {
		if got[heading] != want {
			t.Errorf("%s: %q, want %q", heading, got[heading], want)
		}
	}
	days, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#days tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()).join(' '))`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{fx.Day(-15) + " 1 0 0", fx.Day(-10) + " 1 0 0", fx.Day(-6) + " 0 1 0", fx.Day(-5) + " 3 0 0", fx.Day(-4) + " 0 2 1",
		fx.Day(-3) + " 4 1 1", fx.Day(-1) + " 2 0 0", fx.Day(0) + " 0 1 0"}
	if strings.Join(days, "\n") != strings.Join(want, "\n") {
		t.Errorf("days with activity:\n%s\nwant\n%s", strings.Join(days, "\n"), strings.Join(want, "\n"))
	}
	if h := text(`h3`); h != "Last 30 days" {
		t.Errorf("series heading %q", h)
	}
}
