package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/users"
)

// actorOf is the signed-in person acting on a complaint.
func actorOf(u users.User) complaints.Actor {
	return complaints.Actor{ID: u.ID, Email: u.Email, Name: u.Name, Role: string(u.Role)}
}

// assignee finds the person a complaint is given to, by id or email.
func (s *Server) assignee(r *http.Request, id int64, email string) (complaints.Actor, error) {
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
	return actorOf(u), nil
}

// parseCents reads an amount in currency units, with at most two decimals.
func parseCents(raw string) (int64, error) {
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
