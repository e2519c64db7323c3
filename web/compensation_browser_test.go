package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/users"
)

// TestCompensationApprovalInABrowser: an agent grants more than their
// limit in Chromium; nothing is recorded, the complaint says it waits; a
// manager finds it in the approval queue, approves it with a reason; the
// customer is emailed the amount in their currency and the agent reads the
// decision on the complaint. Another agent is refused acting on it.
func TestCompensationApprovalInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true, Worker: true}, Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s"}})
	agent, _ := h.User(t, users.CX)
	mgr, _ := h.User(t, users.Manager)
	otherUser(t, h, users.CX, "Other Agent")
	submit(t, invite(t, h, customer{ref: "grant", locale: "en"}, 1), reply(1, 1, "The parcel arrived crushed."))
	id := list(t, h, "")[0].ID
	complaintURL := fmt.Sprintf("%s/cx/complaints/%d", h.URL, id)

	ctx := browser.New(t)
	if err := browser.SignIn(ctx, h.URL, agent.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	page := browser.Page{T: t, Ctx: ctx}
	page.Do(chromedp.Navigate(complaintURL), chromedp.WaitVisible(chromedp.CSS(`#take`)), chromedp.Click(chromedp.CSS(`#take`)))
	page.WaitText("#flash", "You own this complaint")
	page.Do(chromedp.Click(chromedp.CSS(`#open-compensate summary`)), chromedp.WaitVisible(chromedp.CSS(`#amount`)))
	if rule := page.Text(`#comp-rule`); !strings.Contains(rule, "In EUR") || !strings.Contains(rule, "your limit of 150.00 EUR") {
		t.Errorf("compensation rule: %q", rule)
	}
	page.Do(chromedp.SetValue(chromedp.CSS(`#amount`), "400"), chromedp.SetValue(chromedp.CSS(`#comp-note`), "new parcel and a voucher"),
		chromedp.Click(chromedp.CSS(`#grant-compensation`)))
	page.WaitText("#flash", "waits for a manager's approval")
	if granted := page.Text(`#granted`); granted != "0.00 EUR" {
		t.Errorf("granted before approval: %q", granted)
	}
	if grants := page.Text(`#grants`); !strings.Contains(grants, "400.00 EUR (new parcel and a voucher) · waiting for a manager's approval") {
		t.Errorf("grants: %q", grants)
	}

	// Another agent is refused, and told why.
	other := browser.New(t)
	if err := browser.SignIn(other, h.URL, "other.agent@test.example", apptest.Password); err != nil {
		t.Fatal(err)
	}
	op := browser.Page{T: t, Ctx: other}
	op.Do(chromedp.Navigate(complaintURL+"?open=compensate"), chromedp.WaitVisible(chromedp.CSS(`#amount`)),
		chromedp.SetValue(chromedp.CSS(`#amount`), "10"), chromedp.Click(chromedp.CSS(`#grant-compensation`)))
	op.WaitText("#problem", "Test cx owns this complaint: only they or a manager can act on it")

	// The manager approves it from the queue.
	mctx := browser.New(t)
	if err := browser.SignIn(mctx, h.URL, mgr.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	mp := browser.Page{T: t, Ctx: mctx}
	mp.Do(chromedp.Navigate(h.URL+"/manager/compensation"), chromedp.WaitVisible(chromedp.CSS(`#pending`)))
	row := mp.Text(`#pending tbody tr`)
	if !strings.Contains(row, "Test cx") || !strings.Contains(row, "400.00 EUR") || !strings.Contains(row, "above the agent's limit") ||
		!strings.Contains(row, "above the advised range") {
		t.Errorf("queue row: %q", row)
	}
	mp.Do(chromedp.SetValue(chromedp.CSS(`#pending input[name=reason]`), "Second failure for this customer: worth it."),
		chromedp.Click(chromedp.CSS(`#pending button[id^=approve-]`)))
	mp.WaitText("#flash", "Approved")
	mp.WaitText("#pending-none", "Nothing waits")
	if report := mp.Text(`#comp-report`); !strings.Contains(report, "Test cx") || !strings.Contains(report, "400.00 EUR") || !strings.Contains(report, "team total") {
		t.Errorf("granted against advised: %q", report)
	}

	// The customer is told; the agent reads the decision.
	if m := h.WaitMail(t, "grant@example.com", "Your compensation"); !strings.Contains(m.Text(), "compensation of 400.00 EUR") ||
		!strings.Contains(m.Text(), "new parcel and a voucher") {
		t.Errorf("customer email: %s", m.Text())
	}
	page.Do(chromedp.Navigate(complaintURL), chromedp.WaitVisible(chromedp.CSS(`#grants`)))
	if grants := page.Text(`#grants`); !strings.Contains(grants, "approved by Test manager: Second failure for this customer: worth it.") {
		t.Errorf("grants after approval: %q", grants)
	}
	if granted := page.Text(`#granted`); granted != "400.00 EUR" {
		t.Errorf("granted after approval: %q", granted)
	}
	if audit := page.Text(`#audit`); !strings.Contains(audit, "Compensation approved by a manager") || strings.Contains(audit, "_") {
		t.Errorf("history: %s", audit)
	}
}
