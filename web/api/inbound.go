package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/web"
)

// inboundRoutes serve the admins' list of the mail received that nothing
// matched, and its assignment to a complaint (two-way email).
func (s *Server) inboundRoutes(mux *web.Router) {
	if s.Inbound == nil || s.Mailbox == nil {
		return
	}
	mux.Tokens().HandleFunc("GET /api/v1/inbound/unmatched", web.Roles(), s.apiUnmatched)
	mux.Tokens().HandleFunc("POST /api/v1/inbound/{id}/assign", web.Roles(), s.apiAssignInbound)
}

// apiUnmatched lists the messages nothing matched (or that could not be
// parsed), newest first: {"messages": [...]}.
func (s *Server) apiUnmatched(w http.ResponseWriter, r *http.Request) {
	list, err := s.Inbound.UnmatchedList(r.Context(), 500)
	if err != nil {
		s.Log.Error("list unmatched mail", "err", err)
		web.WriteServerError(w, err, "the unmatched mail could not be listed")
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"messages": list})
}

// apiAssignInbound puts an unmatched message on a complaint's
// conversation: {"complaint_id": 42}.
func (s *Server) apiAssignInbound(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		web.WriteError(w, http.StatusBadRequest, "id", "the message id must be a positive whole number")
		return
	}
	var in struct {
		ComplaintID int64 `json:"complaint_id"`
	}
	if field, err := web.DecodeJSON(w, r, 4<<10, &in); err != nil {
		web.WriteError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	if in.ComplaintID <= 0 {
		web.WriteError(w, http.StatusBadRequest, "complaint_id", "the number of the complaint the message belongs to is required")
		return
	}
	u, _ := web.UserFrom(r.Context())
	if err := s.Mailbox.Assign(r.Context(), id, in.ComplaintID, u.Email); err != nil {
		switch p := web.ProblemOf(err); p.Status {
		case http.StatusNotFound:
			field := "id"
			if !errors.Is(err, inbound.ErrNotFound) {
				field = "complaint_id"
			}
			web.WriteError(w, p.Status, field, p.Message)
		case http.StatusConflict, http.StatusBadRequest, http.StatusForbidden:
			web.WriteError(w, p.Status, p.Field, p.Message)
		default:
			s.Log.Error("assign inbound message", "message", id, "complaint", in.ComplaintID, "err", err)
			web.WriteServerError(w, err, "the message could not be assigned")
		}
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "complaint_id": in.ComplaintID, "state": "routed"})
}
