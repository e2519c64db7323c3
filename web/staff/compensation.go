package staff

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// compensationRoutes serve the managers' approval queue: compensation above
// the advice or an agent's limit waits there until a manager approves or
// refuses it, with a reason.
func (s *Server) compensationRoutes(mux *web.Router) {
	mux.HandleFunc("GET /manager/compensation", web.Roles(users.Manager), s.pageApprovals)
	mux.HandleFunc("POST /manager/compensation/{grant}/{decision}", web.Roles(users.Manager), s.pageDecideGrant)
}

type approvalsPage struct {
	Pending []complaints.Grant
	// Report is compensation granted against advised per team and agent
	// over the last Days days.
	Report  []reports.CompensationRow
	Days    int
	Flash   string
	Problem string
	// Problem is about request Failed; Reason is what was typed.
	Failed int64
	Reason string
}

// reportDays is the period of the compensation report on the page.
const reportDays = 90

func (s *Server) pageApprovals(w http.ResponseWriter, r *http.Request) {
	var flash string
	if done := r.URL.Query().Get("done"); done == "approve" || done == "refuse" {
		flash = templates.T(web.StaffLocale(r), "comp.flash."+done)
	}
	s.renderApprovals(w, r, http.StatusOK, approvalsPage{Flash: flash})
}

func (s *Server) renderApprovals(w http.ResponseWriter, r *http.Request, status int, page approvalsPage) {
	var err error
	if page.Pending, err = s.Complaints.PendingGrants(r.Context()); err != nil {
		s.StaffError(w, "list compensation requests", err)
		return
	}
	if s.Reports != nil {
		now := s.Clock.Now()
		page.Days = reportDays
		if page.Report, err = s.Reports.Compensation(r.Context(), now.AddDate(0, 0, -reportDays), now.Add(time.Second)); err != nil {
			s.StaffError(w, "compensation report", err)
			return
		}
	}
	s.RenderStaff(w, r, status, "manager_compensation", templates.T(web.StaffLocale(r), "comp.title"), page)
}

func (s *Server) pageDecideGrant(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("grant"), 10, 64)
	decision := r.PathValue("decision")
	if err != nil || id <= 0 || (decision != "approve" && decision != "refuse") {
		http.NotFound(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "unreadable form", http.StatusBadRequest)
		return
	}
	u, _ := web.UserFrom(r.Context())
	reason := r.PostForm.Get("reason")
	_, err = s.Loop.DecideGrant(r.Context(), id, decision == "approve", reason, web.ActorOf(u))
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/manager/compensation?done=%s", decision), http.StatusSeeOther)
		return
	}
	p := web.ProblemOf(err)
	switch p.Status {
	case http.StatusNotFound:
		http.NotFound(w, r)
		return
	case http.StatusBadRequest, http.StatusConflict, http.StatusForbidden:
		s.renderApprovals(w, r, web.FormStatus(err), approvalsPage{Problem: templates.T(web.StaffLocale(r), "comp.not_done", p.Message), Failed: id, Reason: reason})
	default:
		s.StaffError(w, decision+" compensation", err)
	}
}
