package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// TestAgentToldOfCompensationDecision: the agent who asked a manager for
// compensation is emailed the decision and its reason, approved or
// refused, even when the team's alerts go to a shared address; the
// customer is emailed an approved grant only, never a refused request.
func TestAgentToldOfCompensationDecision(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true, Worker: true},
		Env: map[string]string{"FOLLOWUP_ACK_DELAY": "0s", "FOLLOWUP_ALERT_EMAILS": "team@example.com"}})
	agent, _ := h.User(t, users.CX)
	owner := h.API(t, users.CX)
	manager := h.API(t, users.Manager)
	submit(t, invite(t, h, customer{ref: "dec", locale: "en"}, 1), reply(1, 1, "The parcel arrived crushed."))
	id := list(t, h, "")[0].ID
	base := fmt.Sprintf("%s/api/v1/complaints/%d", h.URL, id)
	if status, body := act(t, owner, "POST", base+"/take", nil); status != 200 {
		t.Fatalf("take: %d %v", status, body)
	}
	ask := func(amount string) string {
		t.Helper()
		status, body := act(t, owner, "POST", base+"/compensation", map[string]any{"amount": amount})
		comp, _ := body["compensation"].(map[string]any)
		if status != 200 || comp["pending"] != true {
			t.Fatalf("ask %s: %d %v", amount, status, body)
		}
		return fmt.Sprintf("%s/api/v1/compensation/%d", h.URL, int64(comp["grant_id"].(float64)))
	}
	messages := func() int {
		var n int
		if err := h.Schema.DB.Get(&n, `SELECT count(*) FROM complaint_messages WHERE complaint_id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return n
	}

	if status, body := act(t, manager, "POST", ask("400")+"/approve", map[string]any{"reason": "Second failure for this customer."}); status != 200 {
		t.Fatalf("approve: %d %v", status, body)
	}
	ok := h.WaitMail(t, agent.Email, fmt.Sprintf("Compensation approved on #%d", id))
	if txt := ok.Text(); !strings.Contains(txt, "approved the compensation of 400.00 EUR you asked for") ||
		!strings.Contains(txt, "“Second failure for this customer.”") || !strings.Contains(txt, fmt.Sprintf("/cx/complaints/%d", id)) {
		t.Errorf("the agent's email on approval:\n%s", txt)
	}
	h.WaitMail(t, "dec@example.com", "Your compensation")
	before := messages()

	if status, body := act(t, manager, "POST", ask("300")+"/refuse", map[string]any{"reason": "Too much for one parcel."}); status != 200 {
		t.Fatalf("refuse: %d %v", status, body)
	}
	no := h.WaitMail(t, agent.Email, fmt.Sprintf("Compensation refused on #%d", id))
	if txt := no.Text(); !strings.Contains(txt, "refused the compensation of 300.00 EUR you asked for") ||
		!strings.Contains(txt, "“Too much for one parcel.”") || !strings.Contains(txt, "the customer is not told") {
		t.Errorf("the agent's email on refusal:\n%s", txt)
	}
	if after := messages(); after != before {
		t.Errorf("a refused request queued %d email(s) to the customer", after-before)
	}
	n := 0
	for _, m := range h.Capture.Messages() {
		for _, to := range m.To {
			if strings.Contains(to, "team@example.com") {
				if p, err := m.Parsed(); err == nil && strings.Contains(p.Subject, "Compensation") {
					n++
				}
			}
		}
	}
	if n != 0 {
		t.Errorf("the shared alert address got %d decision(s) meant for the agent", n)
	}
}
