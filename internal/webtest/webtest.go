// Package webtest holds what the tests of the web packages share: a client
// that does not follow redirects, survey invitations walked to "sent" the
// way the worker does (without sending mail), the default survey's answers,
// row counts, a staff member signed in (SignedIn) and the reports' seeded
// weeks (SeedReports). It is for tests only.
package webtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

// Client does not follow redirects, so tests see the 303 of a form.
var Client = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// SentInvitation records an event for a customer in locale and walks its
// invitation to "sent" the way the worker does, without sending mail.
func SentInvitation(t *testing.T, h *apptest.Harness, ref, locale string) (id int64, expires time.Time) {
	t.Helper()
	ctx := context.Background()
	sv, err := h.App.Surveys.EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.Scheduler.ByName(ctx, "c"); err != nil {
		if _, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{Name: "c", SurveyID: sv.ID, State: scheduler.StateActive, EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen()}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = h.App.Intake.Record(ctx, customers.EventInput{ExternalID: "e-" + ref, Kind: "delivery", OccurredAt: time.Now().Add(-time.Hour),
		Customer: customers.CustomerInput{ExternalRef: ref, Email: ref + "@example.com", Name: "Ann " + ref, Locale: locale}})
	if err != nil {
		t.Fatal(err)
	}
	return SendDue(t, h)
}

// Customer is a test customer with a service event to answer about.
type Customer struct {
	Ref, Locale string
	ValueCents  int64
	Prejudice   *int64
}

// Invite records an event (one per call, n-th of the customer) and walks
// its invitation to "sent" the way the worker does; it returns the link.
func Invite(t *testing.T, h *apptest.Harness, c Customer, n int) string {
	t.Helper()
	ctx := context.Background()
	sv, err := h.App.Surveys.EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.Scheduler.ByName(ctx, "c"); err != nil {
		if _, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{Name: "c", SurveyID: sv.ID, State: scheduler.StateActive, EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen()}); err != nil {
			t.Fatal(err)
		}
	}
	value := c.ValueCents
	_, err = h.App.Intake.Record(ctx, customers.EventInput{ExternalID: fmt.Sprintf("e-%s-%d", c.Ref, n), Kind: "delivery",
		OccurredAt: time.Now().Add(-time.Hour), PrejudiceCents: c.Prejudice, Touchpoint: "courier",
		Customer: customers.CustomerInput{ExternalRef: c.Ref, Email: c.Ref + "@example.com", Name: "Client " + c.Ref, Locale: c.Locale, AnnualValueCents: &value}})
	if err != nil {
		t.Fatal(err)
	}
	id, expires := SendDue(t, h)
	return h.App.Links.Survey(id, expires)
}

// SendDue walks the one due invitation to "sent" the way the worker does,
// without sending mail.
func SendDue(t *testing.T, h *apptest.Harness) (int64, time.Time) {
	t.Helper()
	ctx := context.Background()
	batch, k, err := h.App.Scheduler.ClaimDue(ctx, time.Now(), 10)
	if err != nil || k != 1 {
		t.Fatalf("claim: %d %v", k, err)
	}
	out, ok, err := h.App.Scheduler.ClaimBatch(ctx, batch, time.Now(), time.Now())
	if err != nil || !ok || len(out) != 1 {
		t.Fatalf("claim batch: %v", err)
	}
	if err := h.App.Scheduler.MarkSent(ctx, []scheduler.Sent{{ID: out[0].ID, MessageID: "m", ExpiresAt: out[0].ExpiresAt}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	return out[0].ID, out[0].ExpiresAt
}

// Fetch sends a request (a form when form is not nil) with Client and
// returns the status, the body and the headers of the answer.
func Fetch(t *testing.T, method, link string, form url.Values, header map[string]string) (int, string, http.Header) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, link, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// FullAnswers answers the default survey: the overall rating and every
// Likert item at agree.
func FullAnswers(overall int, agree int) url.Values {
	f := url.Values{"overall": {fmt.Sprint(overall)}}
	for _, q := range surveys.Default().Questions {
		if q.Kind == surveys.Likert5 {
			f.Set(q.Key, fmt.Sprint(agree))
		}
	}
	return f
}

// Rows counts the rows of a table in the test's schema.
func Rows(t *testing.T, h *apptest.Harness, table string) int {
	t.Helper()
	var n int
	if err := h.Schema.DB.Get(&n, "SELECT count(*) FROM "+table); err != nil {
		t.Fatal(err)
	}
	return n
}
