package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
)

const shortSurvey = `{"slug":"after-repair","name":"After a repair","thresholds":{"procedural":60},
 "questions":[
  {"key":"overall","kind":"rating10","dimension":"overall","required":true,"text":{"en":"Overall?","fr":"Dans l'ensemble ?"}},
  {"key":"fair","kind":"likert5","dimension":"distributive","required":true,"text":{"en":"It was fair.","fr":"C'était juste."}},
  {"key":"fast","kind":"likert5","dimension":"procedural","required":true,"text":{"en":"It was fast.","fr":"C'était rapide."}},
  {"key":"kind","kind":"likert5","dimension":"interactional","text":{"en":"They were kind.","fr":"Ils étaient aimables."}},
  {"key":"comment","kind":"text","dimension":"none","text":{"en":"Anything else?","fr":"Autre chose ?"}}]}`

func version(body map[string]any) float64 {
	sv, _ := body["survey"].(map[string]any)
	v, _ := sv["version"].(float64)
	return v
}

// edit replaces old by new in the survey definition.
func edit(def, old, new string) string { return strings.Replace(def, old, new, 1) }

// answerSurvey sends the survey with slug to a new customer through a
// campaign and answers it through the page.
func answerSurvey(t *testing.T, h *apptest.Harness, slug, ref string, form url.Values) string {
	t.Helper()
	ctx := context.Background()
	sv, err := h.App.Surveys.Latest(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	name := "camp-" + slug
	if _, err := h.App.Scheduler.ByName(ctx, name); err != nil {
		if _, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{Name: name, SurveyID: sv.ID, State: scheduler.StateActive, EventKinds: []string{"repair"}, Window: scheduler.AlwaysOpen()}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.App.Intake.Record(ctx, customers.EventInput{ExternalID: "e-" + ref, Kind: "repair", OccurredAt: time.Now().Add(-time.Hour),
		Customer: customers.CustomerInput{ExternalRef: ref, Email: ref + "@example.com", Locale: "en"}}); err != nil {
		t.Fatal(err)
	}
	id, expires := sendDue(t, h)
	link := h.App.Links.Survey(id, expires)
	if form != nil {
		submit(t, link, form)
	}
	return link
}

// TestSurveyAPIVersionsQuestions: marketing creates and edits a survey; a
// changed question makes a new version; an answered question cannot change
// meaning; bad definitions are refused with the field at fault.
func TestSurveyAPIVersionsQuestions(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	api := h.URL + "/api/v1/surveys"
	mkt := h.API(t, users.Marketing)

	for _, tc := range []struct{ name, body, field, says string }{
		{"missing French", edit(shortSurvey, `"fr":"C'était juste."`, `"de":"Fair"`), "questions[1].text.fr", "en and fr"},
		{"unknown risk", edit(shortSurvey, `{"key":"comment"`, `{"key":"what","kind":"single","options":[{"key":"a","risk":"boredom","label":{"en":"A","fr":"A"}},{"key":"b","label":{"en":"B","fr":"B"}}],"text":{"en":"What?","fr":"Quoi ?"}},{"key":"comment"`), "questions[4].options[0].risk", "13 risks"},
		{"threshold out of range", edit(shortSurvey, `"procedural":60`, `"procedural":160`), "thresholds.procedural", "between 0 and 100"},
		{"unknown field", edit(shortSurvey, `"name"`, `"colour":"red","name"`), "colour", "unknown field"},
		{"bad slug", edit(shortSurvey, `after-repair`, `After Repair`), "slug", "lower-case"},
	} {
		status, body := send(t, mkt, "POST", api, tc.body)
		if status != http.StatusBadRequest || body["field"] != tc.field || !strings.Contains(fmt.Sprint(body["error"]), tc.says) {
			t.Errorf("%s: %d %v; want 400 on %s saying %q", tc.name, status, body, tc.field, tc.says)
		}
	}
	if n := rows(t, h, "surveys") - 2; n != 0 { // the built-in questionnaire and the recovery survey are followup's own
		t.Fatalf("refused definitions stored %d surveys", n)
	}
	// Every wrong field in one answer, on create and on update.
	fiveWrong := edit(edit(edit(edit(edit(shortSurvey,
		`"name":"After a repair"`, `"name":""`),
		`"procedural":60`, `"procedural":160`),
		`{"key":"fair"`, `{"key":"overall"`),
		`"fr":"C'était rapide."`, `"fr":""`),
		`{"key":"kind","kind":"likert5"`, `{"key":"kind","kind":"slider"`)
	fiveFields := []string{"name", "thresholds.procedural", "questions[1].key", "questions[2].text.fr", "questions[3].kind"}
	everyField := func(method, url string) {
		t.Helper()
		status, body := send(t, mkt, method, url, fiveWrong)
		list, _ := body["errors"].([]any)
		var got []string
		for _, e := range list {
			m, _ := e.(map[string]any)
			if s, _ := m["message"].(string); s == "" {
				t.Errorf("%s: %v has no message", method, m)
			}
			got = append(got, fmt.Sprint(m["field"]))
		}
		if status != http.StatusBadRequest || fmt.Sprint(got) != fmt.Sprint(fiveFields) || body["field"] != "name" ||
			body["error"] != "name is required (at most 200 characters)" {
			t.Errorf("%s with five wrong fields: %d %v, want 400 listing %v", method, status, body, fiveFields)
		}
	}
	everyField("POST", api)

	status, body := send(t, mkt, "POST", api, shortSurvey)
	if status != http.StatusCreated || version(body) != 1 {
		t.Fatalf("create: %d %v", status, body)
	}
	if status, body := send(t, mkt, "POST", api, shortSurvey); status != http.StatusConflict || body["field"] != "slug" {
		t.Errorf("same slug again: %d %v", status, body)
	}
	// The name alone changes in place.
	status, body = send(t, mkt, "PUT", api+"/after-repair", edit(shortSurvey, "After a repair", "After a home repair"))
	if status != http.StatusOK || body["new_version"] != false || version(body) != 1 {
		t.Errorf("rename: %d %v", status, body)
	}
	everyField("PUT", api+"/after-repair")
	// New wording: a new version; the first invitation keeps version 1.
	v1Link := answerSurvey(t, h, "after-repair", "first", nil)
	reworded := edit(edit(shortSurvey, "It was fast.", "It was quick enough."), `"name":"After a repair"`, `"name":"After a home repair","note":"clearer wording"`)
	status, body = send(t, mkt, "PUT", api+"/after-repair", reworded)
	if status != http.StatusOK || body["new_version"] != true || version(body) != 2 {
		t.Fatalf("reword: %d %v", status, body)
	}
	if _, page, _ := fetch(t, "GET", v1Link, nil, nil); !strings.Contains(page, "It was fast.") {
		t.Errorf("an invitation sent with version 1 must keep its wording")
	}
	// Version 2 gets answers; its answered questions keep their meaning.
	answerSurvey(t, h, "after-repair", "second", url.Values{"overall": {"3"}, "fair": {"2"}, "fast": {"1"}, "kind": {"4"}})
	for _, tc := range []struct{ name, body, field string }{
		{"kind", edit(reworded, `{"key":"fast","kind":"likert5"`, `{"key":"fast","kind":"likert7"`), "questions[2].kind"},
		{"dimension", edit(reworded, `{"key":"fair","kind":"likert5","dimension":"distributive"`, `{"key":"fair","kind":"likert5","dimension":"procedural"`), "questions[1].dimension"},
		{"reverse", edit(reworded, `{"key":"kind","kind":"likert5","dimension":"interactional"`, `{"key":"kind","kind":"likert5","dimension":"interactional","reverse":true`), "questions[3].reverse"},
	} {
		status, body := send(t, mkt, "PUT", api+"/after-repair", tc.body)
		if status != http.StatusConflict || body["field"] != tc.field || !strings.Contains(fmt.Sprint(body["error"]), "new key") {
			t.Errorf("changing the %s of an answered question: %d %v", tc.name, status, body)
		}
	}
	// The comment box was never answered: it may change kind. A new key is always fine.
	status, body = send(t, mkt, "PUT", api+"/after-repair", edit(reworded, `{"key":"comment"`,
		`{"key":"fast_enough","kind":"likert7","dimension":"procedural","text":{"en":"Fast enough?","fr":"Assez rapide ?"}},{"key":"comment"`))
	if status != http.StatusOK || version(body) != 3 {
		t.Errorf("adding a question: %d %v", status, body)
	}
	if status, body := send(t, mkt, "PUT", api+"/nope", edit(shortSurvey, `"slug":"after-repair",`, ``)); status != http.StatusNotFound {
		t.Errorf("unknown survey: %d %v", status, body)
	}
	if status, body := send(t, mkt, "PUT", api+"/after-repair", edit(shortSurvey, `"slug":"after-repair"`, `"slug":"other"`)); status != http.StatusBadRequest || body["field"] != "slug" {
		t.Errorf("changing the slug: %d %v", status, body)
	}

	var got struct {
		Survey struct {
			Name    string `json:"name"`
			Version int    `json:"version"`
		} `json:"survey"`
		Versions []struct {
			Version, Responses, Invitations int
			Note                            string
		} `json:"versions"`
	}
	if status := getJSON(t, mkt, api+"/after-repair", &got); status != 200 || got.Survey.Version != 3 || len(got.Versions) != 3 ||
		got.Versions[1].Responses != 1 || got.Versions[1].Note != "clearer wording" || got.Versions[2].Invitations != 1 {
		t.Errorf("survey with versions: %d %+v", status, got)
	}
	var v1 struct {
		Survey struct {
			Questions []struct{ Text map[string]string } `json:"questions"`
		} `json:"survey"`
	}
	if status := getJSON(t, mkt, api+"/after-repair/versions/1", &v1); status != 200 || v1.Survey.Questions[2].Text["en"] != "It was fast." {
		t.Errorf("version 1: %d %+v", status, v1)
	}
	var all struct {
		Surveys []struct {
			Slug      string `json:"slug"`
			Version   int    `json:"version"`
			Responses int    `json:"responses"`
		} `json:"surveys"`
	}
	// Beside it, followup's own recovery survey and built-in questionnaire.
	if status := getJSON(t, mkt, api, &all); status != 200 || len(all.Surveys) != 3 || all.Surveys[0].Slug != "after-repair" ||
		all.Surveys[0].Version != 3 || all.Surveys[0].Responses != 1 || all.Surveys[1].Slug != "recovery-check" || all.Surveys[2].Slug != "service-recovery" {
		t.Errorf("list: %d %+v", status, all)
	}

	// A setting changes in place, without a new version.
	var current struct {
		Survey   map[string]any `json:"survey"`
		Settings struct {
			AcknowledgeMild bool `json:"acknowledge_mild"`
		} `json:"settings"`
	}
	if getJSON(t, mkt, api+"/after-repair", &current); !current.Settings.AcknowledgeMild {
		t.Errorf("a survey acknowledges mild complaints by default")
	}
	def := current.Survey
	for _, k := range []string{"id", "version_id", "version"} {
		delete(def, k)
	}
	def["acknowledge_mild"] = false
	raw, _ := json.Marshal(def)
	if status, body := send(t, mkt, "PUT", api+"/after-repair", string(raw)); status != 200 || body["new_version"] != false {
		t.Errorf("setting: %d %v", status, body)
	}
	if getJSON(t, mkt, api+"/after-repair", &current); current.Settings.AcknowledgeMild {
		t.Errorf("acknowledge_mild was not turned off")
	}
}

// TestSurveyEditorPage: the plain-HTML editor keeps what was typed on an
// error, shows the problem next to the field, adds rows and saves versions.
func TestSurveyEditorPage(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	c, csrf := signedIn(t, h, users.Marketing)
	fetch := func(t *testing.T, method, link string, form url.Values, _ map[string]string) (int, string, http.Header) {
		t.Helper()
		var body io.Reader
		if form != nil {
			form.Set("csrf", csrf)
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, link, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	status, page, _ := fetch(t, "GET", h.URL+"/marketing/surveys/new", nil, nil)
	if status != 200 || !strings.Contains(page, `<label for="f-name">`) || !strings.Contains(page, `name="q0_key"`) {
		t.Fatalf("new survey form: %d %.300s", status, page)
	}
	form := url.Values{"rows": {"2"}, "name": {"Quick check"}, "slug": {"quick-check"},
		"threshold_overall": {"50"}, "threshold_distributive": {"50"}, "threshold_procedural": {"55"}, "threshold_interactional": {"50"},
		"q0_key": {"overall"}, "q0_kind": {"rating10"}, "q0_dimension": {"overall"}, "q0_required": {"1"},
		"q0_text_en": {"Overall, how was it?"}, "q0_text_fr": {""},
		"q1_key": {"why"}, "q1_kind": {"single"}, "q1_dimension": {"none"}, "q1_text_en": {"Why?"}, "q1_text_fr": {"Pourquoi ?"},
		"q1_options": {"late | temporal | Too late | Trop tard\nrude | attitude | Rude staff"}, "action": {"save"}}
	status, page, _ = fetch(t, "POST", h.URL+"/marketing/surveys/new", form, nil)
	page = html.UnescapeString(page)
	// An option line the form cannot read and a missing French wording are
	// both said after one save, each next to its field.
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "option line 2 must read") || !strings.Contains(page, `role="alert"`) ||
		!strings.Contains(page, `value="Overall, how was it?"`) || !strings.Contains(page, "Too late | Trop tard") ||
		!strings.Contains(page, `<span class="err" id="e-q0-text-fr">needs wording in en and fr</span>`) ||
		!strings.Contains(page, `<a href="#q0-text-fr">Question 1 · Wording in French: needs wording in en and fr</a>`) {
		t.Fatalf("bad options and missing French: %d %.4000s", status, page)
	}
	form.Set("q1_options", "late | temporal | Too late | Trop tard\nrude | attitude | Rude staff | Personnel impoli")
	status, page, _ = fetch(t, "POST", h.URL+"/marketing/surveys/new", form, nil)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, "needs wording in en and fr") || !strings.Contains(page, `id="e-q0-text-fr"`) ||
		strings.Contains(page, "option line") {
		t.Fatalf("missing French: %d %.2000s", status, page)
	}
	if n := rows(t, h, "surveys") - 2; n != 0 { // the built-in questionnaire and the recovery survey are followup's own
		t.Fatalf("an invalid form stored %d surveys", n)
	}
	form.Set("q0_text_fr", "Dans l'ensemble, comment ça s'est passé ?")
	form.Set("action", "add")
	status, page, _ = fetch(t, "POST", h.URL+"/marketing/surveys/new", form, nil)
	if status != 200 || !strings.Contains(page, `name="q2_key"`) || rows(t, h, "surveys") != 2 {
		t.Fatalf("add a row: %d, stored %d", status, rows(t, h, "surveys"))
	}
	form.Set("action", "save")
	status, _, hdr := fetch(t, "POST", h.URL+"/marketing/surveys/new", form, nil)
	if status != http.StatusSeeOther || hdr.Get("Location") != "/marketing/surveys/quick-check?saved=1" {
		t.Fatalf("save: %d %v", status, hdr)
	}
	status, page, _ = fetch(t, "GET", h.URL+"/marketing/surveys/quick-check?saved=1", nil, nil)
	if status != 200 || !strings.Contains(page, "Saved as version 1") || !strings.Contains(page, `value="Overall, how was it?"`) {
		t.Fatalf("edit page: %d", status)
	}
	// Editing the wording makes version 2; saving unchanged makes none.
	form.Del("slug")
	form.Set("q0_text_en", "All in all, how was it?")
	status, _, hdr = fetch(t, "POST", h.URL+"/marketing/surveys/quick-check", form, nil)
	if status != http.StatusSeeOther || hdr.Get("Location") != "/marketing/surveys/quick-check?saved=2" {
		t.Fatalf("reword: %d %v", status, hdr)
	}
	status, _, hdr = fetch(t, "POST", h.URL+"/marketing/surveys/quick-check", form, nil)
	if status != http.StatusSeeOther || hdr.Get("Location") != "/marketing/surveys/quick-check?saved=same" {
		t.Fatalf("unchanged: %d %v", status, hdr)
	}
	sv, err := h.App.Surveys.Latest(context.Background(), "quick-check")
	if err != nil || sv.Version != 2 || sv.Thresholds["procedural"] != 55 || sv.Questions[1].Options[1].Risk != "attitude" {
		t.Fatalf("stored: %+v %v", sv, err)
	}
	// The person switches their pages to French from the header.
	status, _, hdr = fetch(t, "POST", h.URL+"/account/locale", url.Values{"locale": {"fr"}, "back": {"/marketing/surveys"}}, nil)
	if status != http.StatusSeeOther || hdr.Get("Location") != "/marketing/surveys" {
		t.Fatalf("switch to French: %d %v", status, hdr)
	}
	status, page, _ = fetch(t, "GET", h.URL+"/marketing/surveys", nil, nil)
	if status != 200 || !strings.Contains(page, "Sondages") || !strings.Contains(page, "Quick check") || !strings.Contains(page, `<html lang="fr">`) {
		t.Errorf("list page in French: %d", status)
	}
}
