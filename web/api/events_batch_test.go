package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
)

// batchAnswer is the body of a batch answer.
type batchAnswer struct {
	Error       string `json:"error"`
	Received    int    `json:"received"`
	Stored      int    `json:"stored"`
	Duplicates  int    `json:"duplicates"`
	Rejected    int    `json:"rejected"`
	Invitations int    `json:"invitations_scheduled"`
	Errors      []struct {
		Index      int    `json:"index"`
		ExternalID string `json:"external_id"`
		Field      string `json:"field"`
		Error      string `json:"error"`
	} `json:"errors"`
	Duplicated []struct {
		Index      int    `json:"index"`
		ExternalID string `json:"external_id"`
		EventID    int64  `json:"event_id"`
		SameAs     *int   `json:"same_as"`
	} `json:"duplicate_rows"`
}

func postBatch(t *testing.T, c *http.Client, url, body string) (int, batchAnswer) {
	t.Helper()
	resp, err := c.Post(url+"/api/v1/events", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out batchAnswer
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("decode answer (status %d): %v", resp.StatusCode, err)
	}
	return resp.StatusCode, out
}

func event(id, customer, email string) string {
	return fmt.Sprintf(`{"external_id":%q,"kind":"delivery","occurred_at":"2026-11-20T10:00:00Z","customer":{"external_ref":%q,"email":%q}}`, id, customer, email)
}

// withCampaign starts the HTTP role with an active campaign on deliveries.
func withCampaign(t *testing.T) *apptest.Harness {
	t.Helper()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	ctx := context.Background()
	sv, err := h.App.Surveys.EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.App.Scheduler.CreateEventCampaign(ctx, scheduler.Campaign{Name: "after delivery", SurveyID: sv.ID,
		State: scheduler.StateActive, EventKinds: []string{"delivery"}}); err != nil {
		t.Fatal(err)
	}
	return h
}

func TestBatchStoresGoodRowsOnceAndReportsTheOthersByIndex(t *testing.T) {
	t.Parallel()
	h := withCampaign(t)
	api := h.API(t, users.Marketing)
	body := "[" + strings.Join([]string{
		event("b-1", "c-1", "a@example.com"),
		event("b-2", "c-2", "not-an-email"),
		event("b-3", "c-1", "a2@example.com"),
		event("b-1", "c-9", "z@example.com"), // repeats index 0
		`{"external_id":"b-4","kind":42,"occurred_at":"2026-11-20T10:00:00Z","customer":{"external_ref":"c-4","email":"d@example.com"}}`,
		`{"external_id":"b-5","kind":"delivery","colour":"red","occurred_at":"2026-11-20T10:00:00Z","customer":{"external_ref":"c-5","email":"e@example.com"}}`,
		`"not an object"`,
		strings.Replace(event("b-6", "c-6", "f@example.com"), "2026-11-20T10:00:00Z", "yesterday", 1),
		event("b-7", "c-7", "g@example.com"),
	}, ",\n") + "]"

	status, got := postBatch(t, api, h.URL, body)
	if status != http.StatusMultiStatus {
		t.Fatalf("status %d, want 207: %+v", status, got)
	}
	if got.Received != 9 || got.Stored != 3 || got.Duplicates != 1 || got.Rejected != 5 || got.Invitations != 3 {
		t.Errorf("counts %+v, want 9 received, 3 stored, 1 duplicate, 5 rejected, 3 invitations", got)
	}
	if !strings.Contains(got.Error, "5 of the 9 events") {
		t.Errorf("error %q does not sum up the refusal", got.Error)
	}
	wantErrors := []struct {
		index        int
		field, words string
	}{
		{1, "customer.email", `"not-an-email" is not an email address`},
		{4, "kind", "must be a string"},
		{5, "colour", "not a field of an event"},
		{6, "", "must be a JSON object"},
		{7, "occurred_at", "RFC 3339"},
	}
	if len(got.Errors) != len(wantErrors) {
		t.Fatalf("errors %+v, want %d", got.Errors, len(wantErrors))
	}
	for i, w := range wantErrors {
		e := got.Errors[i]
		if e.Index != w.index || e.Field != w.field || !strings.Contains(e.Error, w.words) {
			t.Errorf("error %d: %+v, want index %d field %q saying %q", i, e, w.index, w.field, w.words)
		}
	}
	if len(got.Duplicated) != 1 || got.Duplicated[0].Index != 3 || got.Duplicated[0].SameAs == nil || *got.Duplicated[0].SameAs != 0 || got.Duplicated[0].EventID == 0 {
		t.Errorf("duplicates %+v, want index 3 same as 0 with its event id", got.Duplicated)
	}

	if n := rows(t, h, "service_events"); n != 3 {
		t.Errorf("%d events stored, want 3", n)
	}
	if n := rows(t, h, "invitations"); n != 3 {
		t.Errorf("%d invitations, want 3", n)
	}
	// c-1 appears twice: one customer, with the later row's email; the
	// repeated b-1 (customer c-9) changed nothing.
	if n := rows(t, h, "customers"); n != 2 {
		t.Errorf("%d customers, want 2 (c-1, c-7)", n)
	}
	var email string
	if err := h.Schema.DB.Get(&email, `SELECT email FROM customers WHERE external_ref = 'c-1'`); err != nil || email != "a2@example.com" {
		t.Errorf("c-1 email %q (%v), want the last row's a2@example.com", email, err)
	}

	// The same batch again stores nothing and reports every valid row as a
	// duplicate of what is stored.
	status, again := postBatch(t, api, h.URL, body)
	if status != http.StatusMultiStatus || again.Stored != 0 || again.Duplicates != 4 || again.Rejected != 5 || again.Invitations != 0 {
		t.Errorf("resend: status %d %+v, want 207 with 0 stored, 4 duplicates, 5 rejected", status, again)
	}
	if n := rows(t, h, "service_events") + rows(t, h, "invitations"); n != 6 {
		t.Errorf("the resend stored something: %d events + invitations, want 6", n)
	}
}

func TestBatchResendIsIdempotent(t *testing.T) {
	t.Parallel()
	h := withCampaign(t)
	api := h.API(t, users.Marketing)
	var evs []string
	for i := 0; i < 500; i++ {
		evs = append(evs, event(fmt.Sprintf("r-%d", i), fmt.Sprintf("c-%d", i%100), fmt.Sprintf("p%d@example.com", i%100)))
	}
	body := "[" + strings.Join(evs, ",") + "]"
	status, first := postBatch(t, api, h.URL, body)
	if status != http.StatusAccepted || first.Stored != 500 || first.Invitations != 500 || len(first.Errors) != 0 || first.Error != "" {
		t.Fatalf("first: %d %+v", status, first)
	}
	status, second := postBatch(t, api, h.URL, body)
	if status != http.StatusAccepted || second.Stored != 0 || second.Duplicates != 500 || second.Invitations != 0 || len(second.Duplicated) != 500 {
		t.Fatalf("resend: %d stored %d duplicates %d", status, second.Stored, second.Duplicates)
	}
	for _, d := range second.Duplicated {
		if d.SameAs != nil || d.EventID == 0 {
			t.Fatalf("resent row %+v: want the stored event's id and no same_as", d)
		}
	}
	if e, c, i := rows(t, h, "service_events"), rows(t, h, "customers"), rows(t, h, "invitations"); e != 500 || c != 100 || i != 500 {
		t.Errorf("stored %d events, %d customers, %d invitations; want 500, 100, 500", e, c, i)
	}
}

func TestBatchRefusedWholeStoresNothing(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	api := h.API(t, users.Marketing)
	var big bytes.Buffer
	big.WriteString("[")
	for i := 0; i <= 10_000; i++ {
		if i > 0 {
			big.WriteString(",")
		}
		big.WriteString(event(fmt.Sprintf("big-%d", i), fmt.Sprintf("c-%d", i), "a@example.com"))
	}
	big.WriteString("]")

	cases := []struct {
		name   string
		body   string
		status int
		says   string
	}{
		{"10,001 events", big.String(), http.StatusRequestEntityTooLarge, "at most 10000 events"},
		{"empty", "[]", http.StatusBadRequest, "empty"},
		{"broken in the middle", "[" + event("x-1", "c", "a@example.com") + ", {\"external_id\": }]", http.StatusBadRequest, "malformed JSON"},
		{"cut short", "[" + event("x-1", "c", "a@example.com") + ",", http.StatusBadRequest, "ends in the middle"},
		{"two arrays", "[" + event("x-1", "c", "a@example.com") + "][]", http.StatusBadRequest, "single JSON array"},
		{"every event invalid", "[" + event("x-1", "c", "bad") + "," + event("", "c", "a@example.com") + "]", http.StatusBadRequest, "none of the 2 events"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, got := postBatch(t, api, h.URL, tc.body)
			if status != tc.status || !strings.Contains(got.Error, tc.says) {
				t.Errorf("status %d error %q, want %d saying %q", status, got.Error, tc.status, tc.says)
			}
		})
	}
	if c, e := rows(t, h, "customers"), rows(t, h, "service_events"); c != 0 || e != 0 {
		t.Errorf("refused batches stored %d customers and %d events", c, e)
	}

	// Exactly 10,000 is a batch.
	exact := strings.Replace(big.String(), ","+event("big-10000", "c-10000", "a@example.com"), "", 1)
	if status, got := postBatch(t, api, h.URL, exact); status != http.StatusAccepted || got.Stored != 10_000 {
		t.Errorf("10,000 events: %d %+v", status, got.Stored)
	}
}

// A value PostgreSQL cannot store (a NUL character) must reject its row,
// not fail the batch.
func TestBatchRowWithNULIsRejectedAlone(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	api := h.API(t, users.Marketing)
	body := "[" + event("n-1", "c-1", "a@example.com") + "," +
		strings.Replace(event("n-2", "c-2", "b@example.com"), `"kind"`, `"attributes":{"note":"a\u0000b"},"kind"`, 1) + "," +
		strings.Replace(event("n-3", "c-3", "c@example.com"), `"n-3"`, `"n-3\u0000"`, 1) + "]"
	status, got := postBatch(t, api, h.URL, body)
	if status != http.StatusMultiStatus || got.Stored != 1 || got.Rejected != 2 {
		t.Fatalf("status %d %+v, want 207 with 1 stored and 2 rejected", status, got)
	}
	if got.Errors[0].Index != 1 || got.Errors[0].Field != "attributes.note" || got.Errors[1].Index != 2 || got.Errors[1].Field != "external_id" {
		t.Errorf("errors %+v, want attributes.note at 1 and external_id at 2", got.Errors)
	}
	if n := rows(t, h, "service_events"); n != 1 {
		t.Errorf("%d events stored, want 1", n)
	}
}

// TestEveryEventIsCappedAt1MiB: an event over 1 MiB is refused on both
// routes: alone with 400, in a batch as its own rejected row, the others
// stored (the body's 64 MiB is no excuse for one event of 10).
func TestEveryEventIsCappedAt1MiB(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	api := h.API(t, users.Marketing)
	big := strings.Replace(event("big", "c-big", "big@example.com"), `"kind"`,
		`"attributes":{"blob":"`+strings.Repeat("x", 10<<20)+`"},"kind"`, 1)
	status, got := postBatch(t, api, h.URL, "["+event("b-1", "c-1", "a@example.com")+","+big+","+event("b-2", "c-2", "b@example.com")+"]")
	if status != http.StatusMultiStatus || got.Stored != 2 || got.Rejected != 1 {
		t.Fatalf("batch: %d %+v, want 207 with 2 stored and the big one rejected", status, got)
	}
	if e := got.Errors[0]; e.Index != 1 || e.ExternalID != "big" || !strings.Contains(e.Error, "larger than 1048576 bytes") {
		t.Errorf("rejection %+v, want index 1 (big) larger than 1048576 bytes", e)
	}
	// Just under the cap passes.
	fits := strings.Replace(event("fits", "c-3", "c@example.com"), `"kind"`,
		`"attributes":{"blob":"`+strings.Repeat("x", 1<<20-300)+`"},"kind"`, 1)
	if status, got := postBatch(t, api, h.URL, "["+fits+"]"); status != http.StatusAccepted || got.Stored != 1 {
		t.Errorf("an event just under 1 MiB: %d %+v, want 202", status, got)
	}
	resp, err := api.Post(h.URL+"/api/v1/events", "application/json", strings.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a single event of 10 MiB: %d, want 400", resp.StatusCode)
	}
	if n := rows(t, h, "service_events"); n != 3 {
		t.Errorf("%d events stored, want 3", n)
	}
}

// TestUnsendableRecipientsAreRefusedAtIntake: a customer the mailer could
// not write in a To line (a name closing its quotes, two addresses) is
// refused with the field named, alone (400) or in a batch (its row), and
// nothing of it is stored.
func TestUnsendableRecipientsAreRefusedAtIntake(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	api := h.API(t, users.Marketing)
	evil := strings.Replace(event("r-1", "c-1", "a@example.com"), `"email":"a@example.com"`,
		`"email":"a@example.com","name":"Eve\" <victim@evil.example>, \"x"`, 1)
	resp, err := api.Post(h.URL+"/api/v1/events", "application/json", strings.NewReader(evil))
	if err != nil {
		t.Fatal(err)
	}
	var single struct{ Error, Field string }
	_ = json.NewDecoder(resp.Body).Decode(&single)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || single.Field != "customer.name" {
		t.Errorf("one event: %d %+v, want 400 naming customer.name", resp.StatusCode, single)
	}
	status, got := postBatch(t, api, h.URL, "["+evil+","+event("r-2", "c-2", "b@example.com, c@example.com")+","+event("r-3", "c-3", "d@example.com")+"]")
	if status != http.StatusMultiStatus || got.Stored != 1 || len(got.Errors) != 2 ||
		got.Errors[0].Field != "customer.name" || got.Errors[1].Field != "customer.email" {
		t.Errorf("batch: %d %+v, want 207, customer.name at 0 and customer.email at 1", status, got)
	}
	if n := rows(t, h, "customers"); n != 1 {
		t.Errorf("%d customers stored, want 1", n)
	}
}
