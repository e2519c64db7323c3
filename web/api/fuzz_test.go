package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/ingest"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/web"
)

var fuzzNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

const fuzzEvent = `{"external_id":"ord-1","kind":"delivery","occurred_at":"2026-11-20T14:30:00Z","channel":"store",
"touchpoint":"checkout","team":"north","prejudice_cents":1200,"attributes":{"order":"A-1"},
"customer":{"external_ref":"c-1","email":"ana@example.com","name":"Ana","locale":"fr","time_zone":"Europe/Paris",
"segment":"retail","annual_value_cents":250000}}`

// FuzzEventJSON: any body of POST /api/v1/events (one event) is decoded and
// validated as the route does, without a panic; a refusal names the field
// at fault when validation refuses it; an accepted event, encoded again,
// is accepted again.
func FuzzEventJSON(f *testing.F) {
	for _, s := range []string{fuzzEvent, `{}`, `{"external_id":"a\u0000b"}`, `{"kind":7}`, `{"customer":{"email":"a@b@c"}}`,
		`{"attributes":[1]}`, `{"occurred_at":"2026-02-30T00:00:00Z"}`, "{\"external_id\":\"\xff\"}", `{"unknown":1}`, `null`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, fe, decoded := decodeEvent(body)
		if !decoded {
			return
		}
		if fe != nil {
			if fe.Field == "" || fe.Message == "" {
				t.Fatalf("refused without naming the field: %+v for %q", fe, body)
			}
			return
		}
		again, err := json.Marshal(eventJSON{EventInput: in, OccurredAt: in.OccurredAt.Format(time.RFC3339Nano)})
		if err != nil {
			t.Fatalf("encode an accepted event: %v", err)
		}
		if _, fe, ok := decodeEvent(again); !ok || fe != nil {
			t.Fatalf("accepted %q, then refused its own encoding %s: %+v", body, again, fe)
		}
	})
}

// decodeEvent runs what postEvent runs on one event; decoded is false for
// a body the route refuses before validation (malformed JSON, unknown
// field, wrong type).
func decodeEvent(body []byte) (ev customers.EventInput, fe *invalid.FieldError, decoded bool) {
	r := httptest.NewRequest(http.MethodPost, "/api/v1/events", bytes.NewReader(body))
	var in eventJSON
	if _, err := web.DecodeJSON(httptest.NewRecorder(), r, maxEventBytes, &in); err != nil {
		return customers.EventInput{}, nil, false
	}
	input, fe := in.toInput()
	if fe == nil {
		fe = input.Validate(fuzzNow)
	}
	return input, fe, true
}

// FuzzDecodeBatch: any body starting with '[' is decoded as the batch route
// does, without a panic: either refused whole with 400 or 413, or one row
// per event, in order, each read or rejected with its problem; the rows
// then go through the batch's validation without a panic.
func FuzzDecodeBatch(f *testing.F) {
	for _, s := range []string{"[" + fuzzEvent + "]", "[" + fuzzEvent + "," + fuzzEvent + "]", `[]`, `[1, "a", null, {}]`,
		`[{"kind":7},{"external_id":"x"}]`, `[{`, `[]]`, `[] []`, "[{\"external_id\":\"\xff\u0000\"}]", `[{"unknown":1}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		trimmed := bytes.TrimLeft(body, " \t\r\n")
		if len(trimmed) == 0 || trimmed[0] != '[' {
			return // the single-event route takes it
		}
		rows, status, err := decodeBatch(bytes.NewReader(body))
		if err != nil {
			if status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge {
				t.Fatalf("refused with status %d: %v", status, err)
			}
			if rows != nil {
				t.Fatalf("refused, yet %d rows", len(rows))
			}
			return
		}
		if len(rows) == 0 || len(rows) > ingest.MaxBatch {
			t.Fatalf("%d rows accepted", len(rows))
		}
		for i, row := range rows {
			if row.Line != i {
				t.Fatalf("row %d has line %d", i, row.Line)
			}
			if row.Problem == nil {
				if fe := row.In.Validate(fuzzNow); fe != nil && (fe.Field == "" || fe.Message == "") {
					t.Fatalf("row %d refused without naming the field: %+v", i, fe)
				}
			} else if row.Problem.Message == "" {
				t.Fatalf("row %d rejected without a reason", i)
			}
		}
	})
}
