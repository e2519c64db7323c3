package web_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/users"
)

// TestDuplicateTheBuiltInQuestionnaire: on a fresh start the built-in
// questionnaire is there; marketing copies it from the editor (a form
// filled with its questions, saved under a slug of its own) and through
// the API, edits the copy, and the original does not change.
func TestDuplicateTheBuiltInQuestionnaire(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	ctx := context.Background()
	orig, err := h.App.Surveys.Latest(ctx, surveys.DefaultSlug)
	if err != nil {
		t.Fatalf("a fresh start has no built-in questionnaire: %v", err)
	}
	c, csrf := signedIn(t, h, users.Marketing)
	get := func(link string) (int, string) {
		t.Helper()
		resp, err := c.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, html.UnescapeString(string(b))
	}
	status, page := get(h.URL + "/marketing/surveys/" + surveys.DefaultSlug)
	dup := "/marketing/surveys/" + surveys.DefaultSlug + "/duplicate"
	if status != 200 || !strings.Contains(page, `href="`+dup) {
		t.Fatalf("the editor offers no copy: %d", status)
	}
	status, page = get(h.URL + dup)
	if status != 200 || !strings.Contains(page, `value="`+surveys.DefaultSlug+`-copy"`) || !strings.Contains(page, "not saved yet") ||
		!strings.Contains(page, `value="`+orig.Questions[1].Text["fr"]+`"`) {
		t.Fatalf("copy form: %d %.1500s", status, page)
	}
	if n := rows(t, h, "surveys"); n != 2 {
		t.Fatalf("opening the copy form stored a survey: %d surveys", n)
	}

	// The form as the browser sends it back, under a new slug, one
	// question reworded.
	form := url.Values{"csrf": {csrf}, "slug": {"after-delivery"}, "name": {"After a delivery"}, "acknowledge_mild": {"1"},
		"rows": {strconv.Itoa(len(orig.Questions))}, "action": {"save"}}
	for _, d := range []string{"overall", "distributive", "procedural", "interactional"} {
		form.Set("threshold_"+d, "50")
	}
	for i, q := range orig.Questions {
		p := "q" + strconv.Itoa(i) + "_"
		form.Set(p+"key", q.Key)
		form.Set(p+"kind", string(q.Kind))
		form.Set(p+"dimension", string(q.Dimension))
		form.Set(p+"text_en", q.Text["en"])
		form.Set(p+"text_fr", q.Text["fr"])
		if q.Reverse {
			form.Set(p+"reverse", "1")
		}
		if q.Required {
			form.Set(p+"required", "1")
		}
		var opts []string
		for _, o := range q.Options {
			opts = append(opts, strings.Join([]string{o.Key, o.Risk, o.Label["en"], o.Label["fr"]}, " | "))
		}
		form.Set(p+"options", strings.Join(opts, "\n"))
	}
	form.Set("q1_text_en", "The delivery outcome was fair.")
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.PostForm(h.URL+"/marketing/surveys/new", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/marketing/surveys/after-delivery?saved=1" {
		t.Fatalf("save the copy: %d %v", resp.StatusCode, resp.Header)
	}
	cp, err := h.App.Surveys.Latest(ctx, "after-delivery")
	if err != nil || len(cp.Questions) != len(orig.Questions) || cp.Questions[1].Text["en"] != "The delivery outcome was fair." ||
		cp.Questions[12].Options[13].Risk != orig.Questions[12].Options[13].Risk {
		t.Fatalf("the copy: %+v %v", cp, err)
	}
	if again, _ := h.App.Surveys.Latest(ctx, surveys.DefaultSlug); again.Version != orig.Version || again.Questions[1].Text["en"] != orig.Questions[1].Text["en"] {
		t.Errorf("the original changed: %+v", again)
	}

	// The API copies in one call.
	mkt := h.API(t, users.Marketing)
	api := h.URL + "/api/v1/surveys/" + surveys.DefaultSlug + "/duplicate"
	status, body := send(t, mkt, "POST", api, `{"slug":"after-repair"}`)
	sv, _ := body["survey"].(map[string]any)
	if status != http.StatusCreated || sv["name"] != orig.Name+" (copy)" || version(body) != 1 {
		t.Fatalf("API copy: %d %v", status, body)
	}
	if status, body := send(t, mkt, "POST", api, `{"slug":"after-repair"}`); status != http.StatusConflict || body["field"] != "slug" {
		t.Errorf("same slug again: %d %v", status, body)
	}
	if status, body := send(t, mkt, "POST", h.URL+"/api/v1/surveys/nope/duplicate", `{"slug":"x"}`); status != http.StatusNotFound {
		t.Errorf("copy of an unknown survey: %d %v", status, body)
	}
	if status, _ := send(t, h.API(t, users.CX), "POST", api, `{"slug":"by-cx"}`); status != http.StatusForbidden {
		t.Errorf("CX copied a survey: %d", status)
	}
}
