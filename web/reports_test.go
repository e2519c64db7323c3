package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

func reportGET(t *testing.T, c *http.Client, url string, status int, v any) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %d %s, want %d", url, resp.StatusCode, b, status)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("GET %s: %v in %s", url, err, b)
		}
	}
}

func reportDo(t *testing.T, c *http.Client, method, url, body string, status int, v any) http.Header {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s %s: %d %s, want %d", method, url, body, resp.StatusCode, b, status)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s %s: %v in %s", method, url, err, b)
		}
	}
	return resp.Header
}

func TestReportsAPI(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	seedReports(t, h)
	c := h.API(t, users.Marketing) // marketing reads the figures too
	base := h.URL + "/api/v1/reports/"
	span := "from=2026-10-05&to=2026-10-25"

	var trend struct {
		Grain  string `json:"grain"`
		Points []struct {
			Period       string   `json:"period"`
			Replies      int      `json:"replies"`
			Overall      *float64 `json:"overall"`
			NegativeRate *float64 `json:"negative_rate"`
			Complaints   int      `json:"complaints"`
		} `json:"points"`
	}
	reportGET(t, c, base+"trend?"+span+"&grain=week", 200, &trend)
	if len(trend.Points) != 3 || trend.Points[0].Period != "2026-W41" || *trend.Points[0].Overall != 50 || trend.Points[0].Complaints != 1 ||
		trend.Points[1].Replies != 0 || trend.Points[1].Overall != nil || *trend.Points[2].NegativeRate != 1 {
		t.Errorf("trend: %+v", trend)
	}
	// The 'to' day is included: the 21st's reply is in a range ending on the 21st.
	reportGET(t, c, base+"trend?from=2026-10-21&to=2026-10-21&grain=day", 200, &trend)
	if len(trend.Points) != 1 || trend.Points[0].Replies != 1 {
		t.Errorf("one day: %+v", trend)
	}
	reportGET(t, c, base+"trend?"+span+"&touchpoint=shop", 200, &trend)
	if trend.Points[0].Replies != 1 || *trend.Points[0].Overall != 20 || trend.Points[2].Replies != 0 {
		t.Errorf("shop only: %+v", trend)
	}
	var breakdown struct {
		By   string `json:"by"`
		Rows []struct {
			Key     string `json:"key"`
			Replies int    `json:"replies"`
		} `json:"rows"`
	}
	reportGET(t, c, base+"breakdown?"+span+"&by=channel", 200, &breakdown)
	if breakdown.By != "channel" || len(breakdown.Rows) != 3 || breakdown.Rows[0].Key != "store" {
		t.Errorf("by channel: %+v", breakdown)
	}
	var risks []struct {
		Risk       string `json:"risk"`
		Replies    int    `json:"replies"`
		Complaints int    `json:"complaints"`
	}
	reportGET(t, c, base+"risks?"+span, 200, &risks)
	if len(risks) != 13 || risks[0].Risk != "temporal" || risks[0].Replies != 2 || risks[0].Complaints != 1 {
		t.Errorf("risks: %+v", risks)
	}
	// The top risks per week: temporal (W41 and W43) and financial (W41);
	// the complaint of W41 was tagged temporal only. W42 is empty.
	var rt struct {
		Grain  string   `json:"grain"`
		Risks  []string `json:"risks"`
		Points []struct {
			Period string `json:"period"`
			Risks  []struct {
				Risk       string `json:"risk"`
				Replies    int    `json:"replies"`
				Complaints int    `json:"complaints"`
			} `json:"risks"`
		} `json:"points"`
	}
	reportGET(t, c, base+"risk-trend?"+span+"&grain=week", 200, &rt)
	cells := func() string {
		var out []string
		for _, p := range rt.Points {
			for _, r := range p.Risks {
				out = append(out, fmt.Sprintf("%s %s %d/%d", p.Period, r.Risk, r.Replies, r.Complaints))
			}
		}
		return strings.Join(out, ", ")
	}
	if want := "2026-W41 temporal 1/1, 2026-W41 financial 1/0, 2026-W42 temporal 0/0, 2026-W42 financial 0/0, 2026-W43 temporal 1/0, 2026-W43 financial 0/0"; rt.Grain != "week" ||
		strings.Join(rt.Risks, ",") != "temporal,financial" || cells() != want {
		t.Errorf("risk trend %v: %s\nwant %s", rt.Risks, cells(), want)
	}
	reportGET(t, c, base+"risk-trend?"+span+"&grain=month&top=1", 200, &rt)
	if strings.Join(rt.Risks, ",") != "temporal" || cells() != "2026-10 temporal 2/1" {
		t.Errorf("top risk per month: %s", cells())
	}
	var silent struct {
		Negative   int `json:"negative"`
		SeedSilent int `json:"seed_silent"`
	}
	reportGET(t, c, base+"silent?"+span, 200, &silent)
	if silent.Negative != 2 || silent.SeedSilent != 52 {
		t.Errorf("silent: %+v", silent)
	}
	var overview map[string]json.RawMessage
	reportGET(t, c, base+"overview?"+span, 200, &overview)
	for _, k := range []string{"totals", "trend", "breakdown", "risks", "risk_trend", "complaints", "silent", "reliability", "barometer", "actions_due", "actions_overdue"} {
		if len(overview[k]) == 0 {
			t.Errorf("overview lacks %s", k)
		}
	}
	var weekly struct {
		Week string `json:"week"`
		This struct {
			Replies int `json:"replies"`
		} `json:"this_week"`
	}
	reportGET(t, c, base+"weekly?week=2026-W43", 200, &weekly)
	if weekly.Week != "2026-W43" || weekly.This.Replies != 1 {
		t.Errorf("weekly: %+v", weekly)
	}
	reportGET(t, c, base+"reliability?"+span, 200, nil)
	reportGET(t, c, base+"complaints?"+span, 200, nil)
	reportGET(t, c, base+"barometer", 200, nil)

	// Bad input: 400 naming the parameter.
	for _, tc := range []struct{ query, field string }{
		{"trend?grain=year", "grain"},
		{"trend?from=yesterday", "from"},
		{"trend?from=2026-10-10&to=2026-10-01", "to"},
		{"trend?from=1990-01-01&to=2026-10-01&grain=day", "from"},
		{"breakdown?by=colour", "by"},
		{"risk-trend?top=0", "top"},
		{"risk-trend?top=14", "top"},
		{"risk-trend?top=five", "top"},
		{"weekly?week=2026-W99", "week"},
	} {
		var e struct {
			Error string `json:"error"`
			Field string `json:"field"`
		}
		reportGET(t, c, base+tc.query, 400, &e)
		if e.Field != tc.field || e.Error == "" {
			t.Errorf("%s: %+v, want the field %s", tc.query, e, tc.field)
		}
	}
}

func TestActionPlansAPI(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	seedReports(t, h)
	mgr := h.API(t, users.Manager)
	agent, _ := h.User(t, users.CX)
	url := h.URL + "/api/v1/action-plans"
	body := fmt.Sprintf(`{"title": "Call back within 4 hours", "kind": "corrective", "cause": {"kind": "touchpoint", "value": "shop"},
		"owner_id": %d, "starts_on": "2026-10-14", "due_on": "2099-01-31"}`, agent.ID)
	var created struct {
		ID      int64  `json:"id"`
		State   string `json:"state"`
		Owner   string `json:"owner"`
		Overdue bool   `json:"overdue"`
	}
	hdr := reportDo(t, mgr, "POST", url, body, 201, &created)
	if created.State != "planned" || created.Owner != agent.Name || created.Overdue || hdr.Get("Location") != fmt.Sprintf("/api/v1/action-plans/%d", created.ID) {
		t.Errorf("created: %+v %s", created, hdr.Get("Location"))
	}
	for _, tc := range []struct{ body, field string }{
		{`{"title": "", "kind": "corrective"}`, "title"},
		{strings.Replace(body, `"corrective"`, `"urgent"`, 1), "kind"},
		{strings.Replace(body, `"touchpoint", "value": "shop"`, `"risk", "value": "boredom"`, 1), "cause.value"},
		{strings.Replace(body, fmt.Sprintf(`"owner_id": %d`, agent.ID), `"owner_id": 424242`, 1), "owner_id"},
		{strings.Replace(body, `"2099-01-31"`, `"next month"`, 1), "due_on"},
		{strings.Replace(body, `"title"`, `"titel"`, 1), "titel"},
		{strings.Replace(body, fmt.Sprintf(`%d`, agent.ID), `"seven"`, 1), "owner_id"},
	} {
		var e struct {
			Field string `json:"field"`
		}
		reportDo(t, mgr, "POST", url, tc.body, 400, &e)
		if e.Field != tc.field {
			t.Errorf("%s: field %q, want %q", tc.body, e.Field, tc.field)
		}
	}
	// Change its state, owner and due date.
	me, _ := h.User(t, users.Manager)
	var updated struct {
		State   string `json:"state"`
		OwnerID int64  `json:"owner_id"`
		DueOn   string `json:"due_on"`
		DoneAt  string `json:"done_at"`
	}
	reportDo(t, mgr, "PATCH", fmt.Sprintf("%s/%d", url, created.ID), fmt.Sprintf(`{"state": "done", "owner_id": %d, "due_on": "2099-02-28"}`, me.ID), 200, &updated)
	if updated.State != "done" || updated.OwnerID != me.ID || updated.DueOn != "2099-02-28" || updated.DoneAt == "" {
		t.Errorf("updated: %+v", updated)
	}
	reportDo(t, mgr, "PATCH", fmt.Sprintf("%s/%d", url, created.ID), `{"state": "lost"}`, 400, nil)
	reportDo(t, mgr, "PATCH", url+"/999999", `{"state": "done"}`, 404, nil)
	// The CX team reads the plans, with their effectiveness.
	cx := h.API(t, users.CX)
	var one struct {
		Effectiveness struct {
			Verdict string `json:"verdict"`
			Before  struct {
				Figures struct {
					Replies int `json:"replies"`
				} `json:"figures"`
			} `json:"before"`
		} `json:"effectiveness"`
	}
	reportGET(t, cx, fmt.Sprintf("%s/%d", url, created.ID), 200, &one)
	if one.Effectiveness.Before.Figures.Replies != 1 || one.Effectiveness.Verdict != "too_few_replies" {
		t.Errorf("effectiveness: %+v", one)
	}
	var list []struct {
		ID int64 `json:"id"`
	}
	reportGET(t, cx, url+"?state=done", 200, &list)
	if len(list) != 1 || list[0].ID != created.ID {
		t.Errorf("done plans: %+v", list)
	}
	reportGET(t, cx, url+"?open=true", 200, &list)
	if len(list) != 0 {
		t.Errorf("open plans: %+v", list)
	}
	reportGET(t, cx, url+"?state=lost", 400, nil)
	reportDo(t, cx, "POST", url, body, 403, nil)
}
