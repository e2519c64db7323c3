package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// act calls a complaint action as c and returns the status and the body.
func act(t *testing.T, c *http.Client, method, url string, body any) (int, map[string]any) {
	t.Helper()
	raw := "{}"
	if body != nil {
		b, _ := json.Marshal(body)
		raw = string(b)
	}
	return send(t, c, method, url, raw)
}

// TestComplaintActionsThroughTheAPI works two complaints the way an agent
// does, through the API: ownership (exactly one owner, reassignment
// recorded), notes, a reply held back by the reply check until confirmed,
// compensation, deviance and its strategy, resolve and reopen; the queue's
// filters and counts; every action in the audit trail with who did it.
func TestComplaintActionsThroughTheAPI(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true, Worker: true}, Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s"}})
	cx := h.API(t, users.CX)
	manager := h.API(t, users.Manager)
	mk, _ := h.User(t, users.Marketing)
	mgrUser, _ := h.User(t, users.Manager)

	submit(t, invite(t, h, customer{ref: "loud", locale: "en"}, 1), reply(1, 1, "Broken parcel and nobody answers. I will post this on Facebook."))
	submit(t, invite(t, h, customer{ref: "late", locale: "fr"}, 1), reply(2, 2, "", "delays"))
	byEmail := map[string]int64{}
	for _, c := range list(t, h, "") {
		byEmail[c.Email] = c.ID
	}
	loud, late := byEmail["loud@example.com"], byEmail["late@example.com"]
	if loud == 0 || late == 0 {
		t.Fatalf("complaints: %v", byEmail)
	}
	base := func(id int64) string { return fmt.Sprintf("%s/api/v1/complaints/%d", h.URL, id) }

	if got := emails(list(t, h, "?owner=unassigned")); len(got) != 2 {
		t.Errorf("unassigned: %v", got)
	}
	if got := list(t, h, "?signal=public"); len(got) != 1 || got[0].ID != loud {
		t.Errorf("signal=public: %v", emails(got))
	}
	if got := list(t, h, "?risk=temporal"); len(got) != 1 || got[0].ID != late {
		t.Errorf("risk=temporal: %v", emails(got))
	}
	for _, q := range []string{"?risk=weather", "?owner=someone", "?signal=happy"} {
		if status, body := send(t, cx, "GET", h.URL+"/api/v1/complaints"+q, ""); status != 400 || body["field"] == "" {
			t.Errorf("%s: %d %v", q, status, body)
		}
	}

	// Ownership: one owner at a time.
	if status, body := act(t, cx, "POST", base(loud)+"/take", nil); status != 200 || body["complaint"].(map[string]any)["owner_name"] != "Test cx" {
		t.Fatalf("take: %d %v", status, body)
	}
	if status, body := act(t, manager, "POST", base(loud)+"/take", nil); status != 409 || !strings.Contains(fmt.Sprint(body["error"]), "Test cx already owns") {
		t.Errorf("take someone else's: %d %v", status, body)
	}
	if status, _ := act(t, cx, "POST", base(loud)+"/take", nil); status != 200 {
		t.Errorf("taking one's own again: %d", status)
	}
	if got := list(t, h, "?owner=me"); len(got) != 1 || got[0].ID != loud {
		t.Errorf("mine: %v", emails(got))
	}
	if status, body := act(t, cx, "POST", base(loud)+"/assign", map[string]any{"owner_email": mk.Email}); status != 400 || body["field"] != "owner" {
		t.Errorf("assign to marketing: %d %v", status, body)
	}
	if status, body := act(t, cx, "POST", base(loud)+"/assign", map[string]any{"owner_email": "nobody@example.com"}); status != 400 || body["field"] != "owner_id" {
		t.Errorf("assign to nobody: %d %v", status, body)
	}
	if status, body := act(t, cx, "POST", base(loud)+"/assign", map[string]any{"owner_id": mgrUser.ID}); status != 200 {
		t.Errorf("reassign: %d %v", status, body)
	}

	// Notes, replies and the reply check.
	if status, body := act(t, cx, "POST", base(loud)+"/notes", map[string]any{"text": "  "}); status != 400 || body["field"] != "text" {
		t.Errorf("empty note: %d %v", status, body)
	}
	if status, _ := act(t, cx, "POST", base(loud)+"/notes", map[string]any{"text": "Called the courier: parcel crushed in the depot."}); status != 200 {
		t.Errorf("note: %d", status)
	}
	var draft struct {
		Locale   string              `json:"locale"`
		Body     string              `json:"body"`
		Steps    []string            `json:"steps"`
		Warnings []map[string]string `json:"warnings"`
	}
	if status := getJSON(t, cx, base(late)+"/reply-draft", &draft); status != 200 || draft.Locale != "fr" || len(draft.Steps) != 6 ||
		!strings.HasPrefix(draft.Body, "Bonjour Client late,") || len(draft.Warnings) == 0 {
		t.Fatalf("draft: %d %+v", status, draft)
	}
	status, body := act(t, cx, "POST", base(late)+"/replies", map[string]any{"body": draft.Body})
	if status != 422 || !strings.Contains(fmt.Sprint(body["warnings"]), "placeholder") {
		t.Fatalf("an unfilled draft: %d %v", status, body)
	}
	var replies int
	if err := h.Schema.DB.Get(&replies, `SELECT count(*) FROM complaint_messages WHERE kind = 'reply'`); err != nil {
		t.Fatal(err)
	}
	if replies != 0 {
		t.Fatalf("a held reply was queued")
	}
	// A reply in English to a customer who reads French is held back too.
	english := "We will refund the delivery fee by Friday. Sorry for the trouble."
	if status, body := act(t, cx, "POST", base(late)+"/replies", map[string]any{"body": english}); status != 422 ||
		!strings.Contains(fmt.Sprint(body["warnings"]), "in English but the customer reads French") {
		t.Fatalf("an English reply to a French customer: %d %v", status, body)
	}
	if status := getJSON(t, cx, base(late)+"/reply-draft?locale=en", &draft); status != 200 || draft.Locale != "en" ||
		!strings.Contains(fmt.Sprint(draft.Warnings), "language") {
		t.Errorf("the English draft for a French customer: %d %+v", status, draft.Warnings)
	}
	concrete := "Bonjour, nous vous remboursons les frais de livraison d'ici vendredi. Toutes nos excuses."
	if status, body := act(t, cx, "POST", base(late)+"/replies", map[string]any{"body": concrete, "subject": "Votre livraison"}); status != 200 {
		t.Fatalf("reply: %d %v", status, body)
	}
	mail := h.WaitMail(t, "late@example.com", "Votre livraison")
	if !strings.Contains(mail.Text(), "remboursons") || !strings.Contains(mail.Subject, fmt.Sprintf("#%d", late)) {
		t.Errorf("reply email: %s / %s", mail.Subject, mail.Text())
	}

	// Compensation, deviance: the complaint is the manager's now (an agent
	// acting on it would be refused).
	if status, body := act(t, manager, "POST", base(loud)+"/compensation", map[string]any{"amount": "lots"}); status != 400 || body["field"] != "amount" {
		t.Errorf("bad amount: %d %v", status, body)
	}
	if status, body := act(t, manager, "POST", base(loud)+"/compensation", map[string]any{"amount": "25.5", "note": "delivery fee"}); status != 200 ||
		body["complaint"].(map[string]any)["compensation_granted_cents"] != float64(2550) {
		t.Errorf("compensation: %d %v", status, body)
	}
	if status, body := act(t, manager, "PUT", base(loud)+"/deviance", map[string]any{"form": []string{"shouting"}}); status != 400 || body["field"] != "form" {
		t.Errorf("bad deviance: %d %v", status, body)
	}
	if status, _ := act(t, manager, "PUT", base(loud)+"/deviance", map[string]any{"form": []string{"pretension"}, "substance": "disproportion"}); status != 200 {
		t.Errorf("deviance: %d", status)
	}
	var detail struct {
		Strategy struct {
			Name string `json:"name"`
		} `json:"deviance_strategy"`
		Audit []struct {
			Kind  string `json:"kind"`
			Actor string `json:"actor"`
		} `json:"audit"`
	}
	getJSON(t, cx, base(loud), &detail)
	if detail.Strategy.Name == "" {
		t.Errorf("no strategy for a complaint with deviance")
	}

	// Resolve and reopen.
	if status, body := act(t, manager, "POST", base(loud)+"/resolve", map[string]any{"summary": "done"}); status != 400 || body["field"] != "summary" {
		t.Errorf("terse resolution: %d %v", status, body)
	}
	if status, _ := act(t, manager, "POST", base(loud)+"/resolve", map[string]any{"summary": "Refunded 25.50 and replaced the parcel."}); status != 200 {
		t.Errorf("resolve: %d", status)
	}
	if status, _ := act(t, manager, "POST", base(loud)+"/resolve", map[string]any{"summary": "Refunded 25.50 and replaced the parcel."}); status != 409 {
		t.Errorf("resolve twice: %d", status)
	}
	h.WaitMail(t, "loud@example.com", "here is what we did")
	if status, body := act(t, manager, "POST", base(loud)+"/reopen", map[string]any{"reason": ""}); status != 400 || body["field"] != "reason" {
		t.Errorf("reopen without reason: %d %v", status, body)
	}
	if status, body := act(t, manager, "POST", base(loud)+"/reopen", map[string]any{"reason": "The customer called: the new parcel is broken too."}); status != 200 ||
		body["complaint"].(map[string]any)["state"] != "in_progress" {
		t.Errorf("reopen: %d %v", status, body)
	}
	var withdrawn int
	if err := h.Schema.DB.Get(&withdrawn, `SELECT count(*) FROM invitations WHERE complaint_id = $1 AND state = 'suppressed' AND reason = 'complaint_reopened'`, loud); err != nil {
		t.Fatal(err)
	}
	if withdrawn != 1 {
		t.Errorf("the recovery survey of a reopened complaint was not withdrawn")
	}

	getJSON(t, cx, base(loud), &detail)
	var trail []string
	for _, e := range detail.Audit {
		trail = append(trail, e.Kind+" by "+e.Actor)
	}
	want := []string{"opened by system", "taken by cx@test.example", "reassigned by cx@test.example", "note by cx@test.example",
		"compensation by manager@test.example", "deviance by manager@test.example", "resolved by manager@test.example", "reopened by manager@test.example"}
	var got []string
	for _, e := range trail {
		if !strings.HasPrefix(e, "acknowledg") && !strings.HasSuffix(strings.SplitN(e, " by", 2)[0], "_sent") {
			got = append(got, e)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("audit trail:\n got %q\nwant %q", got, want)
	}
	// Replying to an unowned complaint made the agent its owner: on the record.
	getJSON(t, cx, base(late), &detail)
	trail = nil
	for _, e := range detail.Audit {
		if e.Kind == "taken" || e.Kind == "reply" {
			trail = append(trail, e.Kind+" by "+e.Actor)
		}
	}
	if want := []string{"taken by cx@test.example", "reply by cx@test.example"}; !slices.Equal(trail, want) {
		t.Errorf("ownership by acting:\n got %q\nwant %q", trail, want)
	}

	var counts struct {
		Counts map[string]int `json:"counts"`
	}
	getJSON(t, manager, h.URL+"/api/v1/complaints", &counts)
	if counts.Counts["open"] != 2 || counts.Counts["mine"] != 1 || counts.Counts["unassigned"] != 0 {
		t.Errorf("counts as the manager: %v", counts.Counts)
	}

	// The customer complains again: the new complaint's history shows the
	// first one with the compensation granted.
	submit(t, invite(t, h, customer{ref: "loud", locale: "en"}, 2), reply(1, 1, "Broken again."))
	var second int64
	for _, c := range list(t, h, "") {
		if c.Email == "loud@example.com" && c.ID != loud {
			second = c.ID
		}
	}
	var hist struct {
		History struct {
			Complaints []struct {
				ID           int64 `json:"id"`
				Compensation int64 `json:"compensation_granted_cents"`
			} `json:"complaints"`
		} `json:"history"`
	}
	getJSON(t, cx, base(second), &hist)
	if len(hist.History.Complaints) != 1 || hist.History.Complaints[0].ID != loud || hist.History.Complaints[0].Compensation != 2550 {
		t.Errorf("history of the second complaint: %+v", hist.History.Complaints)
	}
}
