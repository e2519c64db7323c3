package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/followup/followup/complaints"
)

func (s *Server) complaintRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/complaints", s.listComplaints)
	mux.HandleFunc("GET /api/v1/complaints/{id}", s.getComplaint)
}

// listComplaints lists complaints, the nearest deadline first. Filters:
// state (open, in_progress, resolved; comma-separated or repeated; default
// every state but resolved), priority (P1..P4, same), overdue (true/false),
// limit (1–1000).
func (s *Server) listComplaints(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var f complaints.Filter
	for _, st := range listParam(q["state"]) {
		if !slices.Contains(complaints.States, st) {
			writeError(w, http.StatusBadRequest, "state", "state must be one of "+strings.Join(complaints.States, ", ")+", got "+strconv.Quote(st))
			return
		}
		f.States = append(f.States, st)
	}
	for _, raw := range listParam(q["priority"]) {
		p, ok := complaints.ParsePriority(raw)
		if !ok {
			writeError(w, http.StatusBadRequest, "priority", "priority must be P1, P2, P3 or P4, got "+strconv.Quote(raw))
			return
		}
		f.Priorities = append(f.Priorities, p)
	}
	if v := q.Get("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, "overdue", "overdue must be true or false")
			return
		}
		f.Overdue = &b
	}
	f.Limit = 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, http.StatusBadRequest, "limit", "limit must be a whole number between 1 and 1000")
			return
		}
		f.Limit = n
	}
	list, err := s.Complaints.List(r.Context(), f, s.Clock.Now())
	if err != nil {
		s.Log.Error("list complaints", "err", err)
		writeError(w, http.StatusInternalServerError, "", "complaints could not be listed; retry later")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"complaints": list})
}

// listParam splits repeated and comma-separated query values.
func listParam(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// getComplaint returns one complaint with the reply, its scores, signals
// and evidence, the risks, the assessment and advice, and the customer's
// history.
func (s *Server) getComplaint(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, "id", "the complaint id must be a positive whole number")
		return
	}
	d, err := s.Complaints.Detail(r.Context(), id, s.Clock.Now())
	if errors.Is(err, complaints.ErrNotFound) {
		writeError(w, http.StatusNotFound, "", "no complaint with this id")
		return
	}
	if err != nil {
		s.Log.Error("get complaint", "id", id, "err", err)
		writeError(w, http.StatusInternalServerError, "", "the complaint could not be read; retry later")
		return
	}
	writeJSON(w, http.StatusOK, d)
}
