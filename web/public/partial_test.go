package public_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
)

// count runs a count query on the test's schema.
func count(t *testing.T, h *apptest.Harness, query string, args ...any) int {
	t.Helper()
	var n int
	if err := h.Schema.DB.Get(&n, query, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPartialReplyCompletedLater: the rating chosen in the email and a
// comment are a reply, stored and scored, that opens its complaint with
// nothing else answered; the customer comes back through the same link,
// answers the rest, and the same complaint is updated: no second complaint,
// no second alert, no second acknowledgement.
func TestPartialReplyCompletedLater(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	id, expires := sentInvitation(t, h, "p1", "en")
	link := h.App.Links.Survey(id, expires)

	status, page, _ := fetch(t, "GET", link+"?score=2", nil, nil)
	if status != 200 || !strings.Contains(page, "(optional)") || strings.Count(page, "(required)") != 1 {
		t.Fatalf("survey page must say which items are optional: %d %.300s", status, page)
	}
	first := url.Values{"overall": {"2"}, "comment": {"Two weeks late. I will post this on Facebook."}, "lang": {"en"}}
	status, _, hdr := fetch(t, "POST", link, first, nil)
	if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "/thanks") {
		t.Fatalf("the rating and a comment: %d %v", status, hdr)
	}
	if n := count(t, h, `SELECT count(*) FROM responses WHERE NOT completed AND negative AND score_overall = 20
			AND score_distributive IS NULL AND score_procedural IS NULL AND score_interactional IS NULL`); n != 1 {
		t.Fatalf("partial responses stored scored: %d", n)
	}
	var complaintID int64
	var priority int
	if err := h.Schema.DB.QueryRow(`SELECT id, priority FROM complaints`).Scan(&complaintID, &priority); err != nil {
		t.Fatalf("the partial reply opened no complaint: %v", err)
	}
	if priority > 2 {
		t.Errorf("going public must give at least P2, got P%d", priority)
	}
	alerts := count(t, h, `SELECT count(*) FROM alerts`)
	acks := count(t, h, `SELECT count(*) FROM complaint_messages WHERE kind = 'acknowledgement'`)
	if alerts == 0 || acks != 1 {
		t.Fatalf("alerts %d, acknowledgements %d after the complaint opened", alerts, acks)
	}

	// The thank-you page offers the rest; the link shows what was given.
	_, page, _ = fetch(t, "GET", h.URL+hdr.Get("Location"), nil, nil)
	if !strings.Contains(page, "Someone from our team") || !strings.Contains(page, "Answer the other questions") {
		t.Errorf("thank-you page after a partial reply: %.600s", page)
	}
	status, page, _ = fetch(t, "GET", link, nil, nil)
	if status != 200 || !strings.Contains(page, `id="partial"`) || !strings.Contains(page, `name="overall" value="2" checked`) ||
		!strings.Contains(page, "I will post this on Facebook") {
		t.Fatalf("coming back: %d %.800s", status, page)
	}

	// The rest, the earlier answers sent again as the page holds them.
	rest := fullAnswers(2, 1)
	rest.Set("comment", first.Get("comment"))
	status, _, _ = fetch(t, "POST", link, rest, nil)
	if status != http.StatusSeeOther {
		t.Fatalf("completing: %d", status)
	}
	if n := count(t, h, `SELECT count(*) FROM responses WHERE completed AND updated_at IS NOT NULL AND score_procedural IS NOT NULL
			AND comment LIKE '%Facebook%'`); n != 1 {
		t.Errorf("completed responses: %d", n)
	}
	if n := count(t, h, `SELECT count(*) FROM complaints`); n != 1 {
		t.Errorf("%d complaints after completing, want the one", n)
	}
	if n := count(t, h, `SELECT count(*) FROM complaint_events WHERE complaint_id = $1 AND kind = 'reply_completed'
			AND (data->>'completed')::boolean`, complaintID); n != 1 {
		t.Errorf("reply_completed entries: %d", n)
	}
	if a, k := count(t, h, `SELECT count(*) FROM alerts`), count(t, h, `SELECT count(*) FROM complaint_messages WHERE kind = 'acknowledgement'`); a != alerts || k != acks {
		t.Errorf("completing sent alerts %d→%d, acknowledgements %d→%d", alerts, a, acks, k)
	}
	if n := count(t, h, `SELECT count(*) FROM responses`); n != 1 {
		t.Errorf("%d responses, want one", n)
	}

	// Complete now: the link shows the thank-you page and changes nothing.
	status, page, _ = fetch(t, "GET", link, nil, nil)
	if status != 200 || strings.Contains(page, "<form") || strings.Contains(page, "Answer the other questions") {
		t.Errorf("a completed reply's link: %d %.300s", status, page)
	}
	fetch(t, "POST", link, fullAnswers(10, 5), nil)
	if n := count(t, h, `SELECT count(*) FROM responses WHERE (answers->>'overall')::int = 2`); n != 1 {
		t.Errorf("a completed reply was changed")
	}
}

// TestPartialReplyAfterResolutionAndExpiry: a customer completing a reply
// whose complaint was resolved does not reopen it, the trail says so; once
// the link has expired, nothing changes.
func TestPartialReplyAfterResolutionAndExpiry(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	id, expires := sentInvitation(t, h, "p2", "fr")
	link := h.App.Links.Survey(id, expires)
	fetch(t, "POST", link, url.Values{"overall": {"1"}}, nil)
	if _, err := h.Schema.DB.Exec(`UPDATE complaints SET state = 'resolved', resolved_at = now()`); err != nil {
		t.Fatal(err)
	}
	more := url.Values{"quick": {"1"}}
	if status, _, _ := fetch(t, "POST", link, more, nil); status != http.StatusSeeOther {
		t.Fatalf("completing after resolution: %d", status)
	}
	if n := count(t, h, `SELECT count(*) FROM complaints WHERE state = 'resolved'`); n != 1 {
		t.Errorf("the resolved complaint was reopened or duplicated")
	}
	if n := count(t, h, `SELECT count(*) FROM complaint_events WHERE kind = 'reply_completed' AND (data->>'resolved')::boolean`); n != 1 {
		t.Errorf("the trail lacks the answers given after resolution: %d", n)
	}
	if n := count(t, h, `SELECT count(*) FROM responses WHERE (answers->>'quick')::int = 1 AND NOT completed`); n != 1 {
		t.Errorf("the new answer was not stored")
	}

	// The invitation's life is over: the reply can no longer change.
	if _, err := h.Schema.DB.Exec(`UPDATE invitations SET expires_at = now() - interval '1 minute'`); err != nil {
		t.Fatal(err)
	}
	status, page, _ := fetch(t, "GET", link, nil, nil)
	if status != 200 || strings.Contains(page, "<form") {
		t.Errorf("an expired link of a partial reply: %d %.300s", status, page)
	}
	fetch(t, "POST", link, url.Values{"courtesy": {"1"}}, nil)
	if n := count(t, h, `SELECT count(*) FROM responses WHERE answers ? 'courtesy'`); n != 0 {
		t.Errorf("an expired link changed the reply")
	}
}
