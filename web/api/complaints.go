package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

func (s *Server) complaintRoutes(mux *web.Router) {
	mux = mux.Tokens() // the JSON API takes bearer tokens
	mux.HandleFunc("GET /api/v1/complaints", web.Roles(users.CX, users.Manager), s.listComplaints)
	mux.HandleFunc("GET /api/v1/complaints/{id}", web.Roles(users.CX, users.Manager), s.getComplaint)
}

// listComplaints lists complaints, most urgent first (overdue, then by
// priority and deadline), with the queue's counts. Filters: state (open,
// in_progress, resolved; comma-separated or repeated; default every state
// but resolved), priority (P1..P4, same), overdue (true/false), owner (me,
// unassigned or a user id), team, risk, signal, double_deviation (true),
// limit (1–1000).
func (s *Server) listComplaints(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	u, _ := web.UserFrom(r.Context())
	f, field, msg := web.ComplaintFilter(q, u)
	if msg != "" {
		web.WriteError(w, http.StatusBadRequest, field, msg)
		return
	}
	list, err := s.Complaints.List(r.Context(), f, s.Clock.Now())
	if err != nil {
		s.Log.Error("list complaints", "err", err)
		web.WriteServerError(w, err, "complaints could not be listed; retry later")
		return
	}
	counts, err := s.Complaints.Count(r.Context(), u.ID, s.Clock.Now())
	if err != nil {
		s.Log.Error("count complaints", "err", err)
		web.WriteServerError(w, err, "complaints could not be counted; retry later")
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"complaints": list, "counts": counts})
}

// getComplaint returns one complaint with the reply, its scores, signals
// and evidence, the risks, the assessment and advice, and the customer's
// history.
func (s *Server) getComplaint(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		web.WriteError(w, http.StatusBadRequest, "id", "the complaint id must be a positive whole number")
		return
	}
	d, err := s.Complaints.Detail(r.Context(), id, s.Clock.Now())
	if errors.Is(err, complaints.ErrNotFound) {
		web.WriteError(w, http.StatusNotFound, "", "no complaint with this id")
		return
	}
	if err != nil {
		s.Log.Error("get complaint", "id", id, "err", err)
		web.WriteServerError(w, err, "the complaint could not be read; retry later")
		return
	}
	if s.Corrections == nil {
		web.WriteJSON(w, http.StatusOK, d)
		return
	}
	// The corrections of the comment reading sit beside the detail's
	// fields, with which part of the reply decided it was negative.
	made, err := s.Corrections.List(r.Context(), d.Reply.ID)
	if err != nil {
		s.Log.Error("get complaint corrections", "id", id, "err", err)
		web.WriteServerError(w, err, "the complaint could not be read; retry later")
		return
	}
	var reasons []surveys.Reason
	_ = json.Unmarshal(d.Reply.Reasons, &reasons)
	base, err := json.Marshal(d)
	if err != nil {
		s.Log.Error("encode complaint", "id", id, "err", err)
		web.WriteServerError(w, err, "the complaint could not be read; retry later")
		return
	}
	more, _ := json.Marshal(map[string]any{"corrections": made, "decided_by": surveys.DecidedBy(reasons)})
	web.WriteJSON(w, http.StatusOK, json.RawMessage(append(append(base[:len(base)-1], ','), more[1:]...)))
}
