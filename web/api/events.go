package api

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// Body limits of POST /api/v1/events.
const (
	maxEventBytes = 1 << 20
	maxBatchBytes = 64 << 20
)

// eventJSON is an event as posted: occurred_at is read as text so a bad
// time is reported against its field.
type eventJSON struct {
	customers.EventInput
	OccurredAt string `json:"occurred_at"`
}

func (e *eventJSON) toInput() (customers.EventInput, *invalid.FieldError) {
	in := e.EventInput
	t, fe := customers.ParseOccurredAt(e.OccurredAt)
	in.OccurredAt = t
	return in, fe
}

func (s *Server) eventRoutes(mux *web.Router) {
	mux = mux.Tokens() // the JSON API takes bearer tokens
	mux.HandleFunc("POST /api/v1/events", web.Roles(users.Marketing), s.postEvent)
}

type eventAccepted struct {
	EventID     int64 `json:"event_id"`
	CustomerID  int64 `json:"customer_id"`
	Duplicate   bool  `json:"duplicate"`
	Invitations int   `json:"invitations_scheduled"`
}

// postEvent records one service event and its customer, or a batch of
// them when the body is a JSON array (see postEventBatch). One event: 202
// when stored (or already stored: the external id makes it idempotent), 400
// naming the field at fault otherwise, with nothing stored.
func (s *Server) postEvent(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		web.WriteError(w, http.StatusBadRequest, "", fmt.Sprintf("content type must be application/json, got %q", ct))
		return
	}
	body := bufio.NewReaderSize(http.MaxBytesReader(w, r.Body, maxBatchBytes), 64<<10)
	if firstNonSpace(body) == '[' {
		s.postEventBatch(w, r, body)
		return
	}
	r.Body = io.NopCloser(body)
	var ev eventJSON
	if field, err := web.DecodeJSON(w, r, maxEventBytes, &ev); err != nil {
		web.WriteError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	in, fe := ev.toInput()
	if fe == nil {
		fe = in.Validate(s.Clock.Now())
	}
	if fe != nil {
		web.WriteError(w, http.StatusBadRequest, fe.Field, fe.Field+" "+fe.Message)
		return
	}
	acc, err := s.Intake.Record(r.Context(), in)
	if err != nil {
		s.Log.Error("record event", "external_id", in.ExternalID, "err", err)
		web.WriteServerError(w, err, "the event could not be stored; retry later")
		return
	}
	web.WriteJSON(w, http.StatusAccepted, eventAccepted{
		EventID: acc.EventID, CustomerID: acc.CustomerID, Duplicate: !acc.Created, Invitations: acc.Invitations,
	})
}

// firstNonSpace peeks at the first byte of the body that is not JSON white
// space, consuming only the white space; 0 when there is none.
func firstNonSpace(br *bufio.Reader) byte {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			_, _ = br.ReadByte()
		default:
			return b[0]
		}
	}
}
