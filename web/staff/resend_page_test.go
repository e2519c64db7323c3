package staff_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/campaignfix"
	"github.com/followup/followup/users"
)

// TestResendFailedFromTheCampaignPage: the campaign page offers admins, and
// only them, to resend the emails given up after temporary failures; the
// button puts them back and says so.
func TestResendFailedFromTheCampaignPage(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}}) // sessions live on the real clock
	fx := campaignfix.Build(t, h.Schema.DB, time.Now())                   // one invitation failed temporarily
	page := fmt.Sprintf("%s/marketing/campaigns/%d", h.URL, fx.CampaignID)
	get := func(c *http.Client, u string) string {
		t.Helper()
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", u, resp.StatusCode)
		}
		return string(b)
	}
	mk, _ := signedIn(t, h, users.Marketing)
	if body := get(mk, page); strings.Contains(body, `id="resend-failed"`) {
		t.Error("marketing is offered the admins' resend")
	}
	admin, csrf := signedIn(t, h, users.Admin)
	if body := get(admin, page); !strings.Contains(body, `id="resend-failed"`) {
		t.Fatal("no resend button for the admin, with an email failed temporarily")
	}
	resp, err := admin.PostForm(page+"/resend-failed", url.Values{"csrf": {csrf}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasSuffix(loc, "?resent=1") {
		t.Fatalf("resend: %d to %q, want a redirect saying 1 resent", resp.StatusCode, loc)
	}
	body := get(admin, h.URL+loc)
	if !strings.Contains(body, "1 emails given up after temporary failures are due again") || strings.Contains(body, `id="resend-failed"`) {
		t.Errorf("after the resend the page should say so and offer nothing more")
	}
}
