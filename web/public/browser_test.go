package public_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
)

// TestSurveyPageInABrowser answers a survey in headless Chromium, keyboard
// and mouse as a person would, through the error and back.
func TestSurveyPageInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	id, expires := sentInvitation(t, h, "b1", "en")
	ctx := browser.New(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(h.App.Links.Survey(id, expires)+"?score=2"),
	)
	if err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	// Send with only the pre-selected rating: the page comes back with errors.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#errors`)),
	); err != nil {
		t.Fatal(err)
	}
	alert, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#errors`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "Tell us how it went") || !strings.Contains(alert, "need your attention") {
		t.Fatalf("title %q, alert %q", title, alert)
	}
	var steps []chromedp.Action[chromedp.Void]
	for _, key := range []string{"fair_outcome", "deserved", "put_right", "lost_out", "quick", "flexible", "reach", "bounced", "courtesy", "empathy", "honesty"} {
		steps = append(steps, chromedp.Click(chromedp.CSS(`input[name=`+key+`][value="2"]`)))
	}
	steps = append(steps,
		chromedp.SendKeys(chromedp.CSS(`textarea[name=comment]`), "Slow, and nobody called back."),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form`)), // the thank-you page has no form
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	thanks, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(thanks, "Your answers have been received") {
		t.Fatalf("after submitting: %q", thanks)
	}
	var overall int
	var comment string
	if err := h.Schema.DB.QueryRow(`SELECT (answers->>'overall')::int, comment FROM responses`).Scan(&overall, &comment); err != nil {
		t.Fatal(err)
	}
	if overall != 2 || comment != "Slow, and nobody called back." {
		t.Errorf("stored overall %d comment %q: the pre-selected rating must survive the error round trip", overall, comment)
	}
}
