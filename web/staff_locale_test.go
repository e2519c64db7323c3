package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// TestStaffLocaleSwitch: the header's switch keeps the person's language
// and goes back to the page they were on (never off the site); a language
// the staff pages lack, or a form without its CSRF token, changes nothing.
// Without a choice, the pages follow the browser's Accept-Language.
func TestStaffLocaleSwitch(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	c, csrf := signedIn(t, h, users.CX)
	cx, _ := h.User(t, users.CX)
	post := func(form url.Values) (int, string, string) {
		t.Helper()
		resp, err := c.PostForm(h.URL+"/account/locale", form)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(b)
	}
	get := func(path, accept string) string {
		t.Helper()
		req, _ := http.NewRequest("GET", h.URL+path, nil)
		req.Header.Set("Accept-Language", accept)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	locale := func() string {
		u, err := h.App.Users.Get(context.Background(), cx.ID)
		if err != nil {
			t.Fatal(err)
		}
		return u.Locale
	}

	if page := get("/actions", "fr-CA,fr;q=0.9"); !strings.Contains(page, `<html lang="fr">`) || !strings.Contains(page, "Plans d&#39;action") {
		t.Error("without a choice, a French browser does not get French pages")
	}
	if page := get("/actions", "en-US"); !strings.Contains(page, `<html lang="en">`) || !strings.Contains(page, "Action plans") {
		t.Error("without a choice, an English browser does not get English pages")
	}
	if status, _, _ := post(url.Values{"locale": {"fr"}, "back": {"/actions"}}); status != http.StatusForbidden || locale() != "" {
		t.Errorf("without CSRF: %d, locale %q", status, locale())
	}
	if status, _, page := post(url.Values{"csrf": {csrf}, "locale": {"de"}, "back": {"/actions"}}); status != http.StatusBadRequest ||
		!strings.Contains(page, "English and French only") || locale() != "" {
		t.Errorf("German: %d, locale %q", status, locale())
	}
	if status, to, _ := post(url.Values{"csrf": {csrf}, "locale": {"fr"}, "back": {"//evil.example/actions"}}); status != http.StatusSeeOther || to != "/" || locale() != "fr" {
		t.Errorf("French: %d to %q, locale %q", status, to, locale())
	}
	if page := get("/actions", "en-US"); !strings.Contains(page, `<html lang="fr">`) {
		t.Error("the person's choice does not win over the browser's language")
	}
	if status, to, _ := post(url.Values{"csrf": {csrf}, "locale": {""}, "back": {"/actions?mine=1"}}); status != http.StatusSeeOther || to != "/actions?mine=1" || locale() != "" {
		t.Errorf("back to the browser's: %d to %q, locale %q", status, to, locale())
	}
}
