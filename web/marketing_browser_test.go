package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/users"
)

// TestMarketingPagesInABrowser creates, fixes, activates, previews,
// test-sends and pauses a campaign through the marketing pages.
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
	// Nothing typed was lost: fix the hours and save.
	name, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#f-name`)))
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
}
