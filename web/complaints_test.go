package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// reply fills the default survey: every item means agree (reverse items
// mirrored), the overall rating, choices and a comment.
func reply(overall, agree int, comment string, wrong ...string) url.Values {
	f := fullAnswers(overall, agree)
	for _, k := range []string{"lost_out", "bounced"} {
		f.Set(k, fmt.Sprint(6-agree))
	}
	f.Set("comment", comment)
	for _, w := range wrong {
		f.Add("what_went_wrong", w)
	}
	return f
}

func submit(t *testing.T, link string, form url.Values) {
	t.Helper()
	status, page, _ := fetch(t, "POST", link, form, nil)
	if status != http.StatusSeeOther {
		t.Fatalf("submit: %d %.300s", status, page)
	}
}

func getJSON(t *testing.T, c *http.Client, link string, v any) int {
	t.Helper()
	resp, err := c.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode
}

type listed struct {
	ID          int64    `json:"id"`
	Priority    string   `json:"priority"`
	Severity    string   `json:"severity"`
	State       string   `json:"state"`
	Overdue     bool     `json:"overdue"`
	Email       string   `json:"customer_email"`
	CustomerID  int64    `json:"customer_id"`
	Escalations []string `json:"escalations"`
	Risks       []string `json:"risks"`
	DueAt       time.Time
	OpenedAt    time.Time `json:"opened_at"`
}

func (l *listed) UnmarshalJSON(b []byte) error {
	type plain listed
	var p struct {
		plain
		Due time.Time `json:"due_at"`
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	*l = listed(p.plain)
	l.DueAt = p.Due
	return nil
}

func list(t *testing.T, h *apptest.Harness, query string) []listed {
	t.Helper()
	var body struct {
		Complaints []listed `json:"complaints"`
	}
	if status := getJSON(t, h.API(t, users.CX), h.URL+"/api/v1/complaints"+query, &body); status != http.StatusOK {
		t.Fatalf("list %s: %d", query, status)
	}
	return body.Complaints
}

func emails(l []listed) []string {
	var out []string
	for _, c := range l {
		out = append(out, strings.TrimSuffix(c.Email, "@example.com")+":"+c.Priority)
	}
	return out
}

func cents(v int64) *int64 { return &v }

// TestComplaintQueueAndDetail answers surveys as four customers and reads
// the CX queue: priorities from scores, signals and customer value; the
// filters; and one complaint in full with the customer's history.
func TestComplaintQueueAndDetail(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	marie := customer{ref: "marie", locale: "fr", valueCents: 100000, prejudice: cents(4500)}
	john := customer{ref: "john", locale: "en", valueCents: 20000}
	ann := customer{ref: "ann", locale: "en", valueCents: 20000}
	zoe := customer{ref: "zoe", locale: "fr", valueCents: 20000}
	cx := h.API(t, users.CX)

	submit(t, invite(t, h, marie, 1), reply(0, 1, "Colis arrivé cassé. Je porte plainte à l'OPC.", "damage"))
	submit(t, invite(t, h, john, 1), reply(8, 4, "If nobody calls me back I will post this on Twitter."))
	submit(t, invite(t, h, ann, 1), reply(6, 4, ""))
	submit(t, invite(t, h, zoe, 1), reply(9, 5, "Parfait, merci !"))

	all := list(t, h, "")
	if got, want := emails(all), []string{"marie:P1", "john:P2", "ann:P4"}; !slices.Equal(got, want) {
		t.Fatalf("queue %v, want %v (nearest deadline first; no complaint for the happy customer)", got, want)
	}
	if !slices.Equal(all[1].Escalations, []string{"public"}) || all[1].Severity != "minor" {
		t.Errorf("john's complaint: escalations %v severity %s, want public and minor (fair scores)", all[1].Escalations, all[1].Severity)
	}
	if !slices.Contains(all[0].Risks, "security") {
		t.Errorf("marie's risks %v lack security (choice and comment)", all[0].Risks)
	}
	for query, want := range map[string][]string{
		"?priority=P2":               {"john:P2"},
		"?priority=P1,P4":            {"marie:P1", "ann:P4"},
		"?priority=p1&priority=p2":   {"marie:P1", "john:P2"},
		"?state=resolved":            nil,
		"?state=open,in_progress":    {"marie:P1", "john:P2", "ann:P4"},
		"?overdue=true":              nil,
		"?overdue=false&priority=P4": {"ann:P4"},
		"?limit=1":                   {"marie:P1"},
	} {
		if got := emails(list(t, h, query)); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}
	// Ann's deadline passes: she is overdue, and first in the queue.
	if _, err := h.Schema.DB.Exec(`UPDATE complaints SET due_at = now() - interval '1 hour' WHERE id = $1`, all[2].ID); err != nil {
		t.Fatal(err)
	}
	overdue := list(t, h, "?overdue=true")
	if len(overdue) != 1 || overdue[0].ID != all[2].ID || !overdue[0].Overdue {
		t.Errorf("overdue: %+v", overdue)
	}
	if got := emails(list(t, h, "")); got[0] != "ann:P4" {
		t.Errorf("sorted by deadline: %v", got)
	}
	for _, bad := range []struct{ query, field string }{
		{"?priority=P5", "priority"}, {"?state=closed", "state"}, {"?overdue=maybe", "overdue"}, {"?limit=0", "limit"},
	} {
		var e struct{ Error, Field string }
		if status := getJSON(t, cx, h.URL+"/api/v1/complaints"+bad.query, &e); status != http.StatusBadRequest || e.Field != bad.field || e.Error == "" {
			t.Errorf("%s: %d %+v", bad.query, status, e)
		}
	}

	// Marie answers again about a second delivery: her second complaint
	// shows the first in her history.
	submit(t, invite(t, h, marie, 2), reply(3, 2, "Encore en retard, je vais voir ailleurs."))
	var second struct {
		ID int64 `json:"id"`
	}
	for _, c := range list(t, h, "?priority=P1,P2,P3,P4&limit=10") {
		if c.Email == "marie@example.com" && c.ID != all[0].ID {
			second.ID = c.ID
		}
	}
	var d detail
	if status := getJSON(t, cx, fmt.Sprintf("%s/api/v1/complaints/%d", h.URL, all[0].ID), &d); status != http.StatusOK {
		t.Fatalf("detail: %d", status)
	}
	if d.Priority != "P1" || d.Severity != "critical" || d.Reply.Comment != "Colis arrivé cassé. Je porte plainte à l'OPC." {
		t.Errorf("detail head: %+v", d)
	}
	if *d.Reply.Overall != 0 || *d.Reply.NPS != 0 || d.Reply.NPSCategory != "detractor" || d.Reply.Answers["overall"] != float64(0) {
		t.Errorf("reply scores: %+v", d.Reply)
	}
	var legal []string
	for _, s := range d.Reply.Signals {
		if s.Kind == "legal" {
			legal = append(legal, s.Evidence)
		}
	}
	if len(legal) != 1 || !strings.Contains(d.Reply.Comment, legal[0]) || !strings.Contains(legal[0], "plainte") && !strings.Contains(legal[0], "OPC") {
		t.Errorf("legal evidence %v, want one signal quoting the customer's words", legal)
	}
	if !slices.Contains(d.Reply.Risks, "security") || len(d.Reply.RiskEvidence) == 0 {
		t.Errorf("risks %v evidence %v", d.Reply.Risks, d.Reply.RiskEvidence)
	}
	if d.Advice.Kind != "reimbursement" || d.Advice.MinCents != 3150 || d.Advice.MaxCents != 3600 || d.Advice.SuggestedCents != 3600 || len(d.Advice.Reasons) < 2 {
		t.Errorf("advice %+v: want 70–80 %% of the 45.00 prejudice, with reasons", d.Advice)
	}
	if len(d.PriorityReasons) == 0 || d.PriorityReasons[0].Code != "severity" {
		t.Errorf("priority reasons %+v", d.PriorityReasons)
	}
	if d.Customer.AnnualValueCents != 100000 || d.Customer.Email != "marie@example.com" || d.Event == nil || *d.Event.PrejudiceCents != 4500 {
		t.Errorf("customer %+v event %+v", d.Customer, d.Event)
	}
	if len(d.History.Events) != 2 || len(d.History.Invitations) != 2 || len(d.History.Replies) != 2 || len(d.History.Complaints) != 1 || d.History.Complaints[0].ID != second.ID {
		t.Errorf("history: %d events, %d invitations, %d replies, complaints %+v (want the other complaint %d)",
			len(d.History.Events), len(d.History.Invitations), len(d.History.Replies), d.History.Complaints, second.ID)
	}
	if len(d.Audit) != 1 || d.Audit[0].Kind != "opened" {
		t.Errorf("audit %+v", d.Audit)
	}

	var e struct{ Error string }
	if status := getJSON(t, cx, h.URL+"/api/v1/complaints/999999", &e); status != http.StatusNotFound {
		t.Errorf("missing complaint: %d", status)
	}
	if status := getJSON(t, cx, h.URL+"/api/v1/complaints/abc", &e); status != http.StatusBadRequest {
		t.Errorf("bad id: %d", status)
	}
}

type detail struct {
	Priority        string `json:"priority"`
	Severity        string `json:"severity"`
	PriorityReasons []struct {
		Code, Text string
	} `json:"priority_reasons"`
	Advice struct {
		Kind           string `json:"kind"`
		MinCents       int64  `json:"min_cents"`
		MaxCents       int64  `json:"max_cents"`
		SuggestedCents int64  `json:"suggested_cents"`
		Reasons        []struct{ Code, Text string }
	} `json:"advice"`
	Reply struct {
		Comment     string         `json:"comment"`
		Answers     map[string]any `json:"answers"`
		Overall     *float64       `json:"score_overall"`
		NPS         *int           `json:"nps"`
		NPSCategory string         `json:"nps_category"`
		Signals     []struct {
			Kind, Term, Evidence string
		} `json:"signals"`
		Risks        []string `json:"risks"`
		RiskEvidence []any    `json:"risk_evidence"`
	} `json:"reply"`
	Customer struct {
		Email            string `json:"email"`
		AnnualValueCents int64  `json:"annual_value_cents"`
	} `json:"customer"`
	Event *struct {
		PrejudiceCents *int64 `json:"prejudice_cents"`
	} `json:"event"`
	History struct {
		Events      []any `json:"events"`
		Invitations []any `json:"invitations"`
		Replies     []any `json:"replies"`
		Complaints  []struct {
			ID int64 `json:"id"`
		} `json:"complaints"`
	} `json:"history"`
	Audit []struct {
		Kind string `json:"kind"`
	} `json:"audit"`
}

// TestDoubleSubmitStormKeepsOneResponseAndOneComplaint: a customer who
// presses the button many times at once gets one response, one complaint,
// and the thank-you page every time.
func TestDoubleSubmitStormKeepsOneResponseAndOneComplaint(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	link := invite(t, h, customer{ref: "storm", locale: "en"}, 1)
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _, hdr := fetch(t, "POST", link, reply(1, 1, fmt.Sprintf("attempt %d, unacceptable", i)), nil)
			if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "/thanks") {
				t.Errorf("submission %d: %d %v", i, status, hdr)
			}
		}()
	}
	wg.Wait()
	if r, c, e := rows(t, h, "responses"), rows(t, h, "complaints"), rows(t, h, "complaint_events"); r != 1 || c != 1 || e != 1 {
		t.Errorf("%d responses, %d complaints, %d audit events; want 1 of each", r, c, e)
	}
	status, page, _ := fetch(t, "GET", link, nil, nil)
	if status != http.StatusOK || !strings.Contains(page, "will contact you personally") {
		t.Errorf("the link of a negative reply shows the thank-you page saying someone will call: %d %.300s", status, page)
	}
}
