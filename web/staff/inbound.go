package staff

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/web"
)

// inboundRoutes serve the admins' page of the mail received that nothing
// matched: read it, and put a message on the complaint it belongs to.
func (s *Server) inboundRoutes(mux *web.Router) {
	if s.Inbound == nil || s.Mailbox == nil {
		return
	}
	mux.HandleFunc("GET /admin/inbound", web.Roles(), s.pageUnmatched)
	mux.HandleFunc("POST /admin/inbound/{id}/assign", web.Roles(), s.pageAssignInbound)
}

type unmatchedPage struct {
	Messages []inbound.Unmatched
	// Assigned is the complaint the last message went to.
	Assigned int64
	// Problem is why message Failed was not assigned; Typed what was typed.
	Problem string
	Failed  int64
	Typed   string
}

func (s *Server) pageUnmatched(w http.ResponseWriter, r *http.Request) {
	page := unmatchedPage{}
	if n, err := strconv.ParseInt(r.URL.Query().Get("assigned"), 10, 64); err == nil && n > 0 {
		page.Assigned = n
	}
	s.renderUnmatched(w, r, http.StatusOK, page)
}

func (s *Server) renderUnmatched(w http.ResponseWriter, r *http.Request, status int, page unmatchedPage) {
	var err error
	if page.Messages, err = s.Inbound.UnmatchedList(r.Context(), 500); err != nil {
		s.StaffError(w, "list unmatched mail", err)
		return
	}
	s.RenderStaff(w, r, status, "admin_inbound", templates.T(web.StaffLocale(r), "inbound.title"), page)
}

func (s *Server) pageAssignInbound(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "unreadable form", http.StatusBadRequest)
		return
	}
	typed := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(r.PostForm.Get("complaint")), "#"))
	complaint, err := strconv.ParseInt(typed, 10, 64)
	if err != nil || complaint <= 0 {
		s.renderUnmatched(w, r, http.StatusUnprocessableEntity, unmatchedPage{Problem: templates.T(web.StaffLocale(r), "inbound.need_number"), Failed: id, Typed: typed})
		return
	}
	u, _ := web.UserFrom(r.Context())
	err = s.Mailbox.Assign(r.Context(), id, complaint, u.Email)
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/admin/inbound?assigned=%d", complaint), http.StatusSeeOther)
		return
	}
	p := web.ProblemOf(err)
	switch {
	case errors.Is(err, inbound.ErrNotFound):
		http.NotFound(w, r)
	case p.Status == http.StatusNotFound:
		s.renderUnmatched(w, r, http.StatusUnprocessableEntity, unmatchedPage{Problem: templates.T(web.StaffLocale(r), "inbound.no_complaint", complaint), Failed: id, Typed: typed})
	case p.Status == http.StatusConflict || p.Status == http.StatusBadRequest:
		s.renderUnmatched(w, r, http.StatusConflict, unmatchedPage{Problem: p.Message, Failed: id, Typed: typed})
	default:
		s.StaffError(w, "assign inbound message", err)
	}
}
