package app_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// TestAdminsAssignUnmatchedMail: a reply whose address names a complaint
// that does not exist waits in the unmatched list, read by admins only
// (API and page); an admin puts it on the complaint it belongs to, from
// the page, after a typo is refused next to the field; it then joins that
// complaint's conversation and leaves the list.
func TestAdminsAssignUnmatchedMail(t *testing.T) {
	t.Parallel()
	// The real clock: a session cookie from a fake past would have expired.
	h := apptest.Start(t, apptest.Options{Env: map[string]string{"FOLLOWUP_INBOUND_DOMAIN": inboundDomain, "FOLLOWUP_ACK_DELAY": "0s"}})
	seedCampaign(t, h)
	id, email := unhappy(t, h, "lost", "The parcel came a week late.", 3, 2)
	addrs, _ := inbound.NewAddresser(inboundDomain, []byte(h.App.Cfg.Secret))
	gone := addrs.Address(inbound.KindComplaint, 987654)
	deliver(t, h, email, gone, fmt.Sprintf("From: <%s>\nTo: <%s>\nSubject: About my old order\nMessage-ID: <lost-1@example.com>\n\nStill waiting for the refund.\n", email, gone))
	eventually(t, "the message unmatched", func() bool { state, _, _ := inboundState(t, h, gone); return state == inbound.StateUnmatched })
	var mid int64
	if err := h.Schema.DB.Get(&mid, `SELECT id FROM inbound_messages WHERE rcpt_to = $1`, gone); err != nil {
		t.Fatal(err)
	}

	status, list := getJSON(t, h.API(t, users.Admin), h.URL+"/api/v1/inbound/unmatched")
	if status != http.StatusOK || !strings.Contains(list, "Still waiting for the refund.") {
		t.Errorf("admin's list: %d %.300s", status, list)
	}
	if status, _ := getJSON(t, h.API(t, users.CX), h.URL+"/api/v1/inbound/unmatched"); status != http.StatusForbidden {
		t.Errorf("cx reads the unmatched mail: %d, want 403", status)
	}

	admin := signIn(t, h, users.Admin)
	status, page := fetch(t, admin, h.URL+"/admin/inbound")
	if status != http.StatusOK || !strings.Contains(page, "About my old order") {
		t.Fatalf("the page: %d %.300s", status, page)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token in the assignment form")
	}
	csrf := m[1]
	assign := func(typed string) (int, string) {
		resp, err := admin.PostForm(fmt.Sprintf("%s/admin/inbound/%d/assign", h.URL, mid), url.Values{"csrf": {csrf}, "complaint": {typed}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, page := assign("forty-two"); status != http.StatusUnprocessableEntity || !strings.Contains(page, "type the number of the complaint") ||
		!strings.Contains(page, `value="forty-two"`) {
		t.Errorf("a typo: %d, want 422 with the problem and what was typed: %.500s", status, page)
	}
	if status, page := assign("999999"); status != http.StatusUnprocessableEntity || !strings.Contains(page, "there is no complaint #999999") {
		t.Errorf("an unknown complaint: %d %.300s", status, page)
	}
	if status, _ := assign(fmt.Sprintf("#%d", id)); status != http.StatusSeeOther {
		t.Fatalf("assign: %d, want 303", status)
	}
	if n := countOf(t, h, `SELECT count(*) FROM complaint_messages WHERE complaint_id = $1 AND direction = 'in' AND body = 'Still waiting for the refund.'`, id); n != 1 {
		t.Errorf("%d messages on the complaint, want the assigned one", n)
	}
	if status, page := fetch(t, admin, h.URL+"/admin/inbound"); status != http.StatusOK || strings.Contains(page, "About my old order") {
		t.Errorf("the assigned message is still listed: %d", status)
	}
	status, body := postJSON(t, h.API(t, users.Admin), fmt.Sprintf("%s/api/v1/inbound/%d/assign", h.URL, mid), map[string]any{"complaint_id": id})
	if status != http.StatusConflict {
		t.Errorf("assigning it again: %d %v, want 409", status, body)
	}
}

// signIn returns a browser-like client signed in as a new person of role.
func signIn(t *testing.T, h *apptest.Harness, role users.Role) *http.Client {
	t.Helper()
	u, _ := h.User(t, role)
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(h.URL+"/login", url.Values{"email": {u.Email}, "password": {apptest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", role, resp.StatusCode)
	}
	return c
}

func fetch(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
