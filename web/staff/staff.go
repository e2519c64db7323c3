// Package staff serves the staff's pages, behind a session and the CSRF
// token of its forms: marketing's campaign pages and survey editor; the CX
// team's queue, complaint page, replies list and corrections of the comment
// reading; the managers' reports, weekly report and barometer; the action
// plans every staff member reads; and, for admins, the asynq dashboard
// (/admin/queues/), whose own scripts' writes are checked for same origin
// instead of the token. Every route declares the roles it needs. It writes no
// table of its own: the domain stores do.
package staff

import "github.com/followup/followup/web"

// Server serves the staff's pages with the dependencies of the web core.
type Server struct{ *web.Server }

// Routes registers the staff's pages; it is a web.Audience.
func Routes(mux *web.Router, core *web.Server) {
	s := &Server{core}
	s.cxRoutes(mux)
	s.correctionRoutes(mux)
	s.marketingRoutes(mux)
	s.cronRoutes(mux)
	s.surveyEditorRoutes(mux)
	s.actionPageRoutes(mux)
	s.managerRoutes(mux)
	s.compensationRoutes(mux)
	s.labelRoutes(mux)
	s.inboundRoutes(mux)
	s.attachmentRoutes(mux)
	if s.Queues != nil {
		// Admins only. The dashboard's buttons (pause a queue, delete or
		// run a task) call its API with fetch(), which cannot carry our
		// CSRF token: its writes are checked for same origin instead.
		mux.HandleSameOrigin("/admin/queues/", web.Roles(), s.Queues)
	}
}
