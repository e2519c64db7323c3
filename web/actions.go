package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/followup/followup/reports"
)

// actionRoutes serve the action plans (managers change them; managers and
// the CX team read them).
func (s *Server) actionRoutes(mux *http.ServeMux) {
	if s.Reports == nil {
		return
	}
	mux.HandleFunc("GET /api/v1/action-plans", s.apiListActions)
	mux.HandleFunc("POST /api/v1/action-plans", s.apiCreateAction)
	mux.HandleFunc("GET /api/v1/action-plans/{id}", s.apiGetAction)
	mux.HandleFunc("PATCH /api/v1/action-plans/{id}", s.apiUpdateAction)
}

func (s *Server) apiListActions(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	f := reports.ActionFilter{State: v.Get("state"), CauseKind: v.Get("cause_kind"), DueBefore: v.Get("due_before")}
	if raw := v.Get("owner_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			writeError(w, http.StatusBadRequest, "owner_id", "owner_id must be a positive whole number")
			return
		}
		f.OwnerID = id
	}
	switch v.Get("open") {
	case "", "false":
	case "true":
		f.Open = true
	default:
		writeError(w, http.StatusBadRequest, "open", "open must be true or false")
		return
	}
	now, today := s.today()
	list, err := s.Reports.Actions(r.Context(), f, today)
	if s.reportError(w, err) {
		return
	}
	if v.Get("effectiveness") == "true" {
		for i := range list {
			e, err := s.Reports.Effectiveness(r.Context(), list[i], now, s.reportLocation())
			if s.reportError(w, err) {
				return
			}
			list[i].Effectiveness = &e
		}
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) apiCreateAction(w http.ResponseWriter, r *http.Request) {
	var in reports.ActionInput
	if field, err := decodeJSON(w, r, 64<<10, &in); err != nil {
		writeError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	var by int64
	if u, ok := userFrom(r.Context()); ok {
		by = u.ID
	}
	a, err := s.Reports.CreateAction(r.Context(), in, by, s.Clock.Now(), s.reportLocation())
	if s.reportError(w, err) {
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/action-plans/%d", a.ID))
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) apiGetAction(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	now, today := s.today()
	a, err := s.Reports.Action(r.Context(), id, today)
	if s.reportError(w, err) {
		return
	}
	e, err := s.Reports.Effectiveness(r.Context(), a, now, s.reportLocation())
	if s.reportError(w, err) {
		return
	}
	a.Effectiveness = &e
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) apiUpdateAction(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	var p reports.ActionPatch
	if field, err := decodeJSON(w, r, 64<<10, &p); err != nil {
		writeError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	a, err := s.Reports.UpdateAction(r.Context(), id, p, s.Clock.Now(), s.reportLocation())
	if s.reportError(w, err) {
		return
	}
	writeJSON(w, http.StatusOK, a)
}
