package web_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/compose"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/webtest"
	"github.com/followup/followup/users"
)

var (
	htmlFooter = regexp.MustCompile(`(?s)border-top:1px solid #e3e5ea;">(.*?)</td>`)
	hrefs      = regexp.MustCompile(`href="[^"]*"`)
)

// footerOf is an email's HTML footer with its links' addresses blanked: what
// a reader sees, whatever the link.
func footerOf(t *testing.T, html string) string {
	t.Helper()
	m := htmlFooter.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no footer in %s", html)
	}
	return hrefs.ReplaceAllString(strings.TrimSpace(m[1]), `href="…"`)
}

// TestTestSendUnsubscribesLikeARealSend: a campaign's test email carries
// the footer and the List-Unsubscribe headers of a real invitation, and its
// unsubscribe link works like a customer's (the confirmation page, the
// one-click POST), marked as a preview and recording nothing.
func TestTestSendUnsubscribesLikeARealSend(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	ctx := context.Background()
	// A real invitation, composed as the worker composes it.
	invID, expires := webtest.SentInvitation(t, h, "real", "en")
	sv, err := h.App.Surveys.EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	vid, err := h.App.Scheduler.CurrentSurveyVersion(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	real, err := h.App.Compose.Invitation(ctx, compose.Recipient{InvitationID: invID, SurveyVersionID: vid, Name: "Ann real",
		Email: "real@example.com", Locale: "en", ExpiresAt: expires})
	if err != nil {
		t.Fatal(err)
	}
	campaign, err := h.App.Scheduler.ByName(ctx, "c")
	if err != nil {
		t.Fatal(err)
	}
	mk := h.API(t, users.Marketing)
	if status, body := send(t, mk, "POST", fmt.Sprintf("%s/api/v1/campaigns/%d/test-send", h.URL, campaign.ID), `{"email":"qa@acme.test","locale":"en"}`); status != 202 {
		t.Fatalf("test send: %d %v", status, body)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	msgs, err := h.Capture.WaitFor(wctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	p, err := msgs[len(msgs)-1].Parsed()
	if err != nil {
		t.Fatal(err)
	}

	if got, want := footerOf(t, p.HTML()), footerOf(t, real.HTML); got != want {
		t.Errorf("test email footer\n%s\nwant the real one\n%s", got, want)
	}
	if got := p.Header.Get("List-Unsubscribe-Post"); got != real.Headers["List-Unsubscribe-Post"] {
		t.Errorf("List-Unsubscribe-Post %q, want %q", got, real.Headers["List-Unsubscribe-Post"])
	}
	unsub := strings.Trim(p.Header.Get("List-Unsubscribe"), "<>")
	if unsub == "" || !strings.Contains(p.HTML(), `href="`+unsub+`"`) || !strings.Contains(p.Text(), "To receive no more surveys: "+unsub) {
		t.Fatalf("List-Unsubscribe %q is not the footer's link:\n%s\n%s", unsub, p.Text(), p.HTML())
	}

	// The link opens the confirmation page a customer sees, marked as a preview.
	code, page := get(t, unsub)
	realCode, realPage := get(t, strings.Trim(real.Headers["List-Unsubscribe"], "<>"))
	if code != 200 || realCode != 200 {
		t.Fatalf("unsubscribe pages: test %d, real %d", code, realCode)
	}
	for _, want := range []string{"Stop receiving surveys", "Receive no more surveys", `method="post"`} {
		if !strings.Contains(page, want) || !strings.Contains(realPage, want) {
			t.Errorf("the test email's unsubscribe page and the real one should both show %q", want)
		}
	}
	if !strings.Contains(page, "Nobody is unsubscribed from here") {
		t.Errorf("the test email's unsubscribe page does not say it is a preview:\n%s", page)
	}
	// A mail client's one-click POST is answered as for a customer; nobody
	// is unsubscribed.
	code, page, _ = webtest.Fetch(t, "POST", unsub, url.Values{"List-Unsubscribe": {"One-Click"}}, nil)
	if code != 200 || !strings.Contains(page, "You are unsubscribed") || !strings.Contains(page, "Nothing was recorded") {
		t.Errorf("one-click on the test email: %d\n%s", code, page)
	}
	if n := webtest.Rows(t, h, "email_suppressions"); n != 0 {
		t.Errorf("%d suppressed addresses after unsubscribing from a test email", n)
	}
	var optedOut int
	if err := h.App.DB.Get(&optedOut, `SELECT count(*) FROM customers WHERE opted_out_at IS NOT NULL`); err != nil {
		t.Fatal(err)
	}
	if optedOut != 0 {
		t.Errorf("%d customers opted out by a test email", optedOut)
	}
}
