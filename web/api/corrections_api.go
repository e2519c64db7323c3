package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/followup/followup/corrections"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// correctionAPIRoutes serve the agents' corrections of the comment reading
// through the API; they are the CX team's.
func (s *Server) correctionAPIRoutes(mux *web.Router) {
	if s.Corrections == nil {
		return
	}
	mux.Tokens().HandleFunc("POST /api/v1/responses/{id}/corrections", web.Roles(users.CX, users.Manager), s.apiCorrect)
}

// apiCorrect records a correction of a reply's comment reading:
// {"kind": "missed_public"}. 201 with the correction stored; 200 with the
// same when the reply already had it.
func (s *Server) apiCorrect(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		web.WriteError(w, http.StatusBadRequest, "id", "the response id must be a positive whole number")
		return
	}
	var in struct {
		Kind string `json:"kind"`
	}
	if field, err := web.DecodeJSON(w, r, 4<<10, &in); err != nil {
		web.WriteError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	u, _ := web.UserFrom(r.Context())
	added, err := s.Corrections.Add(r.Context(), id, u.ID, corrections.Kind(strings.TrimSpace(in.Kind)), s.Clock.Now())
	if err != nil {
		status, field, msg := s.CorrectionError(err)
		web.WriteError(w, status, field, msg)
		return
	}
	status := http.StatusOK
	if added.Created {
		status = http.StatusCreated
	}
	var opened *int64
	if added.Opened != nil {
		opened = &added.Opened.ID
	}
	web.WriteJSON(w, status, map[string]any{"correction": added.Correction, "created": added.Created, "opened_complaint_id": opened})
}
