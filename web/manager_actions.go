package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/followup/followup/reports"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/users"
)

type ownerChoice struct {
	ID    int64
	Label string
}

type actionsPage struct {
	Open, Closed []reports.ActionPlan
	Form         reports.ActionInput
	Errors       map[string]string
	Owners       []ownerChoice
	Risks        []surveys.Risk
	Flash        string
}

type actionPage struct {
	Action        reports.ActionPlan
	Effectiveness reports.Effectiveness
	Chart         string
	Owners        []ownerChoice
	States        []string
	Errors        map[string]string
	Flash         string
}

// owners are the people who can own an action: anyone who can sign in.
func (s *Server) owners(r *http.Request) ([]ownerChoice, error) {
	list, err := s.Users.ByRole(r.Context(), users.Roles...)
	if err != nil {
		return nil, err
	}
	out := make([]ownerChoice, len(list))
	for i, u := range list {
		label := u.Email
		if u.Name != "" {
			label = u.Name + " (" + u.Email + ")"
		}
		if u.Team != "" {
			label += ", " + u.Team
		}
		out[i] = ownerChoice{ID: u.ID, Label: label}
	}
	return out, nil
}

// fieldMessage turns a field error into the message shown next to it.
func fieldMessage(fe *reports.FieldError) map[string]string {
	labels := map[string]string{"title": "Title", "description": "Description", "kind": "Kind", "cause.kind": "Cause",
		"cause.value": "Cause", "owner_id": "Owner", "starts_on": "Starts on", "due_on": "Due on", "state": "State"}
	return map[string]string{fe.Field: labels[fe.Field] + " " + fe.Message + "."}
}

func (s *Server) renderActions(w http.ResponseWriter, r *http.Request, status int, form reports.ActionInput, errs map[string]string, flash string) {
	_, today := s.today()
	all, err := s.Reports.Actions(r.Context(), reports.ActionFilter{}, today)
	if err != nil {
		s.staffError(w, "list action plans", err)
		return
	}
	owners, err := s.owners(r)
	if err != nil {
		s.staffError(w, "list owners", err)
		return
	}
	page := actionsPage{Form: form, Errors: errs, Owners: owners, Risks: surveys.Risks, Flash: flash}
	for _, a := range all {
		if a.Open() {
			page.Open = append(page.Open, a)
		} else {
			page.Closed = append(page.Closed, a)
		}
	}
	s.renderStaff(w, r, status, "manager_actions", "Action plans", page)
}

func (s *Server) pageActions(w http.ResponseWriter, r *http.Request) {
	form := reports.ActionInput{Kind: reports.Corrective, Cause: reports.Cause{Kind: reports.CauseRisk}}
	// Links from the dashboard pre-fill the cause.
	if k := r.URL.Query().Get("cause_kind"); k != "" {
		form.Cause = reports.Cause{Kind: k, Value: r.URL.Query().Get("cause_value")}
	}
	flash := ""
	if r.URL.Query().Get("flash") == "created" {
		flash = "Action plan created."
	}
	s.renderActions(w, r, http.StatusOK, form, nil, flash)
}

func (s *Server) pageCreateAction(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "unreadable form", http.StatusBadRequest)
		return
	}
	f := r.PostForm
	in := reports.ActionInput{Title: f.Get("title"), Description: f.Get("description"), Kind: f.Get("kind"),
		Cause: reports.Cause{Kind: f.Get("cause_kind"), Value: f.Get("cause_value")}, StartsOn: f.Get("starts_on"), DueOn: f.Get("due_on")}
	if id, err := strconv.ParseInt(f.Get("owner_id"), 10, 64); err == nil {
		in.OwnerID = id
	}
	var by int64
	if u, ok := userFrom(r.Context()); ok {
		by = u.ID
	}
	a, err := s.Reports.CreateAction(r.Context(), in, by, s.Clock.Now(), s.reportLocation())
	var fe *reports.FieldError
	switch {
	case errors.As(err, &fe):
		s.renderActions(w, r, http.StatusUnprocessableEntity, in, fieldMessage(fe), "")
		return
	case err != nil:
		s.staffError(w, "create action plan", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/manager/actions/%d?flash=created", a.ID), http.StatusSeeOther)
}

func (s *Server) renderAction(w http.ResponseWriter, r *http.Request, status int, a reports.ActionPlan, errs map[string]string, flash string) {
	now, _ := s.today()
	e, err := s.Reports.Effectiveness(r.Context(), a, now, s.reportLocation())
	if err != nil {
		s.staffError(w, "action effectiveness", err)
		return
	}
	owners, err := s.owners(r)
	if err != nil {
		s.staffError(w, "list owners", err)
		return
	}
	s.renderStaff(w, r, status, "manager_action", a.Title, actionPage{Action: a, Effectiveness: e, Chart: effectChart(e).String(),
		Owners: owners, States: reports.ActionStates, Errors: errs, Flash: flash})
}

func (s *Server) staffAction(w http.ResponseWriter, r *http.Request) (reports.ActionPlan, bool) {
	id, ok := pathIDPage(w, r)
	if !ok {
		return reports.ActionPlan{}, false
	}
	_, today := s.today()
	a, err := s.Reports.Action(r.Context(), id, today)
	if errors.Is(err, reports.ErrNotFound) {
		http.NotFound(w, r)
		return a, false
	}
	if err != nil {
		s.staffError(w, "load action plan", err)
		return a, false
	}
	return a, true
}

func (s *Server) pageAction(w http.ResponseWriter, r *http.Request) {
	a, ok := s.staffAction(w, r)
	if !ok {
		return
	}
	flash := map[string]string{"created": "Action plan created.", "saved": "Changes saved."}[r.URL.Query().Get("flash")]
	s.renderAction(w, r, http.StatusOK, a, nil, flash)
}

func (s *Server) pageUpdateAction(w http.ResponseWriter, r *http.Request) {
	a, ok := s.staffAction(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "unreadable form", http.StatusBadRequest)
		return
	}
	f := r.PostForm
	var p reports.ActionPatch
	for _, field := range []struct {
		name string
		dst  **string
	}{{"state", &p.State}, {"due_on", &p.DueOn}, {"starts_on", &p.StartsOn}, {"title", &p.Title}, {"description", &p.Description}} {
		if _, ok := f[field.name]; ok {
			v := strings.TrimSpace(f.Get(field.name))
			*field.dst = &v
		}
	}
	if raw := f.Get("owner_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			s.renderAction(w, r, http.StatusUnprocessableEntity, a, map[string]string{"owner_id": "Owner: choose someone in the list."}, "")
			return
		}
		p.OwnerID = &id
	}
	_, err := s.Reports.UpdateAction(r.Context(), a.ID, p, s.Clock.Now(), s.reportLocation())
	var fe *reports.FieldError
	switch {
	case errors.As(err, &fe):
		s.renderAction(w, r, http.StatusUnprocessableEntity, a, fieldMessage(fe), "")
		return
	case err != nil:
		s.staffError(w, "update action plan", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/manager/actions/%d?flash=saved", a.ID), http.StatusSeeOther)
}
