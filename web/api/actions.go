package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/followup/followup/reports"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// actionRoutes serve the action plans through the API: every staff role
// reads them; managers create, change and delete them; an owner of any
// role moves their own plan's state and adds notes (PATCH with state and
// note). Other changes are 403.
func (s *Server) actionRoutes(mux *web.Router) {
	mux = mux.Tokens() // the JSON API takes bearer tokens
	if s.Reports == nil {
		return
	}
	mux.HandleFunc("GET /api/v1/action-plans", web.Roles(users.Roles...), s.apiListActions)
	mux.HandleFunc("POST /api/v1/action-plans", web.Roles(users.Roles...), s.apiCreateAction)
	mux.HandleFunc("GET /api/v1/action-plans/{id}", web.Roles(users.Roles...), s.apiGetAction)
	mux.HandleFunc("PATCH /api/v1/action-plans/{id}", web.Roles(users.Roles...), s.apiUpdateAction)
	mux.HandleFunc("DELETE /api/v1/action-plans/{id}", web.Roles(users.Roles...), s.apiDeleteAction)
}

func (s *Server) apiListActions(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	f := reports.ActionFilter{State: v.Get("state"), CauseKind: v.Get("cause_kind"), DueBefore: v.Get("due_before")}
	if raw := v.Get("owner_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			web.WriteError(w, http.StatusBadRequest, "owner_id", "owner_id must be a positive whole number")
			return
		}
		f.OwnerID = id
	}
	switch v.Get("mine") {
	case "", "false":
	case "true":
		if f.OwnerID != 0 {
			web.WriteError(w, http.StatusBadRequest, "mine", "give owner_id or mine, not both")
			return
		}
		u, _ := web.UserFrom(r.Context())
		f.OwnerID = u.ID
	default:
		web.WriteError(w, http.StatusBadRequest, "mine", "mine must be true or false")
		return
	}
	switch v.Get("open") {
	case "", "false":
	case "true":
		f.Open = true
	default:
		web.WriteError(w, http.StatusBadRequest, "open", "open must be true or false")
		return
	}
	now, today := s.Today()
	list, err := s.Reports.Actions(r.Context(), f, today)
	if s.reportError(w, err) {
		return
	}
	if v.Get("effectiveness") == "true" {
		for i := range list {
			e, err := s.Reports.Effectiveness(r.Context(), list[i], now, s.ReportZone())
			if s.reportError(w, err) {
				return
			}
			list[i].Effectiveness = &e
		}
	}
	web.WriteJSON(w, http.StatusOK, list)
}

func (s *Server) apiCreateAction(w http.ResponseWriter, r *http.Request) {
	var in reports.ActionInput
	if field, err := web.DecodeJSON(w, r, 64<<10, &in); err != nil {
		web.WriteError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	u, _ := web.UserFrom(r.Context())
	a, err := s.Reports.CreateAction(r.Context(), in, web.PlanActor(u), s.Clock.Now(), s.ReportZone())
	if s.reportError(w, err) {
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/action-plans/%d", a.ID))
	web.WriteJSON(w, http.StatusCreated, a)
}

func (s *Server) apiGetAction(w http.ResponseWriter, r *http.Request) {
	id, ok := web.PathID(w, r)
	if !ok {
		return
	}
	now, today := s.Today()
	a, err := s.Reports.Action(r.Context(), id, today)
	if s.reportError(w, err) {
		return
	}
	e, err := s.Reports.Effectiveness(r.Context(), a, now, s.ReportZone())
	if s.reportError(w, err) {
		return
	}
	a.Effectiveness = &e
	web.WriteJSON(w, http.StatusOK, a)
}

func (s *Server) apiUpdateAction(w http.ResponseWriter, r *http.Request) {
	id, ok := web.PathID(w, r)
	if !ok {
		return
	}
	var p reports.ActionPatch
	if field, err := web.DecodeJSON(w, r, 64<<10, &p); err != nil {
		web.WriteError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	u, _ := web.UserFrom(r.Context())
	a, err := s.Reports.UpdateAction(r.Context(), id, p, web.PlanActor(u), s.Clock.Now(), s.ReportZone())
	if s.reportError(w, err) {
		return
	}
	web.WriteJSON(w, http.StatusOK, a)
}

func (s *Server) apiDeleteAction(w http.ResponseWriter, r *http.Request) {
	id, ok := web.PathID(w, r)
	if !ok {
		return
	}
	u, _ := web.UserFrom(r.Context())
	if s.reportError(w, s.Reports.DeleteAction(r.Context(), id, web.PlanActor(u))) {
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
