package staff

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// attachmentRoutes serve the files customers sent with their emails, to
// the staff who may read the message: a complaint's to the CX team and
// managers, an unmatched message's to the admins. Each is a download
// (web.ServeAttachment), never a page.
func (s *Server) attachmentRoutes(mux *web.Router) {
	if s.Inbound == nil {
		return
	}
	mux.HandleFunc("GET /cx/complaints/{id}/attachments/{aid}", web.Roles(users.CX, users.Manager), s.pageComplaintAttachment)
	mux.HandleFunc("GET /admin/inbound/{id}/attachments/{aid}", web.Roles(), s.pageInboundAttachment)
}

func (s *Server) pageComplaintAttachment(w http.ResponseWriter, r *http.Request) {
	id, aid, ok := attachmentPath(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	a, err := s.Inbound.ComplaintAttachment(r.Context(), id, aid)
	s.serveAttachment(w, r, a, err)
}

func (s *Server) pageInboundAttachment(w http.ResponseWriter, r *http.Request) {
	id, aid, ok := attachmentPath(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	a, err := s.Inbound.Attachment(r.Context(), id, aid)
	s.serveAttachment(w, r, a, err)
}

func (s *Server) serveAttachment(w http.ResponseWriter, r *http.Request, a inbound.StoredAttachment, err error) {
	switch {
	case errors.Is(err, inbound.ErrNoAttachment):
		http.NotFound(w, r)
	case err != nil:
		s.StaffError(w, "read attachment", err)
	default:
		web.ServeAttachment(w, a)
	}
}

// attachmentPath reads {id} (the complaint or message) and {aid} (the
// attachment).
func attachmentPath(r *http.Request) (id, aid int64, ok bool) {
	id, err1 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	aid, err2 := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	return id, aid, err1 == nil && err2 == nil && id > 0 && aid > 0
}
