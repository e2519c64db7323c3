package web_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/users"
)

// TestCXFlowInABrowser is an agent's day in a real Chromium: sign in, find
// the complaint at the top of the queue, see the comment's signals, take
// it, send a reply (the check holds back the unfilled template first),
// record compensation and resolve; the customer receives the reply and the
// resolution.
func TestCXFlowInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true, Worker: true}, Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s"}})
	agent, _ := h.User(t, users.CX)
	submit(t, invite(t, h, customer{ref: "angry", locale: "en"}, 1),
		reply(1, 1, "The parcel arrived crushed and nobody answers. I will post it on Facebook."))
	id := list(t, h, "")[0].ID

	ctx := browser.New(t)
	if err := browser.SignIn(ctx, h.URL, agent.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	page := browser.Page{T: t, Ctx: ctx}
	do, text, waitText := page.Do, page.Text, page.WaitText

	// The queue lands after sign-in; the complaint is on top.
	do(chromedp.Navigate(h.URL+"/cx/"), chromedp.WaitVisible(chromedp.CSS(`#queue`)))
	if row := text(`#queue tbody tr`); !strings.Contains(row, fmt.Sprintf("#%d", id)) || !strings.Contains(row, "Client angry") ||
		!strings.Contains(row, "public") || !strings.Contains(row, "nobody") {
		t.Errorf("queue row: %q", row)
	}
	if views := text(`nav.chips`); !strings.Contains(views, "Unassigned 1") {
		t.Errorf("views: %q", views)
	}
	do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#queue a[href="/cx/complaints/%d"]`, id))), chromedp.WaitVisible(chromedp.CSS(`#comment`)))
	if mark := text(`#comment mark.signal.public`); !strings.Contains(strings.ToLower(mark), "facebook") {
		t.Errorf("highlighted signal: %q", mark)
	}
	if advice := text(`#advice`); !strings.Contains(advice, "Reimbursement") && !strings.Contains(advice, "goodwill gesture") {
		t.Errorf("advice: %q", advice)
	}
	// Why it was flagged, in words, not codes.
	if why := text(`#flagged`); !strings.Contains(why, "Outcome (distributive) score 0/100, under the survey's threshold of 50") ||
		!strings.Contains(why, "Comment: the customer intends to go public: “") || !strings.Contains(why, "Facebook”") || strings.Contains(why, "low_score") {
		t.Errorf("why it was flagged: %q", why)
	}

	do(chromedp.Click(chromedp.CSS(`#take`)))
	waitText("#flash", "You own this complaint")
	if owner := text(`#owner`); !strings.Contains(owner, "Test cx") {
		t.Errorf("owner: %q", owner)
	}

	// The draft is the six-step template: sent as is, the check holds it.
	draft, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#body`)))
	if err != nil || !strings.HasPrefix(draft, "Hello Client angry,") || !strings.Contains(draft, "[date]") {
		t.Fatalf("draft: %q %v", draft, err)
	}
	do(chromedp.Click(chromedp.CSS(`#send-reply`)))
	waitText("#warnings", "bracketed")
	kept, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#body`)))
	if kept != draft {
		t.Errorf("the reply typed was not kept after the warning")
	}
	do(chromedp.SetValue(chromedp.CSS(`#body`), "Hello,\n\nI am sorry. We refund the delivery and send a new parcel by Friday.\n\nSam"),
		chromedp.Click(chromedp.CSS(`#send-anyway`)))
	waitText("#flash", "Reply sent")

	// Compensation is behind its button: open it first.
	do(chromedp.Click(chromedp.CSS(`#open-compensate summary`)), chromedp.WaitVisible(chromedp.CSS(`#amount`)),
		chromedp.SetValue(chromedp.CSS(`#amount`), "25"), chromedp.Click(chromedp.CSS(`#compensate button[type=submit]`)))
	waitText("#flash", "Compensation recorded")
	if granted := text(`#granted`); granted != "25.00 EUR" {
		t.Errorf("granted: %q", granted)
	}

	do(chromedp.SetValue(chromedp.CSS(`#summary`), "We refunded the delivery (25.00) and a new parcel left today by express."),
		chromedp.Click(chromedp.CSS(`#resolve-button`)))
	if err := browser.WaitText(ctx, "#flash", "Resolved"); err != nil {
		t.Fatalf("%v; page says %q", err, text("main"))
	}
	if st := text(`#state`); st != "Resolved" {
		t.Errorf("state: %q", st)
	}
	// The history says who did what in words: no codes, no JSON.
	audit := text(`#audit`)
	for _, want := range []string{"Complaint opened", "Acknowledgement emailed to the customer", "Taken", "owner: " + agent.Email,
		"Reply written to the customer", "Compensation granted", "25.00 EUR granted in all",
		"Resolved", "We refunded the delivery (25.00) and a new parcel left today by express. · recovery survey on "} {
		if !strings.Contains(audit, want) {
			t.Errorf("history lacks %q:\n%s", want, audit)
		}
	}
	if strings.Contains(audit, "{") || strings.Contains(audit, "_") {
		t.Errorf("history shows codes or JSON:\n%s", audit)
	}
	if p := os.Getenv("FOLLOWUP_SCREENSHOT"); p != "" {
		if b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			_ = os.WriteFile(p, b, 0o644)
		}
	}

	if r := h.WaitMail(t, "angry@example.com", "About your request"); !strings.Contains(r.Text(), "send a new parcel by Friday") {
		t.Errorf("reply email: %s", r.Text())
	}
	if r := h.WaitMail(t, "angry@example.com", "here is what we did"); !strings.Contains(r.Text(), "new parcel left today") {
		t.Errorf("resolution email: %s", r.Text())
	}
}
