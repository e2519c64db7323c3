package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/users"
)

// TestNegativeReplyInABrowserOpensComplaint answers in headless Chromium as
// a French customer would: switches language and back, answers with the
// keyboard, forgets a question marketing made required, fixes it, sends,
// and sees the thank-you page promising a call. The complaint is in the CX queue by then, at P2 or
// higher because the comment threatens to go public and legal.
func TestNegativeReplyInABrowserOpensComplaint(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	// The items of justice are optional, but marketing may require one.
	sv, err := h.App.Surveys.EnsureDefault(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sv.Question("honesty").Required = true
	if _, err := h.App.Surveys.Update(context.Background(), sv.Slug, *sv, "honesty required"); err != nil {
		t.Fatal(err)
	}
	link := invite(t, h, customer{ref: "chloe", locale: "fr", valueCents: 50000}, 1)
	ctx := browser.New(t)
	if err := chromedp.Do(ctx,
		chromedp.Navigate(link),
		chromedp.Click(chromedp.CSS(`a.lang`)), // to English
		chromedp.WaitVisible(chromedp.CSS(`html[lang=en]`)),
		chromedp.Click(chromedp.CSS(`a.lang`)), // back to French
		chromedp.WaitVisible(chromedp.CSS(`html[lang=fr]`)),
	); err != nil {
		t.Fatal(err)
	}
	// Keyboard only: focus a radio, Space checks it; type in the comment.
	var steps []chromedp.Action[chromedp.Void]
	for _, key := range []string{"overall", "fair_outcome", "deserved", "put_right", "quick", "flexible", "reach", "courtesy", "empathy"} {
		steps = append(steps, chromedp.Focus(chromedp.CSS(`input[name=`+key+`][value="1"]`)), chromedp.KeyEvent(" "))
	}
	for _, key := range []string{"lost_out", "bounced"} {
		steps = append(steps, chromedp.Focus(chromedp.CSS(`input[name=`+key+`][value="5"]`)), chromedp.KeyEvent(" "))
	}
	steps = append(steps,
		chromedp.Focus(chromedp.CSS(`input[name=what_went_wrong][value=damage]`)), chromedp.KeyEvent(" "),
		chromedp.Focus(chromedp.CSS(`textarea[name=comment]`)),
		chromedp.KeyEvent("Colis cassé. Si rien n'est fait je publie ça sur Facebook et j'appelle mon avocat."),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`#errors`)),
	)
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	alert, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#errors`)))
	if err != nil {
		t.Fatal(err)
	}
	comment, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`textarea[name=comment]`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(alert, "On m'a donné des explications honnêtes") || !strings.Contains(comment, "mon avocat") {
		t.Fatalf("the error names the forgotten question (%q) and keeps the comment (%q)", alert, comment)
	}
	// Follow the link of the error summary, answer, send.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#errors a`)),
		chromedp.Focus(chromedp.CSS(`input[name=honesty][value="1"]`)), chromedp.KeyEvent(" "),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS(`form`)),
	); err != nil {
		t.Fatal(err)
	}
	thanks, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(thanks, "Vos réponses ont bien été reçues") || !strings.Contains(thanks, "vous contactera personnellement") {
		t.Fatalf("thank-you page: %q", thanks)
	}
	queue := list(t, h, "")
	if len(queue) != 1 || queue[0].Priority != "P1" || strings.Join(queue[0].Escalations, ",") != "legal,public" {
		t.Fatalf("queue after the reply: %+v; want one P1 complaint escalated for legal and public intent", queue)
	}
	var d detail
	getJSON(t, h.API(t, users.CX), h.URL+"/api/v1/complaints/"+strconv.FormatInt(queue[0].ID, 10), &d)
	if d.Reply.Comment != "Colis cassé. Si rien n'est fait je publie ça sur Facebook et j'appelle mon avocat." {
		t.Errorf("stored comment %q", d.Reply.Comment)
	}
}
