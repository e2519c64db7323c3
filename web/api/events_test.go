package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/users"
)

func post(t *testing.T, c *http.Client, url, contentType, body string) (int, map[string]any) {
	t.Helper()
	resp, err := c.Post(url, contentType, bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

const goodEvent = `{"external_id":"e-1","kind":"delivery","occurred_at":"2026-11-20T10:00:00Z",
 "customer":{"external_ref":"c-1","email":"a@example.com","locale":"fr","time_zone":"Europe/Paris"}}`

func TestMalformedEventsAreRefusedAndNothingIsStored(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true}})
	api := h.API(t, users.Marketing)
	cases := []struct {
		name, contentType, body, field, says string
	}{
		{"not json", "application/json", `{"external_id": "e-1",`, "", "ends in the middle"},
		{"syntax error", "application/json", `{"external_id" "e-1"}`, "", "malformed JSON"},
		{"empty body", "application/json", ``, "", "empty"},
		{"two values", "application/json", goodEvent + goodEvent, "", "single JSON value"},
		{"wrong content type", "text/plain", goodEvent, "", "application/json"},
		{"unknown field", "application/json", strings.Replace(goodEvent, `"kind"`, `"colour":"red","kind"`, 1), "colour", "unknown field"},
		{"missing external id", "application/json", strings.Replace(goodEvent, `"external_id":"e-1",`, "", 1), "external_id", "required"},
		{"bad kind", "application/json", strings.Replace(goodEvent, `"delivery"`, `"Delivery Done!"`, 1), "kind", "lower-case"},
		{"kind of wrong type", "application/json", strings.Replace(goodEvent, `"delivery"`, `42`, 1), "kind", "must be a string"},
		{"bad time", "application/json", strings.Replace(goodEvent, `2026-11-20T10:00:00Z`, `20/11/2026`, 1), "occurred_at", "RFC 3339"},
		{"far future", "application/json", strings.Replace(goodEvent, `2026-11-20`, time.Now().AddDate(0, 1, 0).Format("2006-01-02"), 1), "occurred_at", "future"},
		{"missing customer email", "application/json", strings.Replace(goodEvent, `"email":"a@example.com",`, "", 1), "customer.email", "required"},
		{"bad email", "application/json", strings.Replace(goodEvent, `a@example.com`, `not-an-email`, 1), "customer.email", "not an email address"},
		{"email with header injection", "application/json", strings.Replace(goodEvent, `a@example.com`, `a@example.com\r\nBcc: x@evil.test`, 1), "customer.email", "not an email address"},
		{"unsupported locale", "application/json", strings.Replace(goodEvent, `"fr"`, `"de"`, 1), "customer.locale", "en or fr"},
		{"bad time zone", "application/json", strings.Replace(goodEvent, `Europe/Paris`, `Mars/Olympus`, 1), "customer.time_zone", "IANA time zone"},
		{"negative value", "application/json", strings.Replace(goodEvent, `"locale"`, `"annual_value_cents":-5,"locale"`, 1), "customer.annual_value_cents", "negative"},
		{"attributes not an object", "application/json", strings.Replace(goodEvent, `"kind"`, `"attributes":[1,2],"kind"`, 1), "attributes", "JSON object"},
		// Decoding reads these as U+FFFD; kept raw, PostgreSQL refused them (500).
		{"attributes with invalid UTF-8", "application/json", strings.Replace(goodEvent, `"kind"`, "\"attributes\":{\"order\":\"A\xff1\"},\"kind\"", 1), "attributes", "UTF-8"},
		{"attributes with a lone surrogate", "application/json", strings.Replace(goodEvent, `"kind"`, `"attributes":{"order":"A\ud800"},"kind"`, 1), "attributes", "surrogate"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := post(t, api, h.URL+"/api/v1/events", tc.contentType, tc.body)
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400 (%v)", status, body)
			}
			msg, _ := body["error"].(string)
			field, _ := body["field"].(string)
			if field != tc.field || !strings.Contains(msg, tc.says) {
				t.Errorf("got field %q error %q; want field %q and %q", field, msg, tc.field, tc.says)
			}
		})
	}
	if c, e := rows(t, h, "customers"), rows(t, h, "service_events"); c != 0 || e != 0 {
		t.Errorf("bad input stored %d customers and %d events", c, e)
	}

	// The good event is stored once, and updates the customer by reference.
	if status, body := post(t, api, h.URL+"/api/v1/events", "application/json", goodEvent); status != http.StatusAccepted || body["duplicate"] != false {
		t.Fatalf("good event: %d %v", status, body)
	}
	if status, body := post(t, api, h.URL+"/api/v1/events", "application/json", goodEvent); status != http.StatusAccepted || body["duplicate"] != true {
		t.Fatalf("resent event: %d %v", status, body)
	}
	second := strings.NewReplacer(`"e-1"`, `"e-2"`, `a@example.com`, `new@example.com`, `"locale":"fr"`, `"locale":"en","name":"Ann"`).Replace(goodEvent)
	if status, _ := post(t, api, h.URL+"/api/v1/events", "application/json", second); status != http.StatusAccepted {
		t.Fatalf("second event: %d", status)
	}
	var cust struct {
		Email, Locale, Name, TimeZone string
	}
	if err := h.Schema.DB.QueryRow(`SELECT email, locale, name, time_zone FROM customers`).Scan(&cust.Email, &cust.Locale, &cust.Name, &cust.TimeZone); err != nil {
		t.Fatal(err)
	}
	if cust.Email != "new@example.com" || cust.Locale != "en" || cust.Name != "Ann" || cust.TimeZone != "Europe/Paris" {
		t.Errorf("customer after update: %+v (time zone kept, the rest updated)", cust)
	}
	if c, e := rows(t, h, "customers"), rows(t, h, "service_events"); c != 1 || e != 2 {
		t.Errorf("stored %d customers and %d events, want 1 and 2", c, e)
	}
}
