package web

import (
	"net/http"
	"time"

	"github.com/followup/followup/customers"
)

// eventJSON is an event as posted: occurred_at is read as text so a bad
// time is reported against its field.
type eventJSON struct {
	customers.EventInput
	OccurredAt string `json:"occurred_at"`
}

func (e *eventJSON) toInput() (customers.EventInput, *customers.FieldError) {
	in := e.EventInput
	if e.OccurredAt == "" {
		return in, &customers.FieldError{Field: "occurred_at", Message: "is required, as an RFC 3339 time such as 2026-11-20T14:30:00Z"}
	}
	t, err := time.Parse(time.RFC3339Nano, e.OccurredAt)
	if err != nil {
		return in, &customers.FieldError{Field: "occurred_at", Message: "must be an RFC 3339 time such as 2026-11-20T14:30:00Z"}
	}
	in.OccurredAt = t
	return in, nil
}

func (s *Server) eventRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/v1/events", s.postEvent)
}

type eventAccepted struct {
	EventID     int64 `json:"event_id"`
	CustomerID  int64 `json:"customer_id"`
	Duplicate   bool  `json:"duplicate"`
	Invitations int   `json:"invitations_scheduled"`
}

// postEvent records one service event and its customer: 202 when stored
// (or already stored: the external id makes it idempotent), 400 naming the
// field at fault otherwise, with nothing stored.
func (s *Server) postEvent(w http.ResponseWriter, r *http.Request) {
	var body eventJSON
	if field, err := decodeJSON(w, r, 1<<20, &body); err != nil {
		writeError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	in, fe := body.toInput()
	if fe == nil {
		fe = in.Validate(s.Clock.Now())
	}
	if fe != nil {
		writeError(w, http.StatusBadRequest, fe.Field, fe.Field+" "+fe.Message)
		return
	}
	acc, err := s.Intake.Record(r.Context(), in)
	if err != nil {
		s.Log.Error("record event", "external_id", in.ExternalID, "err", err)
		writeError(w, http.StatusInternalServerError, "", "the event could not be stored; retry later")
		return
	}
	writeJSON(w, http.StatusAccepted, eventAccepted{
		EventID: acc.EventID, CustomerID: acc.CustomerID, Duplicate: !acc.Created, Invitations: acc.Invitations,
	})
}
