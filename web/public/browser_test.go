package public_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
)

// TestSurveyPageInABrowser answers a survey in headless Chromium as an
// angry customer would: the rating chosen in the email and a comment, sent
// at once, are stored and open the complaint with nothing else answered;
// later, through the same link, the rest of the survey completes the reply
// and updates that complaint: no second complaint, no second alert or
// acknowledgement.
func TestSurveyPageInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	id, expires := sentInvitation(t, h, "b1", "en")
	link := h.App.Links.Survey(id, expires)
	ctx := browser.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(link+"?score=2")); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	legend, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#lg-courtesy`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "Tell us how it went") || !strings.Contains(legend, "(optional)") {
		t.Fatalf("title %q, legend %q: the page must say which items are optional", title, legend)
	}
	// The pre-selected rating and a comment, nothing else.
	if err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`textarea[name=comment]`), "Slow, and nobody called back. I will post this on Facebook."),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form`)), // the thank-you page has no form
	); err != nil {
		t.Fatal(err)
	}
	thanks, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(thanks, "Your answers have been received") || !strings.Contains(thanks, "Someone from our team") {
		t.Fatalf("after the rating and a comment: %q", thanks)
	}
	var overall int
	var comment string
	var completed bool
	if err := h.Schema.DB.QueryRow(`SELECT (answers->>'overall')::int, comment, completed FROM responses`).Scan(&overall, &comment, &completed); err != nil {
		t.Fatal(err)
	}
	if overall != 2 || !strings.Contains(comment, "Facebook") || completed {
		t.Errorf("stored overall %d comment %q completed %v: the pre-selected rating and the comment are a partial reply", overall, comment, completed)
	}
	complaints := func() (n, alerts, acks int) {
		t.Helper()
		if err := h.Schema.DB.QueryRow(`SELECT (SELECT count(*) FROM complaints), (SELECT count(*) FROM alerts),
				(SELECT count(*) FROM complaint_messages WHERE kind = 'acknowledgement')`).Scan(&n, &alerts, &acks); err != nil {
			t.Fatal(err)
		}
		return n, alerts, acks
	}
	n, alerts, acks := complaints()
	if n != 1 || alerts == 0 || acks != 1 {
		t.Fatalf("after the partial reply: %d complaints, %d alerts, %d acknowledgements", n, alerts, acks)
	}

	// The thank-you page leads back to the rest; so does the link, later.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`p.note a`)),
		chromedp.WaitVisible(chromedp.CSS(`#partial`)),
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`#partial`)),
	); err != nil {
		t.Fatal(err)
	}
	var steps []chromedp.Action[chromedp.Void]
	for _, key := range []string{"fair_outcome", "deserved", "put_right", "lost_out", "quick", "flexible", "reach", "bounced", "courtesy", "empathy", "honesty"} {
		steps = append(steps, chromedp.Click(chromedp.CSS(`input[name=`+key+`][value="2"]`)))
	}
	steps = append(steps,
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form`)),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	if err := h.Schema.DB.QueryRow(`SELECT (answers->>'overall')::int, comment, completed FROM responses`).Scan(&overall, &comment, &completed); err != nil {
		t.Fatal(err)
	}
	if overall != 2 || !strings.Contains(comment, "Facebook") || !completed {
		t.Errorf("after completing: overall %d comment %q completed %v", overall, comment, completed)
	}
	if n2, alerts2, acks2 := complaints(); n2 != 1 || alerts2 != alerts || acks2 != acks {
		t.Errorf("after completing: %d complaints, alerts %d→%d, acknowledgements %d→%d", n2, alerts, alerts2, acks, acks2)
	}
	var updated int
	if err := h.Schema.DB.Get(&updated, `SELECT count(*) FROM complaint_events WHERE kind = 'reply_completed'`); err != nil || updated != 1 {
		t.Errorf("the complaint's trail holds %d reply_completed entries (%v)", updated, err)
	}
}
