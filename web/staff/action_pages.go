package staff

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/followup/followup/reports"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// actionPageRoutes serve the action plans to every staff role at
// /actions: managers create, change and delete them; an owner of any role
// moves their own plan's state and adds progress notes; everyone reads
// them. The former addresses under /manager/actions still lead there.
func (s *Server) actionPageRoutes(mux *web.Router) {
	if s.Reports == nil {
		return
	}
	mux.HandleFunc("GET /actions", web.Roles(users.Roles...), s.pageActions)
	mux.HandleFunc("POST /actions", web.Roles(users.Roles...), s.pageCreateAction)
	mux.HandleFunc("GET /actions/{id}", web.Roles(users.Roles...), s.pageAction)
	mux.HandleFunc("POST /actions/{id}", web.Roles(users.Roles...), s.pageUpdateAction)
	mux.HandleFunc("POST /actions/{id}/delete", web.Roles(users.Roles...), s.pageDeleteAction)
	mux.HandleFunc("/manager/actions", web.Roles(users.Roles...), s.formerActionsAddress)
	mux.HandleFunc("/manager/actions/", web.Roles(users.Roles...), s.formerActionsAddress)
}

// formerActionsAddress sends links and bookmarks of /manager/actions… to
// /actions…; 308 keeps the method, so a form sent from a page loaded
// before the move still lands.
func (s *Server) formerActionsAddress(w http.ResponseWriter, r *http.Request) {
	u := *r.URL
	u.Path = "/actions" + strings.TrimPrefix(r.URL.Path, "/manager/actions")
	u.Scheme, u.Host = "", ""
	http.Redirect(w, r, u.RequestURI(), http.StatusPermanentRedirect)
}

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
	// Manages shows the form that creates a plan; Mine keeps the plans
	// the person owns (MeID).
	Manages bool
	Mine    bool
	MeID    int64
}

type actionPage struct {
	Action        reports.ActionPlan
	Effectiveness reports.Effectiveness
	Chart         string
	Owners        []ownerChoice
	States        []string
	Errors        map[string]string
	Flash         string
	// Manages shows the full form and the delete button; Owns the owner's
	// progress form.
	Manages bool
	Owns    bool
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
		label += ", " + string(u.Role)
		if u.Team != "" {
			label += ", " + u.Team
		}
		out[i] = ownerChoice{ID: u.ID, Label: label}
	}
	return out, nil
}

// fieldMessage turns the fields at fault into the messages shown next to
// each (all of them: one save says everything that is wrong).
// The field's name is in locale; the message, from the reports package,
// stays in English.
func fieldMessage(locale string, p web.Problem) map[string]string {
	out := map[string]string{}
	for _, fe := range p.Fields {
		msg := templates.T(locale, "act.field."+fe.Field) + " " + fe.Message + "."
		if prev, ok := out[fe.Field]; ok {
			msg = prev + " " + msg
		}
		out[fe.Field] = msg
	}
	return out
}

// sentence makes an error's text a sentence for a page.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:] + "."
}

// planError answers a page for an error of an action plan's change and
// reports whether there was one other than a field error, which the
// caller shows in its form.
func (s *Server) planError(w http.ResponseWriter, r *http.Request, what string, err error) bool {
	switch web.Status(err) {
	case http.StatusOK, http.StatusBadRequest:
		return false
	case http.StatusForbidden: // reports.ErrNotAllowed, wrapped with the reason
		s.Forbidden(w, r, false, sentence(err.Error()))
	case http.StatusNotFound:
		http.NotFound(w, r)
	default:
		s.StaffError(w, what, err)
	}
	return true
}

func (s *Server) renderActions(w http.ResponseWriter, r *http.Request, status int, form reports.ActionInput, errs map[string]string, flash string) {
	_, today := s.Today()
	u, _ := web.UserFrom(r.Context())
	page := actionsPage{Form: form, Errors: errs, Risks: surveys.Risks, Flash: flash, Manages: web.PlanActor(u).Manages,
		Mine: r.URL.Query().Get("mine") == "1", MeID: u.ID}
	f := reports.ActionFilter{}
	if page.Mine {
		f.OwnerID = u.ID
	}
	all, err := s.Reports.Actions(r.Context(), f, today)
	if err != nil {
		s.StaffError(w, "list action plans", err)
		return
	}
	if page.Manages {
		if page.Owners, err = s.owners(r); err != nil {
			s.StaffError(w, "list owners", err)
			return
		}
	}
	for _, a := range all {
		if a.Open() {
			page.Open = append(page.Open, a)
		} else {
			page.Closed = append(page.Closed, a)
		}
	}
	s.RenderStaff(w, r, status, "actions", templates.T(web.StaffLocale(r), "act.title"), page)
}

func (s *Server) pageActions(w http.ResponseWriter, r *http.Request) {
	form := reports.ActionInput{Kind: reports.Corrective, Cause: reports.Cause{Kind: reports.CauseRisk}}
	// Links from the reports page pre-fill the cause.
	if k := r.URL.Query().Get("cause_kind"); k != "" {
		form.Cause = reports.Cause{Kind: k, Value: r.URL.Query().Get("cause_value")}
	}
	flash := ""
	if r.URL.Query().Get("flash") == "deleted" {
		flash = templates.T(web.StaffLocale(r), "act.flash.deleted")
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
	// A risk is picked from the list of risks by name; a touchpoint or a
	// team is typed.
	if in.Cause.Kind == reports.CauseRisk && f.Get("cause_risk") != "" {
		in.Cause.Value = f.Get("cause_risk")
	}
	if id, err := strconv.ParseInt(f.Get("owner_id"), 10, 64); err == nil {
		in.OwnerID = id
	}
	u, _ := web.UserFrom(r.Context())
	a, err := s.Reports.CreateAction(r.Context(), in, web.PlanActor(u), s.Clock.Now(), s.ReportZone())
	if s.planError(w, r, "create action plan", err) {
		return
	}
	if p := web.ProblemOf(err); p.Status == http.StatusBadRequest {
		s.renderActions(w, r, web.FormStatus(err), in, fieldMessage(web.StaffLocale(r), p), "")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/actions/%d?flash=created", a.ID), http.StatusSeeOther)
}

func (s *Server) renderAction(w http.ResponseWriter, r *http.Request, status int, a reports.ActionPlan, errs map[string]string, flash string) {
	now, _ := s.Today()
	e, err := s.Reports.Effectiveness(r.Context(), a, now, s.ReportZone())
	if err != nil {
		s.StaffError(w, "action effectiveness", err)
		return
	}
	u, _ := web.UserFrom(r.Context())
	page := actionPage{Action: a, Effectiveness: e, Chart: effectChart(web.StaffLocale(r), e).String(), States: reports.ActionStates, Errors: errs,
		Flash: flash, Manages: web.PlanActor(u).Manages, Owns: a.OwnerID == u.ID}
	if page.Manages {
		if page.Owners, err = s.owners(r); err != nil {
			s.StaffError(w, "list owners", err)
			return
		}
	}
	s.RenderStaff(w, r, status, "action", a.Title, page)
}

func (s *Server) staffAction(w http.ResponseWriter, r *http.Request) (reports.ActionPlan, bool) {
	id, ok := pathIDPage(w, r)
	if !ok {
		return reports.ActionPlan{}, false
	}
	_, today := s.Today()
	a, err := s.Reports.Action(r.Context(), id, today)
	if errors.Is(err, reports.ErrNotFound) {
		http.NotFound(w, r)
		return a, false
	}
	if err != nil {
		s.StaffError(w, "load action plan", err)
		return a, false
	}
	return a, true
}

func (s *Server) pageAction(w http.ResponseWriter, r *http.Request) {
	a, ok := s.staffAction(w, r)
	if !ok {
		return
	}
	flash := ""
	if f := r.URL.Query().Get("flash"); f == "created" || f == "saved" {
		flash = templates.T(web.StaffLocale(r), "act.flash."+f)
	}
	s.renderAction(w, r, http.StatusOK, a, nil, flash)
}

// pageUpdateAction applies the fields the form sent: the managers' form
// sends them all, the owner's the state and a note; the store refuses
// whatever the person may not change.
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
	}{{"state", &p.State}, {"due_on", &p.DueOn}, {"starts_on", &p.StartsOn}, {"title", &p.Title}, {"description", &p.Description}, {"note", &p.Note}} {
		if _, ok := f[field.name]; ok {
			v := strings.TrimSpace(f.Get(field.name))
			*field.dst = &v
		}
	}
	if raw := f.Get("owner_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			s.renderAction(w, r, http.StatusUnprocessableEntity, a, map[string]string{"owner_id": templates.T(web.StaffLocale(r), "act.owner.choose")}, "")
			return
		}
		p.OwnerID = &id
	}
	u, _ := web.UserFrom(r.Context())
	_, err := s.Reports.UpdateAction(r.Context(), a.ID, p, web.PlanActor(u), s.Clock.Now(), s.ReportZone())
	if s.planError(w, r, "update action plan", err) {
		return
	}
	if p := web.ProblemOf(err); p.Status == http.StatusBadRequest {
		s.renderAction(w, r, web.FormStatus(err), a, fieldMessage(web.StaffLocale(r), p), "")
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/actions/%d?flash=saved", a.ID), http.StatusSeeOther)
}

func (s *Server) pageDeleteAction(w http.ResponseWriter, r *http.Request) {
	id, ok := pathIDPage(w, r)
	if !ok {
		return
	}
	u, _ := web.UserFrom(r.Context())
	if s.planError(w, r, "delete action plan", s.Reports.DeleteAction(r.Context(), id, web.PlanActor(u))) {
		return
	}
	http.Redirect(w, r, "/actions?flash=deleted", http.StatusSeeOther)
}
