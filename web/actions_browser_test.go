package web_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/users"
)

// TestActionPlanOwnerInABrowser: a CX agent finds the action plans in
// their navigation, keeps their own, and moves theirs on with a note; a
// marketer reads it without a form to change it, and the server refuses
// the change when the marketer's page sends it anyway.
func TestActionPlanOwnerInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	mine := newPlanTitled(t, h, users.CX, "Call back within 4 hours")
	newPlanTitled(t, h, users.Manager, "Retrain the shop team")

	agent, _ := h.User(t, users.CX)
	cx := browser.Page{T: t, Ctx: browser.New(t)}
	if err := browser.SignIn(cx.Ctx, h.URL, agent.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	cx.Do(chromedp.Navigate(h.URL+"/cx/"), chromedp.Click(chromedp.CSS(`nav a[href="/actions"]`)))
	cx.WaitText("#open-actions", "Retrain the shop team")
	cx.Do(chromedp.Click(chromedp.CSS(`#plan-filter a[href="/actions?mine=1"]`)))
	browser.WaitJS(cx.Ctx, t, `(() => { const t = document.querySelector('#open-actions')?.textContent || '';
		return location.search === '?mine=1' && t.includes('Call back within 4 hours') && !t.includes('Retrain the shop team'); })()`)
	// Open it from the list (chromedp can lose a node clicked right after a
	// click's navigation, so follow the link's address).
	cx.Do(chromedp.Navigate(h.URL+linkTo(t, cx, fmt.Sprintf(`#open-actions a[href="/actions/%d"]`, mine))),
		chromedp.WaitVisible(chromedp.CSS(`#progress-action`)))
	if n, err := chromedp.Run(cx.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#edit-action, #delete-action, #e-due').length`)); err != nil || n != 0 {
		t.Errorf("the owner sees the managers' forms: %d %v", n, err)
	}
	cx.Do(chromedp.SetValue(chromedp.CSS(`#p-state`), "in_progress"),
		chromedp.SendKeys(chromedp.CSS(`#p-note`), "Rota drafted with the team leads."),
		chromedp.Click(chromedp.CSS(`#progress-action button[type=submit]`)))
	cx.WaitText("p.note", "Changes saved.")
	cx.WaitText("#state", "In progress")
	cx.WaitText("#notes", "Rota drafted with the team leads.")
	cx.WaitText("#notes", "Test cx")

	marketer, _ := h.User(t, users.Marketing)
	mkt := browser.Page{T: t, Ctx: browser.New(t)}
	if err := browser.SignIn(mkt.Ctx, h.URL, marketer.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	mkt.Do(chromedp.Navigate(h.URL+"/marketing/campaigns"), chromedp.Click(chromedp.CSS(`nav a[href="/actions"]`)))
	mkt.WaitText("#open-actions", "Call back within 4 hours")
	mkt.Do(chromedp.Navigate(h.URL + linkTo(t, mkt, fmt.Sprintf(`#open-actions a[href="/actions/%d"]`, mine))))
	mkt.WaitText("#read-only", "Only its owner (Test cx) or a manager")
	mkt.WaitText("#notes", "Rota drafted with the team leads.")
	// The page has no form, but its session has a CSRF token: a hand-made
	// form is refused by the server, and the plan does not move.
	status, err := chromedp.Run(mkt.Ctx, chromedp.Evaluate[int](fmt.Sprintf(`fetch('/actions/%d', {method: 'POST',
		body: new URLSearchParams({csrf: document.querySelector('input[name=csrf]').value, state: 'cancelled', note: 'Not needed'})}).then(r => r.status)`, mine),
		chromedp.EvalAwaitPromise))
	if err != nil || status != 403 {
		t.Errorf("the marketer's change: %d %v, want 403", status, err)
	}
	mkt.Do(chromedp.Reload())
	mkt.WaitText("#state", "In progress")
	if n, err := chromedp.Run(mkt.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('#notes li').length`)); err != nil || n != 1 {
		t.Errorf("notes after the refusal: %d %v", n, err)
	}
}

// linkTo returns the address of the link sel on the page, failing the test
// when there is none.
func linkTo(t *testing.T, p browser.Page, sel string) string {
	t.Helper()
	href, err := chromedp.Run(p.Ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q)?.getAttribute('href') || ''`, sel)))
	if err != nil || href == "" {
		t.Fatalf("no link %s on the page: %v", sel, err)
	}
	return href
}
