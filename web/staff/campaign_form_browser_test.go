package staff_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/users"
)

// TestCampaignFormSaysEveryProblemAtOnce is issue 14's story: a campaign
// form with five wrong fields (no name, a cron in words, a misspelt time
// zone, a window from 20 to 8, a cap of -3) shows five messages after one
// save, each next to its field, and a summary linking to them.
func TestCampaignFormSaysEveryProblemAtOnce(t *testing.T) {
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
	page.Do(chromedp.Navigate(h.URL+"/marketing/campaigns/new"),
		chromedp.WaitVisible(chromedp.CSS(`#f-name`)),
		chromedp.Click(chromedp.CSS(`input[name=trigger][value=recurring]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-cron`), "every monday"),
		chromedp.SetValue(chromedp.CSS(`#f-time_zone`), "Europe/Pariss"),
		chromedp.SetValue(chromedp.CSS(`#f-start_hour`), "20"),
		chromedp.SetValue(chromedp.CSS(`#f-end_hour`), "8"),
		chromedp.SetValue(chromedp.CSS(`#f-cap_days`), "-3"),
		chromedp.Click(chromedp.CSS(`form.form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#errors`)),
	)
	// Each message next to its field: the field is marked invalid and
	// described by the message, which the summary links to.
	fields := []struct{ input, message, says string }{
		{"f-name", "e-name", "Name: is required"},
		{"f-cron", "e-cron", "not a cron schedule"},
		{"f-time_zone", "e-time_zone", "not an IANA time zone"},
		{"f-end_hour", "e-window", "opens at 20:00 and closes at 8:00"},
		{"f-cap_days", "e-cap_days", "between 0 (no cap) and 365"},
	}
	for _, f := range fields {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
			const i = document.getElementById('`+f.input+`');
			const m = document.getElementById((i.getAttribute('aria-describedby') || 'none').split(' ')[0]);
			return i.getAttribute('aria-invalid') === 'true' && m && m.id === '`+f.message+`' ? m.textContent : '';
		})()`))
		if err != nil || !strings.Contains(got, f.says) {
			t.Errorf("#%s: message %q (%v), want one saying %q", f.input, got, err, f.says)
		}
	}
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#errors li a')].map(a => a.getAttribute('href'))`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "[#f-name #f-cron #f-time_zone #f-window #f-cap_days]"; strings.Join(links, " ") != strings.Trim(want, "[]") {
		t.Errorf("summary links %v, want %s", links, want)
	}
	if s := page.Text(`#errors p`); !strings.Contains(s, "5 fields need a change") {
		t.Errorf("summary says %q", s)
	}
	// What was typed is kept for the fix.
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#f-cron`))); v != "every monday" {
		t.Errorf("cron after the error: %q", v)
	}

	// The schedule is explained in words as it is typed, in its time zone,
	// picked from a list to search.
	zones, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#time-zones option')].slice(0, 2).map(o => o.value).concat([String(document.querySelectorAll('#time-zones option').length), document.getElementById('f-time_zone').getAttribute('list')])`))
	if err != nil || len(zones) != 4 || zones[0] != "Europe/Paris" || zones[1] != "America/Montreal" || zones[3] != "time-zones" {
		t.Errorf("time zone list: %v (%v)", zones, err)
	}
	page.Do(chromedp.Clear(chromedp.CSS(`#f-cron`)), chromedp.SendKeys(chromedp.CSS(`#f-cron`), "0 9 * * MON"),
		chromedp.Clear(chromedp.CSS(`#f-time_zone`)), chromedp.SendKeys(chromedp.CSS(`#f-time_zone`), "Europe/Paris"))
	page.WaitText(`#cron-words`, "every Monday at 09:00, Europe/Paris")
	page.Do(chromedp.SendKeys(chromedp.CSS(`#f-time_zone`), "s"))
	page.WaitText(`#cron-words`, `Time zone: "Europe/Pariss" is not an IANA time zone`)

	// Without script, a save shows it too: fix the rest and save; the
	// campaign says its schedule in words.
	page.Do(chromedp.SetValue(chromedp.CSS(`#f-time_zone`), "America/Montreal"),
		chromedp.SendKeys(chromedp.CSS(`#f-name`), "Weekly pulse"),
		chromedp.SetValue(chromedp.CSS(`#f-start_hour`), "9"),
		chromedp.SetValue(chromedp.CSS(`#f-end_hour`), "19"),
		chromedp.SetValue(chromedp.CSS(`#f-cap_days`), "30"),
		// Submitted rather than clicked: the time zone's open list may
		// cover the button.
		chromedp.Submit(chromedp.CSS(`form.form`)),
	)
	browser.WaitJS(ctx, t, `document.getElementById('state') !== null || (document.getElementById('errors') !== null && !document.getElementById('errors').textContent.includes('5 fields'))`)
	if errs, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.getElementById('errors') || {}).textContent || ''`)); errs != "" {
		t.Fatalf("the fixed campaign was refused: %s", errs)
	}
	if facts := page.Text(`dl.facts`); !strings.Contains(facts, "every Monday at 09:00, America/Montreal") {
		t.Errorf("campaign page says %q", facts)
	}
}
