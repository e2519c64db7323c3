package web_test

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// TestRecoveryWindowPage: the recovery campaign's edit page is its send
// window; a window with no hour is refused and shown again as typed; a
// good one is saved, the rest of the campaign left as followup set it.
func TestRecoveryWindowPage(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	var id int64
	if err := h.Schema.DB.Get(&id, `SELECT id FROM campaigns WHERE trigger_kind = 'recovery'`); err != nil {
		t.Fatal(err)
	}
	c, csrf := signedIn(t, h, users.Marketing)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	edit := fmt.Sprintf("%s/marketing/campaigns/%d/edit", h.URL, id)
	do := func(form url.Values) (int, string, string) {
		t.Helper()
		var resp *http.Response
		var err error
		if form == nil {
			resp, err = c.Get(edit)
		} else {
			form.Set("csrf", csrf)
			resp, err = c.PostForm(edit, form)
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, html.UnescapeString(string(b)), resp.Header.Get("Location")
	}
	status, page, _ := do(nil)
	if status != 200 || !strings.Contains(page, "Send window of “Recovery check after a complaint”") || !strings.Contains(page, `id="f-start_hour"`) ||
		strings.Contains(page, `id="f-event_kinds"`) {
		t.Fatalf("edit page of the recovery campaign: %d %.1000s", status, page)
	}
	status, page, _ = do(url.Values{"start_hour": {"20"}, "end_hour": {"8"}, "weekdays": {"1"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "Send window: ") || !strings.Contains(page, `value="20"`) {
		t.Fatalf("a window with no hour: %d %.1500s", status, page)
	}
	status, _, to := do(url.Values{"start_hour": {"8"}, "end_hour": {"20"}, "weekdays": {"1", "2", "3", "4", "5"}})
	if status != http.StatusSeeOther || !strings.HasSuffix(to, "?flash=saved") {
		t.Fatalf("save: %d %q", status, to)
	}
	var got string
	if err := h.Schema.DB.Get(&got, `SELECT format('%s %s-%s %s cap %s', trigger_kind, window_start_hour, window_end_hour, window_weekdays, frequency_cap_days)
		FROM campaigns WHERE id = $1`, id); err != nil || got != "recovery 8-20 {1,2,3,4,5} cap 0" {
		t.Errorf("stored: %q %v", got, err)
	}
}
