package api

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/followup/followup/privacy"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// customerRoutes serve the customers' data: reading it is the CX team's,
// the managers' and the admins' work; exporting and erasing it, and the
// audit of both, are the admins' alone.
func (s *Server) customerRoutes(mux *web.Router) {
	if s.Privacy == nil {
		return
	}
	readers := web.Roles(users.CX, users.Manager)
	mux.Tokens().HandleFunc("GET /api/v1/customers", readers, s.apiCustomers)
	mux.Tokens().HandleFunc("GET /api/v1/customers/{id}", readers, s.apiCustomer)
	mux.Tokens().HandleFunc("GET /api/v1/customers/{id}/export", web.Roles(), s.apiExportCustomer)
	mux.Tokens().HandleFunc("DELETE /api/v1/customers/{id}", web.Roles(), s.apiEraseCustomer)
	mux.Tokens().HandleFunc("GET /api/v1/audit", web.Roles(), s.apiAudit)
}

// apiCustomers lists customers, by offset: ?q= searches the exact external
// reference and part of the name or email (case and accents ignored);
// ?limit= (1–200, default 50) and ?offset= page. The answer is
// {"customers": [...], "next": "/api/v1/customers?…"}, next empty on the
// last page.
func (s *Server) apiCustomers(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, ok := intParam(w, q, "limit", 50, 1, 200)
	if !ok {
		return
	}
	offset, ok := intParam(w, q, "offset", 0, 0, math.MaxInt)
	if !ok {
		return
	}
	list, more, err := s.Customers.Page(r.Context(), q.Get("q"), limit, offset)
	if err != nil {
		s.problem(w, err, "list customers", "the customers could not be listed")
		return
	}
	next := ""
	if more {
		v := url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset + len(list))}}
		if q.Get("q") != "" {
			v.Set("q", q.Get("q"))
		}
		next = "/api/v1/customers?" + v.Encode()
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"customers": list, "next": next})
}

// apiCustomer shows what the product holds of one customer: the profile
// (suppression and erasure included) and their history.
func (s *Server) apiCustomer(w http.ResponseWriter, r *http.Request) {
	id, ok := customerID(w, r)
	if !ok {
		return
	}
	d, err := s.Privacy.Detail(r.Context(), id)
	if err != nil {
		s.problem(w, err, "show customer", "the customer could not be read")
		return
	}
	web.WriteJSON(w, http.StatusOK, d)
}

// apiExportCustomer answers one customer's data as one JSON document (a
// download: customer-ID.json), and records the export in the audit.
func (s *Server) apiExportCustomer(w http.ResponseWriter, r *http.Request) {
	id, ok := customerID(w, r)
	if !ok {
		return
	}
	e, err := s.Privacy.Export(r.Context(), actor(r), id)
	if err != nil {
		s.problem(w, err, "export customer", "the customer's data could not be exported")
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="customer-%d.json"`, id))
	web.WriteJSON(w, http.StatusOK, e)
}

// apiEraseCustomer erases one customer's personal data everywhere and
// answers what it did (privacy.Erased); erasing again answers 200 too,
// with already_erased.
func (s *Server) apiEraseCustomer(w http.ResponseWriter, r *http.Request) {
	id, ok := customerID(w, r)
	if !ok {
		return
	}
	out, err := s.Privacy.Erase(r.Context(), actor(r), id)
	if err != nil {
		s.problem(w, err, "erase customer", "the customer's data could not be erased")
		return
	}
	web.WriteJSON(w, http.StatusOK, out)
}

// apiAudit lists the latest exports and erases, newest first:
// {"entries": [...]}; ?customer_id= keeps one customer's, ?limit= (1–1000,
// default 200).
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cid, ok := intParam(w, q, "customer_id", 0, 1, math.MaxInt)
	if !ok {
		return
	}
	limit, ok := intParam(w, q, "limit", 200, 1, 1000)
	if !ok {
		return
	}
	list, err := s.Privacy.Audit(r.Context(), int64(cid), limit)
	if err != nil {
		s.problem(w, err, "read the audit", "the audit could not be read")
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"entries": list})
}

// problem answers err with its status: 4xx with the field at fault, 5xx
// logged.
func (s *Server) problem(w http.ResponseWriter, err error, doing, sorry string) {
	p := web.ProblemOf(err)
	if p.Status >= 500 {
		s.Log.Error(doing, "err", err)
		web.WriteServerError(w, err, sorry)
		return
	}
	web.WriteError(w, p.Status, p.Field, p.Message)
}

// actor is who asks, for the audit.
func actor(r *http.Request) privacy.Actor {
	u, _ := web.UserFrom(r.Context())
	return privacy.Actor{UserID: u.ID, Label: u.Email}
}

// customerID reads the {id} of the path, answering 400 when it is not a
// positive whole number.
func customerID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		web.WriteError(w, http.StatusBadRequest, "id", "the customer id must be a positive whole number")
		return 0, false
	}
	return id, true
}

// intParam reads a whole number from lo to hi from the query (def when
// absent), answering 400 naming it otherwise.
func intParam(w http.ResponseWriter, q url.Values, name string, def, lo, hi int) (int, bool) {
	raw := q.Get(name)
	if raw == "" {
		return def, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		msg := fmt.Sprintf("a whole number from %d to %d", lo, hi)
		if hi >= math.MaxInt32 {
			msg = fmt.Sprintf("a whole number, %d or more", lo)
		}
		web.WriteError(w, http.StatusBadRequest, name, msg)
		return 0, false
	}
	return n, true
}
