package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

func (s *Server) complaintActionRoutes(mux *web.Router) {
	mux = mux.Tokens() // the JSON API takes bearer tokens
	mux.HandleFunc("POST /api/v1/complaints/{id}/take", web.Roles(users.CX, users.Manager), s.apiTake)
	mux.HandleFunc("POST /api/v1/complaints/{id}/assign", web.Roles(users.CX, users.Manager), s.apiAssign)
	mux.HandleFunc("POST /api/v1/complaints/{id}/notes", web.Roles(users.CX, users.Manager), s.apiNote)
	mux.HandleFunc("POST /api/v1/complaints/{id}/replies", web.Roles(users.CX, users.Manager), s.apiReply)
	mux.HandleFunc("POST /api/v1/complaints/{id}/compensation", web.Roles(users.CX, users.Manager), s.apiCompensate)
	mux.HandleFunc("POST /api/v1/complaints/{id}/resolve", web.Roles(users.CX, users.Manager), s.apiResolve)
	mux.HandleFunc("POST /api/v1/complaints/{id}/reopen", web.Roles(users.CX, users.Manager), s.apiReopen)
	mux.HandleFunc("PUT /api/v1/complaints/{id}/deviance", web.Roles(users.CX, users.Manager), s.apiDeviance)
	mux.HandleFunc("GET /api/v1/complaints/{id}/reply-draft", web.Roles(users.CX, users.Manager), s.apiReplyDraft)
}

// complaintAction decodes the body into in (when in is not nil), runs do
// as the signed-in person and answers with the complaint as it now is.
func (s *Server) complaintAction(w http.ResponseWriter, r *http.Request, in any, do func(id int64, by complaints.Actor) error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		web.WriteError(w, http.StatusBadRequest, "id", "the complaint id must be a positive whole number")
		return
	}
	if in != nil {
		if field, err := web.DecodeJSON(w, r, 64<<10, in); err != nil {
			web.WriteError(w, http.StatusBadRequest, field, err.Error())
			return
		}
	}
	u, _ := web.UserFrom(r.Context())
	if err := do(id, web.ActorOf(u)); err != nil {
		s.writeComplaintError(w, err)
		return
	}
	c, err := s.Complaints.Get(r.Context(), id, s.Clock.Now())
	if err != nil {
		s.writeComplaintError(w, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"complaint": c})
}

// writeComplaintError turns a complaint action's error into a status.
func (s *Server) writeComplaintError(w http.ResponseWriter, err error) {
	var rw *feedback.ReplyWarnings
	switch p := web.ProblemOf(err); p.Status {
	case http.StatusNotFound:
		web.WriteError(w, p.Status, "", "no complaint with this id")
	case http.StatusBadRequest, http.StatusConflict: // a field error, or a *complaints.ConflictError
		web.WriteError(w, p.Status, p.Field, p.Message)
	case http.StatusUnprocessableEntity:
		errors.As(err, &rw)
		web.WriteJSON(w, p.Status, map[string]any{
			"error":    "the reply was not sent: check the warnings, then send it again with \"confirm\": true",
			"field":    "body",
			"warnings": rw.Warnings,
		})
	default:
		s.Log.Error("complaint action", "err", err)
		web.WriteServerError(w, err, "the action could not be recorded; retry later")
	}
}

func (s *Server) apiTake(w http.ResponseWriter, r *http.Request) {
	s.complaintAction(w, r, nil, func(id int64, by complaints.Actor) error { return s.Loop.Take(r.Context(), id, by) })
}

type assignJSON struct {
	OwnerID    int64  `json:"owner_id"`
	OwnerEmail string `json:"owner_email"`
}

func (s *Server) apiAssign(w http.ResponseWriter, r *http.Request) {
	var in assignJSON
	s.complaintAction(w, r, &in, func(id int64, by complaints.Actor) error {
		to, err := s.Assignee(r, in.OwnerID, in.OwnerEmail)
		if err != nil {
			return err
		}
		return s.Loop.Assign(r.Context(), id, to, by)
	})
}

func (s *Server) apiNote(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Text string `json:"text"`
	}
	s.complaintAction(w, r, &in, func(id int64, by complaints.Actor) error { return s.Loop.Note(r.Context(), id, in.Text, by) })
}

func (s *Server) apiReply(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Subject string `json:"subject"`
		Body    string `json:"body"`
		Confirm bool   `json:"confirm"`
	}
	s.complaintAction(w, r, &in, func(id int64, by complaints.Actor) error {
		_, _, err := s.Loop.Reply(r.Context(), id, in.Subject, in.Body, in.Confirm, by)
		return err
	})
}

func (s *Server) apiCompensate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		// Amount is in currency units ("25" or "25.50").
		Amount string `json:"amount"`
		Note   string `json:"note"`
	}
	s.complaintAction(w, r, &in, func(id int64, by complaints.Actor) error {
		cents, err := web.ParseCents(in.Amount)
		if err != nil {
			return &invalid.FieldError{Field: "amount", Message: err.Error()}
		}
		_, err = s.Loop.Compensate(r.Context(), id, cents, in.Note, by)
		return err
	})
}

func (s *Server) apiResolve(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Summary string `json:"summary"`
	}
	s.complaintAction(w, r, &in, func(id int64, by complaints.Actor) error {
		_, err := s.Loop.Resolve(r.Context(), id, in.Summary, by)
		return err
	})
}

func (s *Server) apiReopen(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Reason string `json:"reason"`
	}
	s.complaintAction(w, r, &in, func(id int64, by complaints.Actor) error { return s.Loop.Reopen(r.Context(), id, in.Reason, by) })
}

func (s *Server) apiDeviance(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Form      []string `json:"form"`
		Substance string   `json:"substance"`
	}
	s.complaintAction(w, r, &in, func(id int64, by complaints.Actor) error {
		return s.Loop.SetDeviance(r.Context(), id, in.Form, in.Substance, by)
	})
}

// apiReplyDraft returns the reply template an agent starts from, in the
// customer's language (or ?locale=), with the steps it follows.
func (s *Server) apiReplyDraft(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		web.WriteError(w, http.StatusBadRequest, "id", "the complaint id must be a positive whole number")
		return
	}
	d, err := s.Complaints.Detail(r.Context(), id, s.Clock.Now())
	if err != nil {
		s.writeComplaintError(w, err)
		return
	}
	locale := d.Customer.Locale
	if v := r.URL.Query().Get("locale"); v != "" {
		l, ok := customers.NormalizeLocale(v)
		if !ok {
			web.WriteError(w, http.StatusBadRequest, "locale", "locale must be en or fr")
			return
		}
		locale = l
	}
	u, _ := web.UserFrom(r.Context())
	body, err := s.ReplyDraft(d, locale, u)
	if err != nil {
		s.writeComplaintError(w, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"locale": locale, "body": body, "steps": web.ReplySteps(locale),
		"warnings": complaints.CheckReply(body, d.Customer.Locale)})
}
