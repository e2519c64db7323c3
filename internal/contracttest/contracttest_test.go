package contracttest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/followup/followup/internal/contracttest"
)

// TestContractLoads: the contract is a valid OpenAPI 3.1 document.
func TestContractLoads(t *testing.T) {
	c := contracttest.MustLoad(t)
	if c.Doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi: %q, want 3.1.0", c.Doc.OpenAPI)
	}
}

// TestCheckCatchesWhatTheContractDoesNotSay: Check refuses answers the
// contract does not describe, and requests it refuses that the server
// took; it accepts refusals of bad requests in the Error schema.
func TestCheckCatchesWhatTheContractDoesNotSay(t *testing.T) {
	c := contracttest.MustLoad(t)
	req := func(method, path, body string, token bool) *http.Request {
		r, _ := http.NewRequest(method, "http://127.0.0.1:1"+path, strings.NewReader(body))
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		if token {
			r.Header.Set("Authorization", "Bearer fu_x")
		}
		return r
	}
	json := http.Header{"Content-Type": {"application/json"}}
	take := `{"complaint":{"id":1}}`
	for _, tc := range []struct {
		name    string
		r       *http.Request
		body    string
		status  int
		answer  string
		wantErr string // "" when the exchange is as the contract says
	}{
		{"a refusal as the contract says", req("POST", "/api/v1/complaints/1/notes", `{"text":1}`, true), `{"text":1}`, 400, `{"error":"text must be a string","field":"text","errors":[{"field":"text","message":"must be a string"}]}`, ""},
		{"no token, refused", req("GET", "/api/v1/complaints", "", false), "", 401, `{"error":"a valid API token is required"}`, ""},
		{"no token, yet served", req("GET", "/api/v1/complaints", "", false), "", 200, `{"complaints":[],"counts":{}}`, "refuses the request"},
		{"a body the contract refuses, yet taken", req("POST", "/api/v1/complaints/1/notes", `{"text":"x","colour":"red"}`, true), `{"text":"x","colour":"red"}`, 200, take, "refuses the request"},
		{"an undocumented status", req("POST", "/api/v1/complaints/1/take", "", true), "", 418, `{"error":"teapot"}`, "not as the contract says"},
		{"an error not in the Error schema", req("POST", "/api/v1/complaints/1/take", "", true), "", 409, `{"message":"taken"}`, "not as the contract says"},
		{"an answer missing a required field", req("POST", "/api/v1/complaints/1/take", "", true), "", 200, `{"state":"open"}`, "complaint"},
		{"an answer as the contract says", req("POST", "/api/v1/inbound/1/assign", `{"complaint_id":2}`, true), `{"complaint_id":2}`, 200, `{"id":1,"complaint_id":2,"state":"routed"}`, ""},
		{"an answer with a field the contract does not name", req("POST", "/api/v1/inbound/1/assign", `{"complaint_id":2}`, true), `{"complaint_id":2}`, 200, `{"id":1,"complaint_id":2,"state":"routed","colour":"red"}`, "does not document: /colour"},
		{"a path outside the contract, served", req("GET", "/api/v1/nothing", "", true), "", 200, `{}`, "not in the contract"},
		{"a path outside the contract, refused", req("GET", "/api/v1/nothing", "", true), "", 404, `{"error":"not found"}`, ""},
		{"a refusal of a path outside the contract, not an Error", req("GET", "/api/v1/nothing", "", true), "", 404, `not found`, "not JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := c.Check(tc.r, []byte(tc.body), tc.status, json, []byte(tc.answer))
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("unexpected mismatch: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want one saying %q", err, tc.wantErr)
			}
		})
	}
}
