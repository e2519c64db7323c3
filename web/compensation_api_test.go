package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// otherUser creates a second person of role (the harness makes one per
// role) and returns an API client acting as them.
func otherUser(t *testing.T, h *apptest.Harness, role users.Role, name string) *http.Client {
	t.Helper()
	ctx := context.Background()
	u, err := h.App.Users.Create(ctx, users.NewUser{Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@test.example",
		Name: name, Role: role, Team: "team-a", Password: apptest.Password})
	if err != nil {
		t.Fatal(err)
	}
	_, secret, err := h.App.Users.NewToken(ctx, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return h.APIToken(t, secret)
}

// TestCompensationGovernanceThroughTheAPI: only the owner or a manager acts
// on a complaint (others are refused with why, notes excepted); a grant
// above the advice or the agent's limit waits for a manager, who approves
// or refuses it with a reason; the customer is emailed an approved grant
// in their currency; amounts in another currency are refused.
func TestCompensationGovernanceThroughTheAPI(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true, Worker: true}, Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s"}})
	owner := h.API(t, users.CX)
	manager := h.API(t, users.Manager)
	other := otherUser(t, h, users.CX, "Other Agent")
	secondManager := otherUser(t, h, users.Manager, "Second Manager")

	submit(t, invite(t, h, customer{ref: "gov", locale: "fr"}, 1), reply(1, 1, "Colis cassé, personne ne répond."))
	cs := list(t, h, "")
	if len(cs) != 1 {
		t.Fatalf("complaints: %v", emails(cs))
	}
	base := fmt.Sprintf("%s/api/v1/complaints/%d", h.URL, cs[0].ID)
	if status, body := act(t, owner, "POST", base+"/take", nil); status != 200 {
		t.Fatalf("take: %d %v", status, body)
	}

	// Someone else's complaint: refused with why, except notes.
	for _, a := range []struct {
		path string
		body any
	}{
		{"/replies", map[string]any{"subject": "Hello", "body": "We refund you by Friday.", "confirm": true}},
		{"/compensation", map[string]any{"amount": "10"}},
		{"/resolve", map[string]any{"summary": "Refunded the parcel in full."}},
		{"/deviance", map[string]any{"form": []string{"threat"}}},
		{"/assign", map[string]any{"owner_email": "other.agent@test.example"}},
	} {
		method := "POST"
		if a.path == "/deviance" {
			method = "PUT"
		}
		status, body := act(t, other, method, base+a.path, a.body)
		if status != http.StatusForbidden || !strings.Contains(fmt.Sprint(body["error"]), "Test cx owns this complaint") {
			t.Errorf("%s by a non-owner: %d %v", a.path, status, body)
		}
	}
	if status, body := act(t, other, "POST", base+"/notes", map[string]any{"text": "I know this customer."}); status != 200 {
		t.Errorf("a note by a non-owner: %d %v", status, body)
	}

	// Within the advice and the limit: granted at once, in the customer's currency.
	status, body := act(t, owner, "POST", base+"/compensation", map[string]any{"amount": "10", "note": "bon d'achat"})
	if comp, _ := body["compensation"].(map[string]any); status != 200 || comp["pending"] != false || comp["currency"] != "EUR" || comp["total_cents"] != 1000.0 {
		t.Fatalf("small grant: %d %v", status, body)
	}
	if status, body := act(t, owner, "POST", base+"/compensation", map[string]any{"amount": "10", "currency": "CAD"}); status != 400 || body["field"] != "currency" {
		t.Errorf("another currency: %d %v", status, body)
	}

	// 9,999.00: waits for a manager, not recorded.
	status, body = act(t, owner, "POST", base+"/compensation", map[string]any{"amount": "9999", "note": "geste"})
	comp, _ := body["compensation"].(map[string]any)
	why := fmt.Sprint(comp["why"])
	if status != 200 || comp["pending"] != true || !strings.Contains(why, "above the cx limit of 150.00 EUR") || !strings.Contains(why, "advised range") {
		t.Fatalf("big grant: %d %v", status, body)
	}
	if got := body["complaint"].(map[string]any)["compensation_granted_cents"]; got != 1000.0 {
		t.Errorf("granted while pending: %v", got)
	}
	grant := int64(comp["grant_id"].(float64))
	grantURL := fmt.Sprintf("%s/api/v1/compensation/%d", h.URL, grant)

	// Only managers see the queue and decide.
	if status, _ := send(t, owner, "GET", h.URL+"/api/v1/compensation/pending", ""); status != http.StatusForbidden {
		t.Errorf("queue as cx: %d", status)
	}
	status, body = send(t, manager, "GET", h.URL+"/api/v1/compensation/pending", "")
	if pending, _ := body["pending"].([]any); status != 200 || len(pending) != 1 || pending[0].(map[string]any)["requested_by"] != "Test cx" {
		t.Fatalf("queue: %d %v", status, body)
	}
	if status, body := act(t, manager, "POST", grantURL+"/approve", map[string]any{"reason": ""}); status != 400 || body["field"] != "reason" {
		t.Errorf("approve without a reason: %d %v", status, body)
	}
	status, body = act(t, manager, "POST", grantURL+"/approve", map[string]any{"reason": "Client fidèle, colis de valeur."})
	if status != 200 || body["message_id"] == 0.0 {
		t.Fatalf("approve: %d %v", status, body)
	}
	if status, body := act(t, secondManager, "POST", grantURL+"/refuse", map[string]any{"reason": "too late"}); status != http.StatusConflict {
		t.Errorf("deciding twice: %d %v", status, body)
	}
	mail := h.WaitMail(t, "gov@example.com", "Votre dédommagement")
	if !strings.Contains(mail.Text(), "9\u00a0999,00 EUR") {
		t.Errorf("customer email: %s", mail.Text())
	}

	// A manager's own request above their limit is decided by another one.
	status, body = act(t, manager, "POST", base+"/compensation", map[string]any{"amount": "2000"})
	comp, _ = body["compensation"].(map[string]any)
	if status != 200 || comp["pending"] != true {
		t.Fatalf("manager above limit: %d %v", status, body)
	}
	grantURL = fmt.Sprintf("%s/api/v1/compensation/%d", h.URL, int64(comp["grant_id"].(float64)))
	if status, body := act(t, manager, "POST", grantURL+"/approve", map[string]any{"reason": "mine"}); status != http.StatusForbidden {
		t.Errorf("approving one's own: %d %v", status, body)
	}
	if status, body := act(t, secondManager, "POST", grantURL+"/refuse", map[string]any{"reason": "Hors politique."}); status != 200 {
		t.Errorf("refuse: %d %v", status, body)
	}
	status, body = send(t, owner, "GET", base+"/compensation", "")
	grants, _ := body["grants"].([]any)
	var states []string
	for _, g := range grants {
		states = append(states, fmt.Sprint(g.(map[string]any)["state"]))
	}
	if status != 200 || strings.Join(states, ",") != "refused,approved,granted" {
		t.Errorf("grants: %d %v", status, states)
	}
	// Granted against advised, per team and agent.
	status, body = send(t, manager, "GET", h.URL+"/api/v1/compensation/report", "")
	rows, _ := body["rows"].([]any)
	var report []string
	for _, r := range rows {
		m := r.(map[string]any)
		report = append(report, fmt.Sprintf("%v|%v|%v granted %v advised %v above %v refused %v", m["team"], m["agent"], m["currency"],
			m["granted_cents"], m["advised_cents"], m["above_advice"], m["refused"]))
	}
	if want := []string{"|Test cx|EUR granted 1.0009e+06 advised 2500 above 1 refused 0", "|Test manager|EUR granted 0 advised 2500 above 0 refused 1",
		"||EUR granted 1.0009e+06 advised 5000 above 1 refused 1"}; status != 200 || strings.Join(report, "\n") != strings.Join(want, "\n") {
		t.Errorf("report: %d\n%s", status, strings.Join(report, "\n"))
	}
	if status, _ := send(t, owner, "GET", h.URL+"/api/v1/compensation/report", ""); status != http.StatusForbidden {
		t.Errorf("report as cx: %d", status)
	}

	status, body = send(t, owner, "GET", base, "")
	if status != 200 || body["compensation_granted_cents"] != 1000.0+999900.0 {
		t.Errorf("granted in all: %d %v", status, body)
	}
}
