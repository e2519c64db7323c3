package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/campaignfix"
	"github.com/followup/followup/users"
)

// TestResendFailedAPI: an admin puts back the emails given up after
// temporary failures; marketing may not; an archived campaign resends
// nothing.
func TestResendFailedAPI(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}, Clock: clock.NewFake(now)})
	fx := campaignfix.Build(t, h.Schema.DB, now) // one invitation failed temporarily, two bounced
	url := fmt.Sprintf("%s/api/v1/campaigns/%d/resend-failed", h.URL, fx.CampaignID)
	post := func(c *http.Client, url string) (int, map[string]any) {
		t.Helper()
		resp, err := c.Post(url, "application/json", nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp.StatusCode, body
	}
	if status, _ := post(h.API(t, users.Marketing), url); status != http.StatusForbidden {
		t.Errorf("marketing: %d, want 403", status)
	}
	admin := h.API(t, users.Admin)
	status, body := post(admin, url)
	if status != http.StatusOK || body["invitations"] != 1.0 || body["reminders"] != 0.0 {
		t.Fatalf("resend: %d %v, want 200 and 1 invitation", status, body)
	}
	var state, reason string
	if err := h.Schema.DB.QueryRow(`SELECT i.state, i.reason FROM invitations i JOIN customers c ON c.id = i.customer_id
		WHERE c.email = 'f3@example.test'`).Scan(&state, &reason); err != nil {
		t.Fatal(err)
	}
	if state != "scheduled" || reason != "" {
		t.Errorf("the failed invitation: %s (%s), want scheduled", state, reason)
	}
	var bounced int
	if err := h.Schema.DB.Get(&bounced, `SELECT count(*) FROM invitations WHERE state = 'failed'`); err != nil || bounced != 2 {
		t.Errorf("%d invitations still failed (%v), want the 2 bounced", bounced, err)
	}
	if status, body := post(admin, url); status != http.StatusOK || body["invitations"] != 0.0 {
		t.Errorf("again: %d %v, want nothing more", status, body)
	}
	if status, _ := post(admin, fmt.Sprintf("%s/api/v1/campaigns/%d/resend-failed", h.URL, fx.CampaignID+1000)); status != http.StatusNotFound {
		t.Errorf("unknown campaign: %d, want 404", status)
	}
	if status, body := post(admin, fmt.Sprintf("%s/api/v1/campaigns/%d/archive", h.URL, fx.CampaignID)); status != http.StatusOK {
		t.Fatalf("archive: %d %v", status, body)
	}
	if status, body := post(admin, url); status != http.StatusConflict || body["field"] != "state" {
		t.Errorf("archived: %d %v, want 409 on state", status, body)
	}
}
