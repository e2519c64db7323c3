package api

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/followup/followup/ingest"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/web"
)

// batchRowError is one rejected event of a batch.
type batchRowError struct {
	// Index is the event's position in the posted array, from 0.
	Index      int    `json:"index"`
	ExternalID string `json:"external_id,omitempty"`
	Field      string `json:"field,omitempty"`
	Error      string `json:"error"`
}

// batchDuplicate is one event of a batch that was already stored, or
// repeats an earlier event of the same batch.
type batchDuplicate struct {
	Index      int    `json:"index"`
	ExternalID string `json:"external_id"`
	EventID    int64  `json:"event_id"`
	CustomerID int64  `json:"customer_id"`
	// SameAs is the index of the earlier event of this batch it repeats.
	SameAs *int `json:"same_as,omitempty"`
}

// batchAccepted is the answer to a batch.
type batchAccepted struct {
	// Error sums up a partial or total refusal; absent when all is well.
	Error       string           `json:"error,omitempty"`
	Received    int              `json:"received"`
	Stored      int              `json:"stored"`
	Duplicates  int              `json:"duplicates"`
	Rejected    int              `json:"rejected"`
	Invitations int              `json:"invitations_scheduled"`
	Errors      []batchRowError  `json:"errors"`
	Duplicated  []batchDuplicate `json:"duplicate_rows"`
}

// postEventBatch records a JSON array of 1 to ingest.MaxBatch events in one
// transaction. Valid events are stored, invalid ones reported by index and
// skipped:
//
//   - 202: every event is stored or was already stored;
//   - 207: some events are stored (or already were), the others rejected;
//   - 400: every event is rejected, or the body is not a JSON array of
//     objects; nothing is stored;
//   - 413: more than ingest.MaxBatch events, or a body over 64 MiB; nothing
//     is stored.
func (s *Server) postEventBatch(w http.ResponseWriter, r *http.Request, body *bufio.Reader) {
	rows, status, err := decodeBatch(body)
	if err != nil {
		web.WriteError(w, status, "", err.Error())
		return
	}
	rep, err := s.Ingest.Events(r.Context(), rows)
	if err != nil {
		s.Log.Error("record event batch", "events", len(rows), "err", err)
		web.WriteServerError(w, err, "the batch could not be stored, none of it; retry later")
		return
	}
	out := batchAccepted{Received: len(rows), Stored: rep.Stored, Duplicates: rep.Duplicates, Rejected: rep.Rejected,
		Invitations: rep.Scheduled, Errors: []batchRowError{}, Duplicated: []batchDuplicate{}}
	for _, row := range rep.Rows {
		switch row.Status {
		case ingest.Rejected:
			msg := row.Problem.Message
			if row.Problem.Field != "" {
				msg = row.Problem.Field + " " + msg
			}
			out.Errors = append(out.Errors, batchRowError{Index: row.Line, ExternalID: row.ID, Field: row.Problem.Field, Error: msg})
		case ingest.Duplicate:
			d := batchDuplicate{Index: row.Line, ExternalID: row.ID, EventID: row.EventID, CustomerID: row.CustomerID}
			if row.SameAs >= 0 {
				d.SameAs = &row.SameAs
			}
			out.Duplicated = append(out.Duplicated, d)
		}
	}
	status = http.StatusAccepted
	switch {
	case rep.Rejected == len(rows):
		status = http.StatusBadRequest
		out.Error = fmt.Sprintf("none of the %d events is valid, nothing was stored: see errors", len(rows))
	case rep.Rejected > 0:
		status = http.StatusMultiStatus
		out.Error = fmt.Sprintf("%d of the %d events are invalid and were not stored: see errors; the others were stored", rep.Rejected, len(rows))
	}
	web.WriteJSON(w, status, out)
}

// decodeBatch reads a JSON array of events, one at a time. An event whose
// fields have the wrong JSON types, or unknown fields, becomes a rejected
// row; a body that is not a JSON array at all is refused whole, with the
// status to answer.
func decodeBatch(body io.Reader) ([]ingest.EventRow, int, error) {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if _, err := dec.Token(); err != nil { // the '[' already peeked
		return nil, batchErrorStatus(err), describeBatchError(err)
	}
	rows := make([]ingest.EventRow, 0, 256)
	for dec.More() {
		if len(rows) == ingest.MaxBatch {
			return nil, http.StatusRequestEntityTooLarge,
				fmt.Errorf("a batch holds at most %d events and this one has more: nothing was stored; split it into smaller batches", ingest.MaxBatch)
		}
		row := ingest.EventRow{Line: len(rows)}
		var ev eventJSON
		start := dec.InputOffset()
		err := dec.Decode(&ev)
		switch {
		case err != nil && fatalJSONError(err):
			return nil, batchErrorStatus(err), fmt.Errorf("event %d: %w", len(rows), describeBatchError(err))
		case dec.InputOffset()-start > maxEventBytes:
			// Each event is capped as a single one is, in the stream too.
			row.Problem = &invalid.FieldError{Message: fmt.Sprintf("the event is larger than %d bytes (1 MiB), the most an event may be", maxEventBytes)}
		case err != nil:
			row.Problem = rowDecodeProblem(err)
		default:
			row.Problem = web.CheckJSONText(&ev)
		}
		if row.Problem == nil {
			row.In, row.Problem = ev.toInput()
		} else {
			row.In.ExternalID = ev.ExternalID
			if invalid.Text("external_id", ev.ExternalID) != nil || len(ev.ExternalID) > 200 {
				row.In.ExternalID = "" // not echoed back in the report
			}
		}
		rows = append(rows, row)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, batchErrorStatus(err), describeBatchError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, http.StatusBadRequest, errors.New("the body must hold a single JSON array")
	}
	if len(rows) == 0 {
		return nil, http.StatusBadRequest, fmt.Errorf("the batch is empty: send 1 to %d events", ingest.MaxBatch)
	}
	return rows, 0, nil
}

// rowDecodeProblem describes an event the decoder could not map onto an
// event: a field of the wrong JSON type, an unknown field, not an object.
func rowDecodeProblem(err error) *invalid.FieldError {
	field, derr := web.DescribeJSONError(err)
	msg := derr.Error()
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typ) && field == "":
		msg = "each event must be a JSON object"
	case strings.HasPrefix(msg, "unknown field"):
		msg = "is not a field of an event"
	default:
		msg = strings.TrimPrefix(msg, field+" ")
	}
	return &invalid.FieldError{Field: field, Message: msg}
}

// fatalJSONError is an error after which the decoder cannot go on: the
// body is not well-formed JSON, or is too large. Type mismatches and
// unknown fields leave the decoder at the next event.
func fatalJSONError(err error) bool {
	var syn *json.SyntaxError
	var tooBig *http.MaxBytesError
	return errors.As(err, &syn) || errors.As(err, &tooBig) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

func batchErrorStatus(err error) int {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

func describeBatchError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return fmt.Errorf("the body is larger than %d bytes: nothing was stored; send at most %d events per batch", tooBig.Limit, ingest.MaxBatch)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("the body ends in the middle of the JSON array: nothing was stored")
	}
	_, derr := web.DescribeJSONError(err)
	return derr
}
