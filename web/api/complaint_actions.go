package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/reports"
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
	mux.HandleFunc("GET /api/v1/complaints/{id}/compensation", web.Roles(users.CX, users.Manager), s.apiGrants)
	mux.HandleFunc("GET /api/v1/compensation/pending", web.Roles(users.Manager), s.apiPendingGrants)
	if s.Reports != nil {
		mux.HandleFunc("GET /api/v1/compensation/report", web.Roles(users.Manager), s.apiCompensationReport)
	}
	mux.HandleFunc("POST /api/v1/compensation/{grant}/approve", web.Roles(users.Manager), s.apiDecideGrant(true))
	mux.HandleFunc("POST /api/v1/compensation/{grant}/refuse", web.Roles(users.Manager), s.apiDecideGrant(false))
}

// complaintAction decodes the body into in (when in is not nil), runs do
// as the signed-in person and answers with the complaint as it now is.
// extra, when given, adds to the answer what the action returned.
func (s *Server) complaintAction(w http.ResponseWriter, r *http.Request, in any, do func(id int64, by complaints.Actor) error, extra ...func(map[string]any)) {
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
	out := map[string]any{"complaint": c}
	for _, f := range extra {
		f(out)
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// writeComplaintError turns a complaint action's error into a status.
func (s *Server) writeComplaintError(w http.ResponseWriter, err error) {
	var rw *feedback.ReplyWarnings
	switch p := web.ProblemOf(err); p.Status {
	case http.StatusNotFound:
		web.WriteError(w, p.Status, "", "no complaint with this id")
	case http.StatusBadRequest, http.StatusConflict, http.StatusForbidden: // a field error, a *complaints.ConflictError or NotAllowedError
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

// apiCompensate grants compensation, or asks a manager to approve it:
// the answer says which ("compensation": {"pending": true, "why": ...}).
func (s *Server) apiCompensate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		// Amount is in currency units ("25" or "25.50").
		Amount string `json:"amount"`
		// Currency is optional: the customer's (or the configured one).
		Currency string `json:"currency"`
		Note     string `json:"note"`
	}
	var g complaints.Granted
	s.complaintAction(w, r, &in, func(id int64, by complaints.Actor) error {
		cents, err := web.ParseCents(in.Amount)
		if err != nil {
			return &invalid.FieldError{Field: "amount", Message: err.Error()}
		}
		g, err = s.Loop.Compensate(r.Context(), id, cents, in.Currency, in.Note, by)
		return err
	}, func(out map[string]any) {
		out["compensation"] = map[string]any{"grant_id": g.GrantID, "pending": g.Pending, "why": g.Why,
			"currency": g.Currency, "total_cents": g.TotalCents}
	})
}

// apiGrants lists a complaint's compensation requests and their decisions.
func (s *Server) apiGrants(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		web.WriteError(w, http.StatusBadRequest, "id", "the complaint id must be a positive whole number")
		return
	}
	list, err := s.Complaints.Grants(r.Context(), id)
	if err != nil {
		s.writeComplaintError(w, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"grants": nonNil(list)})
}

// apiPendingGrants is the managers' approval queue.
func (s *Server) apiPendingGrants(w http.ResponseWriter, r *http.Request) {
	list, err := s.Complaints.PendingGrants(r.Context())
	if err != nil {
		s.writeComplaintError(w, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"pending": nonNil(list)})
}

// apiCompensationReport is compensation granted against advised per team
// and agent over ?days= (90 by default, 1 to 730).
func (s *Server) apiCompensationReport(w http.ResponseWriter, r *http.Request) {
	days := 90
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 730 {
			web.WriteError(w, http.StatusBadRequest, "days", "days is a whole number from 1 to 730")
			return
		}
		days = n
	}
	now := s.Clock.Now()
	rows, err := s.Reports.Compensation(r.Context(), now.AddDate(0, 0, -days), now.Add(time.Second))
	if err != nil {
		s.writeComplaintError(w, err)
		return
	}
	if rows == nil {
		rows = []reports.CompensationRow{}
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"days": days, "rows": rows})
}

func nonNil(list []complaints.Grant) []complaints.Grant {
	if list == nil {
		return []complaints.Grant{}
	}
	return list
}

// apiDecideGrant approves or refuses a waiting grant, with {"reason": ...}.
func (s *Server) apiDecideGrant(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("grant"), 10, 64)
		if err != nil || id <= 0 {
			web.WriteError(w, http.StatusBadRequest, "grant", "the request id must be a positive whole number")
			return
		}
		var in struct {
			Reason string `json:"reason"`
		}
		if field, err := web.DecodeJSON(w, r, 64<<10, &in); err != nil {
			web.WriteError(w, http.StatusBadRequest, field, err.Error())
			return
		}
		u, _ := web.UserFrom(r.Context())
		d, err := s.Loop.DecideGrant(r.Context(), id, approve, in.Reason, web.ActorOf(u))
		if err != nil {
			if errors.Is(err, complaints.ErrGrantNotFound) {
				web.WriteError(w, http.StatusNotFound, "", "no compensation request with this id")
				return
			}
			s.writeComplaintError(w, err)
			return
		}
		list, err := s.Complaints.Grants(r.Context(), d.ComplaintID)
		if err != nil {
			s.writeComplaintError(w, err)
			return
		}
		web.WriteJSON(w, http.StatusOK, map[string]any{"complaint_id": d.ComplaintID, "message_id": d.MessageID, "grants": nonNil(list)})
	}
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
