package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/users"
)

// ActorOf is the signed-in person acting on a complaint.
func ActorOf(u users.User) complaints.Actor {
	return complaints.Actor{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role)}
}

// Assignee finds the person a complaint is given to, by id or email.
func (s *Server) Assignee(r *http.Request, id int64, email string) (complaints.Actor, error) {
	var u users.User
	var err error
	switch {
	case id > 0:
		u, err = s.Users.Get(r.Context(), id)
	case strings.TrimSpace(email) != "":
		u, err = s.Users.ByEmail(r.Context(), strings.TrimSpace(email))
	default:
		return complaints.Actor{}, &invalid.FieldError{Field: "owner_id", Message: "say who will own the complaint: owner_id or owner_email"}
	}
	if errors.Is(err, users.ErrNotFound) || (err == nil && u.DisabledAt != nil) {
		return complaints.Actor{}, &invalid.FieldError{Field: "owner_id", Message: "no active user with this id or email"}
	}
	if err != nil {
		return complaints.Actor{}, err
	}
	return ActorOf(u), nil
}

// ParseCents reads an amount in currency units, with at most two decimals.
func ParseCents(raw string) (int64, error) {
	raw = strings.TrimSpace(strings.ReplaceAll(raw, ",", "."))
	whole, frac, _ := strings.Cut(raw, ".")
	if raw == "" || len(frac) > 2 || strings.ContainsAny(raw, "+-e") {
		return 0, fmt.Errorf("an amount such as 25 or 25.50 is expected, got %q", raw)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil && whole != "" {
		return 0, fmt.Errorf("an amount such as 25 or 25.50 is expected, got %q", raw)
	}
	f := int64(0)
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return 0, fmt.Errorf("an amount such as 25 or 25.50 is expected, got %q", raw)
		}
		if len(frac) == 1 {
			f *= 10
		}
	}
	if w > complaints.MaxCentsAct/100 {
		return 0, errors.New("this amount is implausibly large; check it")
	}
	return w*100 + f, nil
}

// ComplaintFilter reads the queue's filters from a query; msg says what is
// wrong with field when a value is not understood.
func ComplaintFilter(q url.Values, u users.User) (f complaints.Filter, field, msg string) {
	for _, st := range listParam(q["state"]) {
		if !slices.Contains(complaints.States, st) {
			return f, "state", "state must be one of " + strings.Join(complaints.States, ", ") + ", got " + strconv.Quote(st)
		}
		f.States = append(f.States, st)
	}
	for _, raw := range listParam(q["priority"]) {
		p, ok := complaints.ParsePriority(raw)
		if !ok {
			return f, "priority", "priority must be P1, P2, P3 or P4, got " + strconv.Quote(raw)
		}
		f.Priorities = append(f.Priorities, p)
	}
	if v := q.Get("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return f, "overdue", "overdue must be true or false"
		}
		f.Overdue = &b
	}
	switch v := q.Get("owner"); v {
	case "":
	case "me":
		f.OwnerID = u.ID
	case "unassigned", "none":
		f.Unassigned = true
	default:
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, "owner", "owner must be me, unassigned or a user id"
		}
		f.OwnerID = id
	}
	f.Team = strings.TrimSpace(q.Get("team"))
	if v := q.Get("risk"); v != "" {
		if !surveys.IsRisk(surveys.Risk(v)) {
			return f, "risk", "risk must be one of the 13 risks (knowledge, attitude, ..., operational), got " + strconv.Quote(v)
		}
		f.Risk = v
	}
	if v := q.Get("signal"); v != "" {
		if !slices.Contains(surveys.SignalKinds, surveys.SignalKind(v)) {
			return f, "signal", "signal must be one of legal, public, threat, incivility, leave, anger; got " + strconv.Quote(v)
		}
		f.Signal = v
	}
	if v := q.Get("double_deviation"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return f, "double_deviation", "double_deviation must be true or false"
		}
		f.DoubleDeviation = b
	}
	if v := q.Get("replied"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return f, "replied", "replied must be true or false"
		}
		f.CustomerReplied = b
	}
	if v := q.Get("q"); strings.TrimSpace(v) != "" {
		p, err := customers.SearchPattern(v)
		if err != nil {
			return f, "q", "q (the customer searched for): " + err.Error()
		}
		f.Customer = p
	}
	if v := q.Get("sort"); v != "" {
		if !slices.Contains(complaints.Sorts, v) {
			return f, "sort", "sort must be one of " + strings.Join(complaints.Sorts, ", ") + ", got " + strconv.Quote(v)
		}
		f.Sort = v
	}
	f.Limit = 100
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return f, "limit", "limit must be a whole number between 1 and 1000"
		}
		f.Limit = n
	}
	return f, "", ""
}

// listParam splits repeated and comma-separated query values.
func listParam(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}
