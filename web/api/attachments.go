package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// attachmentRoutes serve the files customers sent with their emails to
// the holders of a token that may read the message: a complaint's to cx
// and manager tokens, an unmatched message's to admin tokens. The ids come
// from the conversation of GET /api/v1/complaints/{id} and from GET
// /api/v1/inbound/unmatched. Each answer is a download
// (web.ServeAttachment); errors are JSON.
func (s *Server) attachmentRoutes(mux *web.Router) {
	if s.Inbound == nil {
		return
	}
	mux = mux.Tokens()
	mux.HandleFunc("GET /api/v1/complaints/{id}/attachments/{aid}", web.Roles(users.CX, users.Manager), s.apiComplaintAttachment)
	mux.HandleFunc("GET /api/v1/inbound/{id}/attachments/{aid}", web.Roles(), s.apiInboundAttachment)
}

func (s *Server) apiComplaintAttachment(w http.ResponseWriter, r *http.Request) {
	id, aid, ok := s.attachmentPath(w, r)
	if !ok {
		return
	}
	a, err := s.Inbound.ComplaintAttachment(r.Context(), id, aid)
	s.serveAttachment(w, a, err, "this complaint has no such attachment")
}

func (s *Server) apiInboundAttachment(w http.ResponseWriter, r *http.Request) {
	id, aid, ok := s.attachmentPath(w, r)
	if !ok {
		return
	}
	a, err := s.Inbound.Attachment(r.Context(), id, aid)
	s.serveAttachment(w, a, err, "this message has no such attachment")
}

func (s *Server) serveAttachment(w http.ResponseWriter, a inbound.StoredAttachment, err error, missing string) {
	switch {
	case errors.Is(err, inbound.ErrNoAttachment):
		web.WriteError(w, http.StatusNotFound, "aid", missing)
	case err != nil:
		s.Log.Error("read attachment", "err", err)
		web.WriteServerError(w, err, "the attachment could not be read; retry later")
	default:
		web.ServeAttachment(w, a)
	}
}

func (s *Server) attachmentPath(w http.ResponseWriter, r *http.Request) (id, aid int64, ok bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		web.WriteError(w, http.StatusBadRequest, "id", "the id must be a positive whole number")
		return 0, 0, false
	}
	aid, err = strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil || aid <= 0 {
		web.WriteError(w, http.StatusBadRequest, "aid", "the attachment id must be a positive whole number")
		return 0, 0, false
	}
	return id, aid, true
}
