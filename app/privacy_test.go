package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

// doJSON calls the API as c and returns the status and the body.
func doJSON(t *testing.T, c *http.Client, method, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// reportRoutes are the managers' figures an erase must not move.
var reportRoutes = []string{
	"overview?from=2026-11-01&to=2026-11-30",
	"trend?from=2026-11-01&to=2026-11-30&grain=day",
	"breakdown?from=2026-11-01&to=2026-11-30&by=channel",
	"breakdown?from=2026-11-01&to=2026-11-30&by=touchpoint",
	"risks?from=2026-11-01&to=2026-11-30",
	"risk-trend?from=2026-11-01&to=2026-11-30",
	"complaints?from=2026-11-01&to=2026-11-30",
	"silent?from=2026-11-01&to=2026-11-30",
	"reliability?from=2026-11-01&to=2026-11-30",
	"scorecard?from=2026-11-01&to=2026-11-30",
	"barometer",
}

// reportFigures reads every report as the admin.
func reportFigures(t *testing.T, h *apptest.Harness, admin *http.Client) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range reportRoutes {
		status, body := doJSON(t, admin, "GET", h.URL+"/api/v1/reports/"+r)
		if status != http.StatusOK {
			t.Fatalf("report %s: %d %.300s", r, status, body)
		}
		out[r] = body
	}
	return out
}

// mentions lists, for every table of the test's schema, the rows whose
// text (every column, as PostgreSQL writes a row) or whose bytes (raw
// messages) contain needle, ignoring case.
func mentions(t *testing.T, h *apptest.Harness, needle string) map[string]int {
	t.Helper()
	var tables []string
	if err := h.Schema.DB.Select(&tables, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`); err != nil {
		t.Fatal(err)
	}
	if len(tables) < 20 {
		t.Fatalf("only %d tables in the schema: %v", len(tables), tables)
	}
	found := map[string]int{}
	for _, tb := range tables {
		var n int
		if err := h.Schema.DB.Get(&n, fmt.Sprintf(`SELECT count(*) FROM %q t WHERE t::text ILIKE '%%' || $1 || '%%'`, tb), needle); err != nil {
			t.Fatal(err)
		}
		var bytea []string
		if err := h.Schema.DB.Select(&bytea, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 AND data_type = 'bytea'`, tb); err != nil {
			t.Fatal(err)
		}
		for _, col := range bytea {
			var m int
			if err := h.Schema.DB.Get(&m, fmt.Sprintf(`SELECT count(*) FROM %q WHERE position(convert_to($1, 'UTF8') IN lower(encode(%q, 'escape'))::bytea) > 0`, tb, col), needle); err != nil {
				t.Fatal(err)
			}
			n += m
		}
		if n > 0 {
			found[tb] = n
		}
	}
	return found
}

// redisMentions counts the keys of the test's queues whose values contain
// needle (task messages: payloads and last errors).
func redisMentions(t *testing.T, h *apptest.Harness, needle string) int {
	t.Helper()
	opt, err := redis.ParseURL(h.Queues.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "*"+h.Queues.Prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) == 0 {
		t.Fatalf("no Redis key of the queues %s*: the scan looks in the wrong place", h.Queues.Prefix)
	}
	n := 0
	for _, k := range keys {
		var vals []string
		switch typ := rdb.Type(ctx, k).Val(); typ {
		case "hash":
			for _, v := range rdb.HGetAll(ctx, k).Val() {
				vals = append(vals, v)
			}
		case "list":
			vals = rdb.LRange(ctx, k, 0, -1).Val()
		case "zset":
			vals = rdb.ZRange(ctx, k, 0, -1).Val()
		case "set":
			vals = rdb.SMembers(ctx, k).Val()
		case "string":
			vals = []string{rdb.Get(ctx, k).Val()}
		}
		for _, v := range vals {
			if strings.Contains(strings.ToLower(v), needle) {
				n++
			}
		}
	}
	return n
}

// TestCustomerExportAndErase is a data-protection officer's walk: a
// customer who complained, wrote back by email and was answered is found
// by search, shown, exported (the conversation in the document), then
// erased: their name, email and reference are nowhere in the schema's
// text, raw mail, the SMTP capture or Redis; the other customer is
// untouched; the reports read the same figures before and after; a
// second erase changes nothing; only admins export and erase; every
// export and erase is in the audit.
func TestCustomerExportAndErase(t *testing.T) {
	t.Parallel()
	h := startInbound(t, nil)
	seedCampaign(t, h)
	admin := h.API(t, users.Admin)
	cx := h.API(t, users.CX)
	adminUser, _ := h.User(t, users.Admin)

	gone, email := unhappy(t, h, "zorglub", "The parcel came a week late and the courier was rude.", 3, 2)
	stays, _ := unhappy(t, h, "keeper", "Late again, nobody answers.", 2, 2)
	_, ack := captured(t, h, email, "We have received your request")
	const words = "Nobody called me back, I am still waiting."
	deliver(t, h, email, replyTo(t, ack), fmt.Sprintf(`From: Client zorglub <%s>
To: Acme <%s>
Subject: Re: %s
Message-ID: <zorglub-reply-1@example.com>
Content-Type: text/plain; charset=utf-8

%s
`, email, replyTo(t, ack), ack.Subject, words))
	eventually(t, "the reply on the conversation", func() bool {
		return countOf(t, h, `SELECT count(*) FROM complaint_messages WHERE complaint_id = $1 AND direction = 'in' AND body = $2`, gone, words) == 1
	})
	if status, body := postJSON(t, cx, fmt.Sprintf("%s/api/v1/complaints/%d/notes", h.URL, gone),
		map[string]any{"text": "Called zorglub@example.com, no answer."}); status != http.StatusCreated && status != http.StatusOK {
		t.Fatalf("note: %d %v", status, body)
	}
	var goneID, staysID int64
	if err := h.Schema.DB.Get(&goneID, `SELECT customer_id FROM complaints WHERE id = $1`, gone); err != nil {
		t.Fatal(err)
	}
	if err := h.Schema.DB.Get(&staysID, `SELECT customer_id FROM complaints WHERE id = $1`, stays); err != nil {
		t.Fatal(err)
	}

	// Search and paging: the CX team reads customers.
	status, body := doJSON(t, cx, "GET", h.URL+"/api/v1/customers?q=ZORGLUB")
	var page struct {
		Customers []struct {
			ID    int64  `json:"id"`
			Email string `json:"email"`
		} `json:"customers"`
		Next string `json:"next"`
	}
	if err := json.Unmarshal([]byte(body), &page); status != http.StatusOK || err != nil || len(page.Customers) != 1 || page.Customers[0].ID != goneID {
		t.Fatalf("search: %d %.300s (%v)", status, body, err)
	}
	status, body = doJSON(t, cx, "GET", h.URL+"/api/v1/customers?limit=1")
	if err := json.Unmarshal([]byte(body), &page); status != http.StatusOK || err != nil || len(page.Customers) != 1 || page.Next != "/api/v1/customers?limit=1&offset=1" {
		t.Fatalf("first page of one: %d %.300s (%v)", status, body, err)
	}
	status, body = doJSON(t, cx, "GET", h.URL+page.Next)
	if err := json.Unmarshal([]byte(body), &page); status != http.StatusOK || err != nil || len(page.Customers) != 1 || page.Next != "" {
		t.Fatalf("last page: %d %.300s (%v)", status, body, err)
	}
	for _, bad := range []string{"limit=500", "limit=0", "offset=-1", "limit=ten"} {
		field := strings.SplitN(bad, "=", 2)[0]
		if status, body := doJSON(t, cx, "GET", h.URL+"/api/v1/customers?"+bad); status != http.StatusBadRequest || !strings.Contains(body, `"field":"`+field+`"`) {
			t.Errorf("%s: %d %.200s, want 400 naming %s", bad, status, body, field)
		}
	}
	status, body = doJSON(t, cx, "GET", fmt.Sprintf("%s/api/v1/customers/%d", h.URL, goneID))
	if status != http.StatusOK || !strings.Contains(body, `"email":"zorglub@example.com"`) || !strings.Contains(body, `"complaints":[{`) {
		t.Fatalf("customer detail: %d %.500s", status, body)
	}

	// Only admins export and erase; an unknown customer is 404.
	for _, c := range []struct {
		method, path string
		client       *http.Client
		want         int
	}{
		{"GET", fmt.Sprintf("/api/v1/customers/%d/export", goneID), cx, http.StatusForbidden},
		{"DELETE", fmt.Sprintf("/api/v1/customers/%d", goneID), cx, http.StatusForbidden},
		{"DELETE", fmt.Sprintf("/api/v1/customers/%d", goneID), h.API(t, users.Manager), http.StatusForbidden},
		{"GET", "/api/v1/audit", cx, http.StatusForbidden},
		{"GET", "/api/v1/customers/999999/export", admin, http.StatusNotFound},
		{"DELETE", "/api/v1/customers/999999", admin, http.StatusNotFound},
		{"GET", "/api/v1/customers/999999", cx, http.StatusNotFound},
		{"DELETE", "/api/v1/customers/abc", admin, http.StatusBadRequest},
	} {
		if status, body := doJSON(t, c.client, c.method, h.URL+c.path); status != c.want {
			t.Errorf("%s %s: %d, want %d (%.200s)", c.method, c.path, status, c.want, body)
		}
	}
	if n := countOf(t, h, `SELECT count(*) FROM privacy_audit`); n != 0 {
		t.Fatalf("%d audit rows after refused and unknown requests", n)
	}

	// The export holds the conversation, the reply and the emails sent.
	status, body = doJSON(t, admin, "GET", fmt.Sprintf("%s/api/v1/customers/%d/export", h.URL, goneID))
	if status != http.StatusOK {
		t.Fatalf("export: %d %.300s", status, body)
	}
	var export struct {
		Customer struct {
			Email string `json:"email"`
		} `json:"customer"`
		Events    []json.RawMessage `json:"events"`
		Responses []struct {
			Comment string `json:"comment"`
		} `json:"responses"`
		Complaints []struct {
			ID       int64 `json:"id"`
			Messages []struct {
				Direction string `json:"direction"`
				Kind      string `json:"kind"`
				Body      string `json:"body"`
			} `json:"messages"`
			Events []struct {
				Kind string          `json:"kind"`
				Data json.RawMessage `json:"data"`
			} `json:"events"`
		} `json:"complaints"`
		InboundMessages []struct {
			Body      string `json:"body"`
			RawBase64 string `json:"raw_base64"`
		} `json:"inbound_messages"`
		EmailsSent []struct {
			Kind string `json:"kind"`
		} `json:"emails_sent"`
	}
	if err := json.Unmarshal([]byte(body), &export); err != nil {
		t.Fatal(err)
	}
	if export.Customer.Email != email || len(export.Events) != 1 || len(export.Responses) != 1 || !strings.Contains(export.Responses[0].Comment, "rude") ||
		len(export.Complaints) != 1 || export.Complaints[0].ID != gone || len(export.InboundMessages) != 1 || export.InboundMessages[0].Body != words {
		t.Errorf("export: %.2000s", body)
	}
	kinds := map[string]bool{}
	for _, m := range export.Complaints[0].Messages {
		kinds[m.Direction+" "+m.Kind] = true
		if m.Direction == "in" && m.Body != words {
			t.Errorf("the customer's email in the export: %q", m.Body)
		}
	}
	if !kinds["in customer_reply"] || !kinds["out acknowledgement"] {
		t.Errorf("the conversation in the export: %v", kinds)
	}
	sent := map[string]bool{}
	for _, e := range export.EmailsSent {
		sent[e.Kind] = true
	}
	if !sent["survey_invitation"] || !sent["complaint_acknowledgement"] {
		t.Errorf("emails sent in the export: %v", sent)
	}

	before := reportFigures(t, h, admin)
	if found := mentions(t, h, "zorglub"); len(found) == 0 || found["customers"] != 1 || found["inbound_messages"] == 0 {
		t.Fatalf("the search for the customer's traces finds too little before the erase: %v", found)
	}
	keeperBefore := mentions(t, h, "keeper")

	status, body = doJSON(t, admin, "DELETE", fmt.Sprintf("%s/api/v1/customers/%d", h.URL, goneID))
	var erased struct {
		Already           bool             `json:"already_erased"`
		Rows              map[string]int64 `json:"rows"`
		CapturedForgotten int              `json:"captured_forgotten"`
	}
	if err := json.Unmarshal([]byte(body), &erased); status != http.StatusOK || err != nil || erased.Already || erased.Rows["customers"] != 1 ||
		erased.Rows["responses"] != 1 || erased.Rows["complaint_messages"] != 1 || erased.Rows["inbound_messages"] != 1 || erased.CapturedForgotten == 0 {
		t.Fatalf("erase: %d %.500s (%v)", status, body, err)
	}
	if found := mentions(t, h, "zorglub"); len(found) != 0 {
		t.Errorf("the erased customer is still in the schema: %v", found)
		dumpMentions(t, h, "zorglub")
	}
	for _, w := range []string{"rude", "still waiting", "courier was"} {
		if found := mentions(t, h, w); len(found) != 0 {
			t.Errorf("the erased customer's words %q are still in the schema: %v", w, found)
			dumpMentions(t, h, w)
		}
	}
	if n := redisMentions(t, h, "zorglub"); n != 0 {
		t.Errorf("%d Redis values still mention the erased customer", n)
	}
	for _, m := range h.Capture.Messages() {
		if strings.Contains(strings.ToLower(string(m.Raw)+strings.Join(m.To, ",")+m.From), "zorglub") {
			t.Errorf("captured message %d still mentions the erased customer", m.Seq)
		}
	}
	if after := mentions(t, h, "keeper"); fmt.Sprint(after) != fmt.Sprint(keeperBefore) {
		t.Errorf("the other customer's rows changed: %v, were %v", after, keeperBefore)
	}
	// The conversation keeps its shape for the CX history.
	if n := countOf(t, h, `SELECT count(*) FROM complaint_messages WHERE complaint_id = $1 AND direction = 'in' AND body = '[erased]'`, gone); n != 1 {
		t.Errorf("%d erased customer emails on the conversation, want 1 kept with its direction", n)
	}
	after := reportFigures(t, h, admin)
	for _, r := range reportRoutes {
		if before[r] != after[r] {
			t.Errorf("report %s moved:\nbefore %.600s\nafter  %.600s", r, before[r], after[r])
		}
	}

	// Again: nothing more to erase, the reports still the same.
	status, body = doJSON(t, admin, "DELETE", fmt.Sprintf("%s/api/v1/customers/%d", h.URL, goneID))
	erased.Rows = nil
	if err := json.Unmarshal([]byte(body), &erased); status != http.StatusOK || err != nil || !erased.Already {
		t.Fatalf("second erase: %d %.500s", status, body)
	}
	for k, v := range erased.Rows {
		if v != 0 {
			t.Errorf("second erase changed %d rows of %s", v, k)
		}
	}
	status, body = doJSON(t, cx, "GET", fmt.Sprintf("%s/api/v1/customers/%d", h.URL, goneID))
	if status != http.StatusOK || !strings.Contains(body, `"erased_at":`) || !strings.Contains(body, fmt.Sprintf(`"email":"erased-%d@erased.invalid"`, goneID)) {
		t.Errorf("erased customer detail: %d %.300s", status, body)
	}

	// The audit: who, when, which customer, which action; never the data.
	for _, bad := range []string{"limit=5000", "limit=0", "customer_id=0"} {
		field := strings.SplitN(bad, "=", 2)[0]
		if status, body := doJSON(t, admin, "GET", h.URL+"/api/v1/audit?"+bad); status != http.StatusBadRequest || !strings.Contains(body, `"field":"`+field+`"`) {
			t.Errorf("audit %s: %d %.200s, want 400 naming %s", bad, status, body, field)
		}
	}
	status, body = doJSON(t, admin, "GET", h.URL+"/api/v1/audit")
	var audit struct {
		Entries []struct {
			Action     string `json:"action"`
			CustomerID int64  `json:"customer_id"`
			ActorID    *int64 `json:"actor_id"`
			Actor      string `json:"actor"`
		} `json:"entries"`
	}
	if err := json.Unmarshal([]byte(body), &audit); status != http.StatusOK || err != nil || len(audit.Entries) != 3 {
		t.Fatalf("audit: %d %.500s", status, body)
	}
	for i, want := range []string{"erase", "erase", "export"} {
		e := audit.Entries[i]
		if e.Action != want || e.CustomerID != goneID || e.ActorID == nil || *e.ActorID != adminUser.ID || e.Actor != adminUser.Email {
			t.Errorf("audit entry %d: %+v, want %s of %d by %d", i, e, want, goneID, adminUser.ID)
		}
	}
	if strings.Contains(strings.ToLower(body), "zorglub") {
		t.Error("the audit holds the customer's data")
	}
}

// dumpMentions logs the rows of responses and inbound_messages that
// mention needle, to tell which column kept it.
func dumpMentions(t *testing.T, h *apptest.Harness, needle string) {
	for _, tb := range []string{"responses", "inbound_messages", "complaints", "complaint_events", "alerts"} {
		var rows []string
		_ = h.Schema.DB.Select(&rows, fmt.Sprintf(`SELECT (to_jsonb(t) - 'raw')::text FROM %q t WHERE t::text ILIKE '%%' || $1 || '%%'`, tb), needle)
		for _, r := range rows {
			t.Logf("%s: %.1500s", tb, r)
		}
	}
}
