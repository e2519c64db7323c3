package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

func record(t *testing.T, h *apptest.Harness, id, ref, email, kind, locale string, occurred time.Time) {
	t.Helper()
	if _, err := h.App.Intake.Record(context.Background(), customers.EventInput{ExternalID: id, Kind: kind, OccurredAt: occurred,
		Customer: customers.CustomerInput{ExternalRef: ref, Email: email, Locale: locale, Name: "Zoé Ng"}}); err != nil {
		t.Fatal(err)
	}
}

func stateOf(t *testing.T, h *apptest.Harness, eventExternalID string) string {
	t.Helper()
	var s string
	if err := h.Schema.DB.Get(&s, `SELECT i.state || ':' || i.reason FROM invitations i JOIN service_events e ON e.id = i.event_id
		WHERE e.external_id = $1`, eventExternalID); err != nil {
		t.Fatalf("invitation of %s: %v", eventExternalID, err)
	}
	return s
}

func waitState(t *testing.T, h *apptest.Harness, eventExternalID, prefix string) string {
	t.Helper()
	var s string
	wait.For(10*time.Second, func() bool {
		s = stateOf(t, h, eventExternalID)
		return strings.HasPrefix(s, prefix)
	})
	return s // the caller says what it wanted
}

// TestDeliveryHeadersUnsubscribeAndBounces follows survey emails through a
// real SMTP server: the headers, the links, the unsubscribe page and its
// one-click POST, and a bounce that suppresses the address for good.
func TestDeliveryHeadersUnsubscribeAndBounces(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{})
	h.Capture.OnRcpt(func(to string) error {
		if strings.HasPrefix(to, "gone@") {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	})
	ctx := context.Background()
	sv, _ := h.App.Surveys.EnsureDefault(ctx)
	now := time.Now()
	fast, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{Name: "fast", SurveyID: sv.ID, State: scheduler.StateActive,
		EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen(), FrequencyCapDays: 0})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{Name: "later", SurveyID: sv.ID, State: scheduler.StateActive,
		EventKinds: []string{"repair"}, Window: scheduler.AlwaysOpen(), Delay: 2 * time.Hour, FrequencyCapDays: 0}); err != nil {
		t.Fatal(err)
	}
	record(t, h, "e1", "zoe", "zoe@x.test", "delivery", "fr", now.Add(-time.Minute))
	record(t, h, "e2", "zoe", "zoe@x.test", "repair", "fr", now.Add(-time.Hour)) // due in an hour
	record(t, h, "e3", "gone", "gone@x.test", "delivery", "en", now.Add(-time.Minute))

	msgs := waitMail(t, h, 1)
	p := mailTo(t, msgs, "zoe@x.test")
	var invID int64
	if err := h.Schema.DB.Get(&invID, `SELECT i.id FROM invitations i JOIN service_events e ON e.id = i.event_id WHERE e.external_id = 'e1'`); err != nil {
		t.Fatal(err)
	}
	if got, want := p.Header.Get("Message-Id"), "<invitation-"+strconv.FormatInt(invID, 10)+"@followup.localhost>"; got != want {
		t.Errorf("Message-ID %q, want %q", got, want)
	}
	if got := p.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q", got)
	}
	lu := p.Header.Get("List-Unsubscribe")
	if !strings.HasPrefix(lu, "<"+h.URL+surveys.UnsubscribePath) || !strings.HasSuffix(lu, ">") {
		t.Fatalf("List-Unsubscribe %q", lu)
	}
	unsub := strings.Trim(lu, "<>")
	if !strings.Contains(p.Text(), unsub) || !strings.Contains(p.HTML(), unsub) {
		t.Errorf("the unsubscribe link must be in both parts of the email")
	}
	token := strings.TrimPrefix(unsub, h.URL+surveys.UnsubscribePath)
	if c, err := h.App.Signer.Verify(surveys.PurposeUnsubscribe, token, time.Now()); err != nil || c.InvitationID != invID {
		t.Errorf("unsubscribe link does not verify: %v %+v", err, c)
	}
	survey := surveyLinkIn(t, p)
	if c, err := h.App.Signer.Verify(surveys.PurposeSurvey, strings.TrimPrefix(survey, h.URL+surveys.SurveyPath), time.Now()); err != nil || c.InvitationID != invID {
		t.Errorf("survey link does not verify: %v", err)
	}

	// The bounce: failed, and the address is suppressed.
	if s := waitState(t, h, "e3", "failed"); !strings.HasPrefix(s, "failed:bounced") {
		t.Errorf("bounced invitation: %s", s)
	}

	// A scanner opening the unsubscribe link unsubscribes no one.
	resp, err := http.Get(unsub)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var optedOut bool
	if err := h.Schema.DB.Get(&optedOut, `SELECT opted_out_at IS NOT NULL FROM customers WHERE external_ref = 'zoe'`); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || optedOut {
		t.Fatalf("GET unsubscribe: %d, opted out %v; want the confirmation page only", resp.StatusCode, optedOut)
	}
	// The mail client's one-click POST (RFC 8058) does.
	resp, err = http.PostForm(unsub, url.Values{"List-Unsubscribe": {"One-Click"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := h.Schema.DB.Get(&optedOut, `SELECT opted_out_at IS NOT NULL FROM customers WHERE external_ref = 'zoe'`); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !optedOut {
		t.Fatalf("one-click unsubscribe: %d, opted out %v", resp.StatusCode, optedOut)
	}

	// What was already scheduled is not sent; other records with the same
	// addresses get nothing either.
	record(t, h, "e4", "zoe-again", "ZOE@x.test", "delivery", "fr", now.Add(-time.Minute))
	record(t, h, "e5", "gone-again", "gone@x.test", "delivery", "en", now.Add(-time.Minute))
	if _, err := h.Schema.DB.Exec(`UPDATE due_sends SET due_at = now() - interval '1 second'
		WHERE invitation_id = (SELECT i.id FROM invitations i JOIN service_events e ON e.id = i.event_id WHERE e.external_id = 'e2')`); err != nil {
		t.Fatal(err)
	}
	for ev, want := range map[string]string{"e2": "suppressed:opted_out", "e4": "suppressed:address_unsubscribed", "e5": "suppressed:address_bounced"} {
		if s := waitState(t, h, ev, "suppressed"); s != want {
			t.Errorf("%s: %s, want %s", ev, s, want)
		}
	}
	if n := h.Capture.Count(); n != 1 {
		t.Errorf("%d emails accepted, want only the first one to zoe", n)
	}
	st, err := h.App.Scheduler.Stats(ctx, fast.ID, 1, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st.FailedBy["bounced"] != 1 || st.Suppressed["address_bounced"] != 1 || st.Suppressed["address_unsubscribed"] != 1 {
		t.Errorf("stats: failed by %v, suppressed %v", st.FailedBy, st.Suppressed)
	}
}
