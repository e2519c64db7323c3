package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// newPlan has the manager create, through the API, an action plan owned by
// the harness's user of role, and returns its id.
func newPlan(t *testing.T, h *apptest.Harness, owner users.Role) int64 {
	t.Helper()
	return newPlanTitled(t, h, owner, "Call back within 4 hours")
}

func newPlanTitled(t *testing.T, h *apptest.Harness, owner users.Role, title string) int64 {
	t.Helper()
	o, _ := h.User(t, owner)
	var created struct {
		ID int64 `json:"id"`
	}
	reportDo(t, h.API(t, users.Manager), "POST", h.URL+"/api/v1/action-plans", fmt.Sprintf(`{"title": %q, "kind": "corrective",
		"cause": {"kind": "risk", "value": "temporal"}, "owner_id": %d, "due_on": "2099-01-31"}`, title, o.ID), 201, &created)
	return created.ID
}

// pagePost sends a staff form and returns the status and the Location.
func pagePost(t *testing.T, c *http.Client, url string, form url.Values) (int, string) {
	t.Helper()
	resp, err := c.PostForm(url, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// pageGet returns a page's status and body.
func pageGet(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

type planJSON struct {
	ID      int64  `json:"id"`
	State   string `json:"state"`
	OwnerID int64  `json:"owner_id"`
	DueOn   string `json:"due_on"`
	Notes   []struct {
		Author string `json:"author"`
		Body   string `json:"body"`
		State  string `json:"state"`
	} `json:"notes"`
}

// TestActionPlansSharedAcrossDepartments: a CX agent owns a plan and moves
// it on (API and page forms); a marketer reads it but is refused when
// changing it; nobody but a manager creates or deletes plans, or changes
// more than the state of their own.
func TestActionPlansSharedAcrossDepartments(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	agent, _ := h.User(t, users.CX)
	mine := newPlanTitled(t, h, users.CX, "Call back within 4 hours")
	theirs := newPlanTitled(t, h, users.Manager, "Retrain the shop team")
	api := h.URL + "/api/v1/action-plans/"
	cx, mkt := h.API(t, users.CX), h.API(t, users.Marketing)

	// Through the API: the owner moves their plan on, with a note.
	var p planJSON
	reportDo(t, cx, "PATCH", fmt.Sprint(api, mine), `{"state": "in_progress", "note": "Rota drafted with the team leads."}`, 200, &p)
	if p.State != "in_progress" || len(p.Notes) != 1 || p.Notes[0].Body != "Rota drafted with the team leads." || p.Notes[0].State != "in_progress" ||
		p.Notes[0].Author != agent.Name {
		t.Errorf("owner's update: %+v", p)
	}
	var e struct {
		Error string `json:"error"`
	}
	reportDo(t, cx, "PATCH", fmt.Sprint(api, mine), `{"due_on": "2099-12-31"}`, 403, &e)
	if !strings.Contains(e.Error, "only a manager may change the title, description, owner or dates") {
		t.Errorf("owner changing the due date: %q", e.Error)
	}
	reportDo(t, cx, "PATCH", fmt.Sprint(api, theirs), `{"state": "done"}`, 403, nil)
	reportDo(t, cx, "DELETE", fmt.Sprint(api, mine), ``, 403, nil)
	// The marketer reads every plan, owns none, and changes none.
	var list []planJSON
	reportGET(t, mkt, h.URL+"/api/v1/action-plans", 200, &list)
	if len(list) != 2 {
		t.Errorf("marketing reads %d plans, want 2", len(list))
	}
	reportGET(t, mkt, h.URL+"/api/v1/action-plans?mine=true", 200, &list)
	if len(list) != 0 {
		t.Errorf("the marketer's own plans: %+v", list)
	}
	reportGET(t, cx, h.URL+"/api/v1/action-plans?mine=true", 200, &list)
	if len(list) != 1 || list[0].ID != mine {
		t.Errorf("the agent's own plans: %+v", list)
	}
	reportGET(t, cx, h.URL+"/api/v1/action-plans?mine=maybe", 400, nil)
	reportDo(t, mkt, "PATCH", fmt.Sprint(api, mine), `{"note": "Looks good to me"}`, 403, &e)
	if !strings.Contains(e.Error, "only its owner (Test cx) or a manager") {
		t.Errorf("marketer's note: %q", e.Error)
	}
	reportDo(t, mkt, "POST", h.URL+"/api/v1/action-plans", `{"title": "Mine now"}`, 403, nil)
	reportDo(t, mkt, "DELETE", fmt.Sprint(api, mine), ``, 403, nil)
	reportGET(t, mkt, fmt.Sprint(api, mine), 200, &p)
	if p.State != "in_progress" || len(p.Notes) != 1 || p.DueOn != "2099-01-31" {
		t.Errorf("after the refusals: %+v", p)
	}

	// Through the pages, with the session's CSRF token.
	cxPage, cxCSRF := signedIn(t, h, users.CX)
	mktPage, mktCSRF := signedIn(t, h, users.Marketing)
	pages := h.URL + "/actions/"
	status, body := pageGet(t, cxPage, h.URL+"/actions?mine=1")
	if status != 200 || !strings.Contains(body, "Call back within 4 hours") || strings.Contains(body, "Retrain the shop team") ||
		!strings.Contains(body, `href="/actions"`) || strings.Contains(body, `id="new-action"`) {
		t.Errorf("the agent's own plans: %d %s", status, body)
	}
	status, body = pageGet(t, cxPage, fmt.Sprint(pages, mine))
	if status != 200 || !strings.Contains(body, `id="progress-action"`) || strings.Contains(body, `id="edit-action"`) || strings.Contains(body, `id="delete-action"`) {
		t.Errorf("the agent's plan page: %d %s", status, body)
	}
	status, loc := pagePost(t, cxPage, fmt.Sprint(pages, mine), url.Values{"csrf": {cxCSRF}, "state": {"done"}, "note": {"Every P1 called back the same morning."}})
	if status != http.StatusSeeOther || loc != fmt.Sprintf("/actions/%d?flash=saved", mine) {
		t.Errorf("the agent's form: %d %s", status, loc)
	}
	if status, _ := pagePost(t, cxPage, fmt.Sprint(pages, mine), url.Values{"state": {"planned"}}); status != http.StatusForbidden {
		t.Errorf("a form without its CSRF token: %d", status)
	}
	if status, _ := pagePost(t, cxPage, fmt.Sprint(pages, mine), url.Values{"csrf": {cxCSRF}, "due_on": {"2099-12-31"}}); status != http.StatusForbidden {
		t.Errorf("the agent moving the due date by hand-made form: %d", status)
	}
	if status, _ := pagePost(t, cxPage, fmt.Sprint(pages, mine, "/delete"), url.Values{"csrf": {cxCSRF}}); status != http.StatusForbidden {
		t.Errorf("the agent deleting: %d", status)
	}
	status, body = pageGet(t, mktPage, fmt.Sprint(pages, mine))
	if status != 200 || !strings.Contains(body, `id="read-only"`) || strings.Contains(body, `id="progress-action"`) ||
		!strings.Contains(body, "Every P1 called back the same morning.") {
		t.Errorf("the marketer reading the agent's plan: %d %s", status, body)
	}
	status, _ = pagePost(t, mktPage, fmt.Sprint(pages, mine), url.Values{"csrf": {mktCSRF}, "state": {"cancelled"}, "note": {"Not needed"}})
	if status != http.StatusForbidden {
		t.Errorf("the marketer's form on the agent's plan: %d, want 403", status)
	}
	if status, _ := pagePost(t, mktPage, h.URL+"/actions", url.Values{"csrf": {mktCSRF}, "title": {"x"}}); status != http.StatusForbidden {
		t.Errorf("the marketer creating a plan: %d, want 403", status)
	}
	reportGET(t, cx, fmt.Sprint(api, mine), 200, &p)
	if p.State != "done" || len(p.Notes) != 2 || p.Notes[0].Body != "Every P1 called back the same morning." || p.DueOn != "2099-01-31" {
		t.Errorf("after the forms: %+v", p)
	}

	// Old links still lead there, for every role.
	resp, err := cxPage.Get(fmt.Sprintf("%s/manager/actions/%d?flash=saved", h.URL, mine))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != fmt.Sprintf("/actions/%d?flash=saved", mine) {
		t.Errorf("old link: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}

	// A manager deletes a plan from its page.
	mgrPage, mgrCSRF := signedIn(t, h, users.Manager)
	if status, loc := pagePost(t, mgrPage, fmt.Sprint(pages, theirs, "/delete"), url.Values{"csrf": {mgrCSRF}}); status != http.StatusSeeOther || loc != "/actions?flash=deleted" {
		t.Errorf("the manager deleting: %d %s", status, loc)
	}
	if status, _ := pageGet(t, mgrPage, fmt.Sprint(pages, theirs)); status != http.StatusNotFound {
		t.Errorf("deleted plan: %d", status)
	}
}
