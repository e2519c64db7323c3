package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/followup/followup/complaints"
)

func (s *Server) complaintRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/complaints", s.listComplaints)
	mux.HandleFunc("GET /api/v1/complaints/{id}", s.getComplaint)
}

// listComplaints lists open complaints, the most urgent deadline first.
func (s *Server) listComplaints(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, http.StatusBadRequest, "limit", "limit must be a whole number between 1 and 1000")
			return
		}
		limit = n
	}
	list, err := s.Complaints.ListOpen(r.Context(), limit)
	if err != nil {
		s.Log.Error("list complaints", "err", err)
		writeError(w, http.StatusInternalServerError, "", "complaints could not be listed; retry later")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"complaints": list})
}

func (s *Server) getComplaint(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, "id", "the complaint id must be a positive whole number")
		return
	}
	c, err := s.Complaints.Get(r.Context(), id)
	if errors.Is(err, complaints.ErrNotFound) {
		writeError(w, http.StatusNotFound, "", "no complaint with this id")
		return
	}
	if err != nil {
		s.Log.Error("get complaint", "id", id, "err", err)
		writeError(w, http.StatusInternalServerError, "", "the complaint could not be read; retry later")
		return
	}
	writeJSON(w, http.StatusOK, c)
}
