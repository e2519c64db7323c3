package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/followup/followup/app"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/browser"
	"github.com/followup/followup/internal/webtest"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// TestComplaintPageInABrowser: the complaint page in two columns, the
// rarely used forms closed behind their buttons, opened by a click or from
// the keyboard (Tab, then Enter), a wrong amount re-shown with the form
// open and everything typed kept, the customer's value and segment beside
// their name, the conversation with the acknowledgement sent, and times in
// the browser's zone once its script said which.
func TestComplaintPageInABrowser(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true, Worker: true}, Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s"}})
	agent, _ := h.User(t, users.CX)
	submit(t, invite(t, h, customer{ref: "keyboard", locale: "en", valueCents: 250_000}, 1),
		reply(1, 1, "The parcel arrived crushed and nobody answers."))
	id := list(t, h, "")[0].ID
	h.WaitMail(t, "keyboard@example.com", "")
	url := fmt.Sprintf("%s/cx/complaints/%d", h.URL, id)

	ctx := browser.New(t)
	if err := browser.SignIn(ctx, h.URL, agent.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	page := browser.Page{T: t, Ctx: ctx}
	page.Do(chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`#next-step`)))
	// The workspace's script (on the queue that signing in lands on, and
	// on this page) tells the browser's zone; the pages written after it
	// show times there (without it, see TestComplaintPageWithoutJavaScript).
	browser.WaitJS(ctx, t, `document.cookie.includes('followup_tz=')`)
	page.Do(chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(`#next-step`)))
	page.WaitText("#zone-note", "your browser's time zone")

	for _, box := range []string{"assign", "compensate", "deviance"} {
		if open := evalBool(t, ctx, `document.querySelector('#open-`+box+`').open`); open {
			t.Errorf("%s is open before anyone asked for it", box)
		}
	}
	if who := page.Text(`#customer`); !strings.Contains(who, "Client keyboard") || !strings.Contains(who, "2,500.00 EUR a year") ||
		!strings.Contains(who, "segment key account") || !strings.Contains(who, "(from the annual value)") {
		t.Errorf("customer line: %q", who)
	}
	if next := page.Text(`#next-step`); !strings.Contains(next, "of business time left") && !strings.Contains(next, "overdue by") {
		t.Errorf("next step: %q", next)
	}
	if talk := page.Text(`#conversation`); !strings.Contains(talk, "acknowledgement") || !strings.Contains(talk, "to the customer") {
		t.Errorf("conversation: %q", talk)
	}
	// Two columns side by side on a wide screen: the conversation's column
	// starts level with the first one, to its right.
	if !evalBool(t, ctx, `(() => { const a = document.querySelector('.ws-what').getBoundingClientRect(), b = document.querySelector('.ws-talk').getBoundingClientRect(); return b.left > a.left && Math.abs(b.top - a.top) < 5; })()`) {
		t.Errorf("the page is not in two columns at %v px", evalFloat(t, ctx, `window.innerWidth`))
	}

	// A click on its button opens a form.
	page.Do(chromedp.Click(chromedp.CSS(`#open-assign summary`)), chromedp.WaitVisible(chromedp.CSS(`#owner_id`)))
	// The keyboard alone: Tab from the compensation button reaches the
	// deviance button, and Enter opens it.
	page.Do(chromedp.Focus(chromedp.CSS(`#open-compensate summary`)), chromedp.KeyEvent("\t"))
	if !evalBool(t, ctx, `document.activeElement === document.querySelector('#open-deviance summary')`) {
		t.Fatalf("Tab from the compensation button went to %q", evalString(t, ctx, `document.activeElement.outerHTML.slice(0, 80)`))
	}
	page.Do(chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(`#substance`)))
	if !evalBool(t, ctx, `document.querySelector('#open-deviance').open`) {
		t.Error("Enter did not open the deviance form")
	}

	// A wrong amount: the form comes back open, with the message and
	// everything typed.
	page.Do(chromedp.Click(chromedp.CSS(`#open-compensate summary`)), chromedp.WaitVisible(chromedp.CSS(`#amount`)),
		chromedp.SendKeys(chromedp.CSS(`#amount`), "12,5,0"), chromedp.SendKeys(chromedp.CSS(`#comp-note`), "voucher for the next parcel"),
		chromedp.Click(chromedp.CSS(`#grant-compensation`)))
	page.WaitText("#problem", "Not done")
	if !evalBool(t, ctx, `document.querySelector('#open-compensate').open`) {
		t.Error("the compensation form is closed after its error")
	}
	amount, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#amount`)))
	note, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#comp-note`)))
	if amount != "12,5,0" || note != "voucher for the next parcel" {
		t.Errorf("typed values lost: amount %q, note %q", amount, note)
	}
	if msg := page.Text(`#amount-error`); !strings.Contains(msg, "an amount such as 25") {
		t.Errorf("amount error: %q", msg)
	}
	if open := evalBool(t, ctx, `document.querySelector('#open-deviance').open`); open {
		t.Error("the deviance form reopened with the compensation's error")
	}
}

// TestComplaintPageWithoutJavaScript reads the page as a client that runs
// no script: the forms are closed <details> a link can open, times are in
// the team's zone and the page says so; in French for a French browser.
func TestComplaintPageWithoutJavaScript(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}, Env: map[string]string{"FOLLOWUP_BUSINESS_CALENDAR": "fr"}})
	submit(t, invite(t, h, customer{ref: "nojs", locale: "fr"}, 1), reply(1, 1, "Colis abîmé, personne ne répond."))
	id := list(t, h, "")[0].ID
	c, _ := webtest.SignedIn(t, h, users.CX)
	url := fmt.Sprintf("%s/cx/complaints/%d", h.URL, id)

	status, page := pageGet(t, c, url)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{`<details id="open-compensate">`, `<details id="open-deviance">`, `<details id="open-assign">`,
		"Times are in Europe/Paris, the team calendar&#39;s time zone", `id="conversation"`, `<form method="post" action="/cx/complaints/` + fmt.Sprint(id) + `/reply"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if _, page = pageGet(t, c, url+"?open=compensate"); !strings.Contains(page, `<details id="open-compensate" open>`) {
		t.Error("?open=compensate does not show the form open")
	}
	if page = frenchGet(t, c, url); !strings.Contains(page, "Ce qui s&#39;est passé") || !strings.Contains(page, "Prochaine étape") ||
		!strings.Contains(page, "Accorder une compensation…") || strings.Contains(page, "What happened") {
		t.Error("the French page is not in French")
	}
	if page = frenchGet(t, c, h.URL+"/cx/"); !strings.Contains(page, "Temps restant (heures ouvrées)") || !strings.Contains(page, "Attribuer les réclamations cochées à") ||
		strings.Contains(page, "Last activity") {
		t.Error("the French queue is not in French")
	}
	if page = frenchGet(t, c, fmt.Sprintf("%s/cx/customers/%d", h.URL, list(t, h, "")[0].CustomerID)); !strings.Contains(page, "Événements de service") ||
		!strings.Contains(page, "reçoit les enquêtes") {
		t.Error("the French customer page is not in French")
	}
	if status, page := pageGet(t, c, h.URL+"/cx/customers?q=+"); status != http.StatusBadRequest || !strings.Contains(page, "Type part of a name") {
		t.Errorf("empty customer search: %d", status)
	}
	// A browser's zone, once told, is used; a zone this machine does not know is not.
	for cookie, want := range map[string]string{"America/Toronto": "Times are in America/Toronto, your browser", "Mars/Olympus": "Times are in Europe/Paris"} {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.AddCookie(&http.Cookie{Name: "followup_tz", Value: cookie})
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), want) {
			t.Errorf("zone cookie %q: page lacks %q", cookie, want)
		}
	}
}

// TestQueueSearchBulkAssignAndCustomerPage: the lead's columns, the
// customer search (case and accents ignored, kept in the URL), a bulk
// assignment where one complaint owned by someone else is refused and said
// so, and the customer's page reached from the queue.
func TestQueueSearchBulkAssignAndCustomerPage(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	ctx := context.Background()
	lead, _ := h.User(t, users.CX)
	long := strings.Repeat("Très déçu du service ", 10) + "et je le dirai partout."
	submit(t, invite(t, h, customer{ref: "zoe", locale: "fr", valueCents: 1_500_000}, 1), reply(1, 1, long))
	submit(t, invite(t, h, customer{ref: "marc", locale: "en", valueCents: 10_000}, 1), reply(1, 1, "Late again."))
	if _, err := h.App.Customers.SaveCustomers(ctx, []customers.CustomerInput{{ExternalRef: "zoe", Email: "zoe@example.com", Name: "Zoé Tremblay", Locale: "fr"}}); err != nil {
		t.Fatal(err)
	}
	var zoeID, marcID int64
	for _, c := range list(t, h, "") {
		switch c.Email {
		case "zoe@example.com":
			zoeID = c.ID
		case "marc@example.com":
			marcID = c.ID
		}
	}
	if zoeID == 0 || marcID == 0 {
		t.Fatalf("complaints: %+v", list(t, h, ""))
	}
	// The API searches and sorts the same way.
	if got := emails(list(t, h, "?q=tr%C3%A9mblay")); len(got) != 1 || !strings.HasPrefix(got[0], "zoe:") {
		t.Errorf("API search: %v", got)
	}
	if got := emails(list(t, h, "?sort=value")); len(got) != 2 || !strings.HasPrefix(got[0], "zoe:") {
		t.Errorf("API sorted by value: %v", got)
	}
	if status := getJSON(t, h.API(t, users.CX), h.URL+"/api/v1/complaints?sort=loudest", &struct{}{}); status != http.StatusBadRequest {
		t.Errorf("unknown sort: %d", status)
	}
	// Marc's complaint belongs to another agent: the lead (an agent, not a
	// manager) may not take it from them.
	sam, err := h.App.Users.Create(ctx, users.NewUser{Email: "sam@test.example", Name: "Sam Owner", Role: users.CX, Team: "team-a", Password: apptest.Password})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.App.Loop.Take(ctx, marcID, web.ActorOf(sam)); err != nil {
		t.Fatal(err)
	}

	bctx := browser.New(t)
	if err := browser.SignIn(bctx, h.URL, lead.Email, apptest.Password); err != nil {
		t.Fatal(err)
	}
	page := browser.Page{T: t, Ctx: bctx}
	page.Do(chromedp.Navigate(h.URL+"/cx/"), chromedp.WaitVisible(chromedp.CSS(`#queue`)))
	head := page.Text(`#queue thead`)
	for _, col := range []string{"Age", "Time left (business hours)", "Comment", "Annual value", "Owner", "Last activity"} {
		if !strings.Contains(head, col) {
			t.Errorf("queue lacks the column %q: %q", col, head)
		}
	}
	zoeRow := fmt.Sprintf(`#queue tr[data-id="%d"]`, zoeID)
	if excerpt := page.Text(zoeRow + ` .c-comment`); !strings.HasSuffix(excerpt, "…") || len([]rune(excerpt)) != 91 {
		t.Errorf("excerpt: %q (%d characters)", excerpt, len([]rune(excerpt)))
	}
	if value := page.Text(zoeRow + ` .c-value`); !strings.Contains(value, "15,000.00 EUR") || !strings.Contains(value, "key account") {
		t.Errorf("value: %q", value)
	}
	if owner := page.Text(fmt.Sprintf(`#queue tr[data-id="%d"] .c-owner`, marcID)); owner != "Sam Owner" {
		t.Errorf("owner: %q", owner)
	}

	// Search: no accent, any case; the URL keeps it.
	page.Do(chromedp.SetValue(chromedp.CSS(`#q`), "ZOE tremb"), chromedp.Click(chromedp.CSS(`#search button[type=submit]`)))
	// The page of results, once loaded, holds Zoé's complaint alone.
	browser.WaitJS(bctx, t, fmt.Sprintf(`location.search.includes('q=ZOE+tremb') && document.readyState === 'complete' && !!document.querySelector('#queue tr[data-id="%d"]')`, zoeID))
	if rows := evalFloat(t, bctx, `document.querySelectorAll('#queue tbody tr[data-id]').length`); rows != 1 {
		t.Errorf("search found %v complaints", rows)
	}
	page.Do(chromedp.Navigate(h.URL + "/cx/"))

	// Bulk: both ticked, given to the lead; Marc's is refused, and why.
	page.Do(chromedp.WaitVisible(chromedp.CSS(`#bulk`)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#pick-%d`, zoeID))), chromedp.Click(chromedp.CSS(fmt.Sprintf(`#pick-%d`, marcID))),
		chromedp.SetValue(chromedp.CSS(`#bulk-owner`), fmt.Sprint(lead.ID)), chromedp.Click(chromedp.CSS(`#bulk-assign`)))
	page.WaitText("#bulk-result", "Not assigned")
	if done := page.Text(`#bulk-assigned`); !strings.Contains(done, fmt.Sprintf("#%d", zoeID)) || strings.Contains(done, fmt.Sprintf("#%d", marcID)) {
		t.Errorf("assigned: %q", done)
	}
	if refused := page.Text(`#bulk-refused`); !strings.Contains(refused, fmt.Sprintf("#%d", marcID)) || !strings.Contains(refused, "Sam Owner owns this complaint") {
		t.Errorf("refused: %q", refused)
	}
	if owner := page.Text(fmt.Sprintf(`#queue tr[data-id="%d"] .c-owner`, zoeID)); owner != "Test cx" {
		t.Errorf("Zoé's complaint is owned by %q after the bulk assignment", owner)
	}

	// The customer's page, from the queue.
	page.Do(chromedp.Click(chromedp.CSS(zoeRow+` .c-customer a`)), chromedp.WaitVisible(chromedp.CSS(`#profile`)))
	profile := page.Text(`#profile`)
	for _, want := range []string{"zoe@example.com", "zoe", "French", "15,000.00 EUR", "key account", "receives surveys"} {
		if !strings.Contains(profile, want) {
			t.Errorf("profile lacks %q: %q", want, profile)
		}
	}
	if got := page.Text(`#complaints`); !strings.Contains(got, fmt.Sprintf("#%d", zoeID)) || !strings.Contains(got, "In progress") {
		t.Errorf("complaints: %q", got)
	}
	if got := page.Text(`#replies`); !strings.Contains(got, "je le dirai partout") || !strings.Contains(got, "negative") {
		t.Errorf("replies: %q", got)
	}
	if got := page.Text(`#invitations`); !strings.Contains(got, "answered") {
		t.Errorf("invitations: %q", got)
	}
	if got := page.Text(`#events`); !strings.Contains(got, "Delivery") || !strings.Contains(got, "Courier") {
		t.Errorf("events: %q", got)
	}
	// And the search page finds her by her reference.
	page.Do(chromedp.Navigate(h.URL+"/cx/customers?q=zoe"), chromedp.WaitVisible(chromedp.CSS(`#customers`)))
	if got := page.Text(`#customers tbody`); !strings.Contains(got, "Zoé Tremblay") || strings.Contains(got, "marc") {
		t.Errorf("customer search: %q", got)
	}
}

func evalBool(t *testing.T, ctx context.Context, js string) bool {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func evalFloat(t *testing.T, ctx context.Context, js string) float64 {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func evalString(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// frenchGet reads a page as a browser set to French.
func frenchGet(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s in French: %d %v", url, resp.StatusCode, err)
	}
	return string(b)
}
