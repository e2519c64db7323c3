package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

func campaignBody(surveyID int64, edits ...func(map[string]any)) string {
	m := map[string]any{
		"name": "After delivery", "survey_id": surveyID,
		"trigger":       map[string]any{"type": "event", "event_kinds": []string{"delivery"}, "delay_minutes": 1440},
		"audience":      map[string]any{"locales": []string{"fr"}},
		"reminder_days": []int{3},
	}
	for _, e := range edits {
		e(m)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func send(t *testing.T, c *http.Client, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestCampaignAPI(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	sv, err := h.App.Surveys.EnsureDefault(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	api := h.URL + "/api/v1/campaigns"
	mk := h.API(t, users.Marketing)

	bad := []struct {
		name  string
		body  string
		field string
	}{
		{"unknown survey", campaignBody(9999), "survey_id"},
		{"delay out of range", campaignBody(sv.ID, func(m map[string]any) { m["trigger"].(map[string]any)["delay_minutes"] = 200000 }), "trigger.delay_minutes"},
		{"window with no allowed hour", campaignBody(sv.ID, func(m map[string]any) {
			m["send_window"] = map[string]any{"start_hour": 18, "end_hour": 18, "weekdays": []int{1, 2}}
		}), "send_window"},
		{"window with no day", campaignBody(sv.ID, func(m map[string]any) {
			m["send_window"] = map[string]any{"start_hour": 9, "end_hour": 18, "weekdays": []int{}}
		}), "send_window.weekdays"},
		{"bad cron", campaignBody(sv.ID, func(m map[string]any) { m["trigger"] = map[string]any{"type": "recurring", "cron": "tuesdays"} }), "trigger.cron"},
		{"bad time zone", campaignBody(sv.ID, func(m map[string]any) {
			m["trigger"] = map[string]any{"type": "recurring", "cron": "@daily", "time_zone": "Moon/Base"}
		}), "trigger.time_zone"},
		{"bad run_at", campaignBody(sv.ID, func(m map[string]any) { m["trigger"] = map[string]any{"type": "once", "run_at": "next week"} }), "trigger.run_at"},
		{"missing trigger", campaignBody(sv.ID, func(m map[string]any) { delete(m, "trigger") }), "trigger.type"},
		{"unknown field", campaignBody(sv.ID, func(m map[string]any) { m["colour"] = "red" }), "colour"},
		{"archived on creation", campaignBody(sv.ID, func(m map[string]any) { m["state"] = "archived" }), "state"},
		// 0 is not a lifetime: refused, not silently given the default
		// (which leaving the setting out asks for).
		{"link lifetime of 0 days", campaignBody(sv.ID, func(m map[string]any) { m["invitation_ttl_days"] = 0 }), "invitation_ttl_days"},
		{"link lifetime of -2 days", campaignBody(sv.ID, func(m map[string]any) { m["invitation_ttl_days"] = -2 }), "invitation_ttl_days"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			status, body := send(t, mk, "POST", api, tc.body)
			if status != http.StatusBadRequest || body["field"] != tc.field {
				t.Errorf("status %d body %v, want 400 naming %s", status, body, tc.field)
			}
		})
	}
	t.Run("every wrong field in one answer", func(t *testing.T) {
		cases := []struct {
			name   string
			body   string
			fields []string
		}{
			{"five wrong settings", campaignBody(sv.ID, func(m map[string]any) {
				m["name"] = ""
				m["trigger"] = map[string]any{"type": "recurring", "cron": "every monday", "time_zone": "Europe/Pariss"}
				m["send_window"] = map[string]any{"start_hour": 20, "end_hour": 8, "weekdays": []int{1, 2}}
				m["frequency_cap_days"] = -3
			}), []string{"name", "trigger.cron", "trigger.time_zone", "send_window", "frequency_cap_days"}},
			{"a field the reading refuses and one the campaign refuses", campaignBody(sv.ID, func(m map[string]any) {
				m["trigger"] = map[string]any{"type": "once", "run_at": "next week"}
				m["invitation_ttl_days"] = 400
			}), []string{"trigger.run_at", "invitation_ttl_days"}},
			{"a link lifetime of 0 and no name", campaignBody(sv.ID, func(m map[string]any) {
				m["name"] = ""
				m["invitation_ttl_days"] = 0
			}), []string{"invitation_ttl_days", "name"}},
			{"a wrong state first", campaignBody(sv.ID, func(m map[string]any) {
				m["state"] = "archived"
				m["send_window"] = map[string]any{"start_hour": 9, "end_hour": 18, "weekdays": []int{}}
			}), []string{"state", "send_window.weekdays"}},
		}
		for _, tc := range cases {
			status, body := send(t, mk, "POST", api, tc.body)
			list, _ := body["errors"].([]any)
			var got []string
			for _, e := range list {
				m := e.(map[string]any)
				if m["message"] == "" {
					t.Errorf("%s: %v has no message", tc.name, m)
				}
				got = append(got, fmt.Sprint(m["field"]))
			}
			if status != http.StatusBadRequest || fmt.Sprint(got) != fmt.Sprint(tc.fields) || body["field"] != tc.fields[0] ||
				!strings.HasPrefix(fmt.Sprint(body["error"]), tc.fields[0]+" ") {
				t.Errorf("%s: %d %v, want 400 listing %v (the first as field and error)", tc.name, status, body, tc.fields)
			}
		}
	})
	if _, body := send(t, mk, "POST", api, campaignBody(sv.ID, func(m map[string]any) { m["invitation_ttl_days"] = 0 })); !strings.Contains(fmt.Sprint(body["error"]), "not 0 (leave it out for the default, 30 days)") {
		t.Errorf("a link lifetime of 0 is refused with %v, want a message saying how to get the default", body)
	}
	if n := rows(t, h, "campaigns") - 1; n != 0 { // the recovery campaign is followup's own
		t.Fatalf("refused campaigns stored %d rows", n)
	}

	status, created := send(t, mk, "POST", api, campaignBody(sv.ID))
	if status != http.StatusCreated || created["state"] != "draft" {
		t.Fatalf("create: %d %v", status, created)
	}
	win := created["send_window"].(map[string]any)
	if win["start_hour"] != float64(9) || win["end_hour"] != float64(19) || fmt.Sprint(win["weekdays"]) != "[1 2 3 4 5 6]" || created["frequency_cap_days"] != float64(30) ||
		created["invitation_ttl_days"] != float64(30) {
		t.Errorf("defaults: %v cap %v link lifetime %v", win, created["frequency_cap_days"], created["invitation_ttl_days"])
	}
	id := int64(created["id"].(float64))
	url := fmt.Sprintf("%s/%d", api, id)
	if status, _ := send(t, mk, "POST", api, campaignBody(sv.ID)); status != http.StatusConflict {
		t.Errorf("duplicate name: %d, want 409", status)
	}

	// The state machine.
	for _, step := range []struct {
		action string
		status int
		state  string
	}{
		{"pause", 409, ""}, {"resume", 409, ""}, {"activate", 200, "active"}, {"activate", 409, ""},
		{"pause", 200, "paused"}, {"resume", 200, "active"}, {"archive", 200, "archived"}, {"resume", 409, ""},
	} {
		status, body := send(t, mk, "POST", url+"/"+step.action, "")
		if status != step.status || (step.state != "" && (body["state"] != step.state || body["status"] != step.state)) {
			t.Errorf("%s: %d %v, want %d %s", step.action, status, body, step.status, step.state)
		}
		if step.action == "archive" && status == 200 && body["withdrawn"] != float64(0) {
			t.Errorf("archive says it withdrew %v, want 0", body["withdrawn"])
		}
	}
	if status, _ := send(t, mk, "PUT", url, campaignBody(sv.ID)); status != http.StatusConflict {
		t.Errorf("updating an archived campaign: %d, want 409", status)
	}

	// Update, preview, test send and stats on a second campaign.
	_, c2 := send(t, mk, "POST", api, campaignBody(sv.ID, func(m map[string]any) { m["name"] = "Second" }))
	url2 := fmt.Sprintf("%s/%d", api, int64(c2["id"].(float64)))
	status, upd := send(t, mk, "PUT", url2, campaignBody(sv.ID, func(m map[string]any) {
		m["name"] = "Second, renamed"
		m["send_window"] = map[string]any{"start_hour": 8, "end_hour": 20, "weekdays": []int{1, 2, 3, 4, 5}}
		m["frequency_cap_days"] = 0
	}))
	if status != 200 || upd["name"] != "Second, renamed" || upd["frequency_cap_days"] != float64(0) {
		t.Errorf("update: %d %v", status, upd)
	}
	status, prev := send(t, mk, "GET", url2+"/preview", "")
	if status != 200 {
		t.Fatalf("preview: %d", status)
	}
	fr := prev["fr"].(map[string]any)
	en := prev["en"].(map[string]any)
	if !strings.Contains(fr["subject"].(string), "comment cela s'est-il passé") || !strings.Contains(en["text"].(string), "Alex Morgan") ||
		!strings.Contains(fr["html"].(string), "/preview/surveys/") {
		t.Errorf("preview: %v / %v", fr["subject"], en["subject"])
	}
	status, prev = send(t, mk, "GET", url2+"/preview?kind=reminder", "")
	if status != 200 || !strings.HasPrefix(prev["fr"].(map[string]any)["subject"].(string), "Rappel") {
		t.Errorf("reminder preview: %d %v", status, prev["fr"])
	}
	if status, body := send(t, mk, "POST", url2+"/test-send", `{"email":"not-an-address"}`); status != 400 || body["field"] != "email" {
		t.Errorf("test send to a bad address: %d %v", status, body)
	}
	// An address the mailer itself refuses is the caller's mistake, not the
	// mail server's (it was a 502).
	if status, body := send(t, mk, "POST", url2+"/test-send", `{"email":"\"a b\"@x.example"}`); status != 400 || body["field"] != "email" {
		t.Errorf("test send to an address the mailer refuses: %d %v", status, body)
	}
	if status, body := send(t, mk, "POST", url2+"/test-send", `{"email":"qa@acme.test","locale":"fr"}`); status != 202 {
		t.Fatalf("test send: %d %v", status, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msgs, err := h.Capture.WaitFor(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := msgs[0].Parsed()
	if !strings.HasPrefix(p.Subject, "[TEST] ") || !strings.Contains(p.Text(), "Camille Tremblay") || msgs[0].To[0] != "qa@acme.test" {
		t.Errorf("test email: %q to %v", p.Subject, msgs[0].To)
	}
	// Its link opens the read-only preview of the survey.
	var link string
	for _, l := range p.Links() {
		if strings.Contains(l, "/preview/surveys/") {
			link = l
		}
	}
	code, page := get(t, link)
	if code != 200 || !strings.Contains(page, "Nothing you answer here is recorded") && !strings.Contains(page, "Rien de ce que vous répondez ici n") {
		t.Errorf("test email link %s: %d", link, code)
	}
	status, stats := send(t, mk, "GET", url2+"/stats?days=7", "")
	if status != 200 || stats["sent"] != float64(0) || len(stats["days"].([]any)) != 7 {
		t.Errorf("stats: %d %v", status, stats)
	}
	if status, _ := send(t, mk, "GET", api+"/424242", ""); status != 404 {
		t.Errorf("unknown campaign: %d", status)
	}
	status, list := send(t, mk, "GET", api, "")
	if status != 200 || len(list["campaigns"].([]any)) != 3 { // with followup's own recovery campaign
		t.Errorf("list: %d %v", status, list)
	}
	// The recovery campaign's send window is edited like any other; the
	// rest of it is followup's. It can be paused, not made anew.
	var recoveryID int64
	if err := h.Schema.DB.Get(&recoveryID, `SELECT id FROM campaigns WHERE trigger_kind = 'recovery'`); err != nil {
		t.Fatal(err)
	}
	status, body := send(t, mk, "PUT", fmt.Sprintf("%s/%d", api, recoveryID), campaignBody(sv.ID, func(m map[string]any) {
		m["send_window"] = map[string]any{"start_hour": 8, "end_hour": 20, "weekdays": []int{1, 2, 3, 4, 5}}
	}))
	if w, _ := body["send_window"].(map[string]any); status != 200 || w["start_hour"] != float64(8) || w["end_hour"] != float64(20) ||
		body["name"] != "Recovery check after a complaint" || body["trigger"].(map[string]any)["type"] != "recovery" || body["survey_id"] == float64(sv.ID) {
		t.Errorf("edit the recovery campaign's window: %d %v", status, body)
	}
	if status, body := send(t, mk, "PUT", fmt.Sprintf("%s/%d", api, recoveryID), campaignBody(sv.ID, func(m map[string]any) {
		m["send_window"] = map[string]any{"start_hour": 20, "end_hour": 8, "weekdays": []int{1}}
	})); status != 400 || body["field"] != "send_window" {
		t.Errorf("a window with no hour for the recovery campaign: %d %v", status, body)
	}
	if status, body := send(t, mk, "POST", fmt.Sprintf("%s/%d/pause", api, recoveryID), ""); status != 200 {
		t.Errorf("pause the recovery campaign: %d %v", status, body)
	}
	if status, body := send(t, mk, "POST", api, campaignBody(sv.ID, func(m map[string]any) {
		m["trigger"] = map[string]any{"type": "recovery"}
	})); status != 400 || body["field"] != "trigger.type" {
		t.Errorf("create a recovery campaign: %d %v", status, body)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	code, page, _ := fetch(t, "GET", url, nil, nil)
	return code, page
}
