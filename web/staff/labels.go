package staff

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/labels"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/web"
)

// labelRoutes serve the admins' page of display names: every code in use
// with its French and English names (the unnamed ones flagged), and each
// team's business calendar.
func (s *Server) labelRoutes(mux *web.Router) {
	if s.Labels == nil {
		return
	}
	mux.HandleFunc("GET /admin/labels", web.Roles(), s.pageLabels) // admins only
	mux.HandleFunc("POST /admin/labels", web.Roles(), s.saveLabels)
}

// labelsPage is the page's content.
type labelsPage struct {
	Sections []labelSection
	Flash    string
	// Problems counts the fields at fault of a refused save.
	Problems int
}

// labelSection is one kind of code.
type labelSection struct {
	Kind string
	// Calendars: the team section also edits each team's calendar.
	Calendars bool
	Rows      []labelRow
}

// labelRow is one code: what admins named it in each language (or what
// was just typed), what people read now, and its calendar for a team.
type labelRow struct {
	ID, Code string
	Names    []labelName
	// Unnamed: nobody named this code; people read words derived from it.
	Unnamed bool
	// CalField, Calendar and CalErr: the team's calendar (empty: the default).
	CalField, Calendar, CalErr string
}

// labelName is one language's name of a code.
type labelName struct {
	Locale, Field, Value, Shown, Err string
}

func (s *Server) pageLabels(w http.ResponseWriter, r *http.Request) {
	var flash string
	if r.URL.Query().Get("saved") == "1" {
		flash = templates.T(web.StaffLocale(r), "labels.saved")
	}
	s.renderLabels(w, r, http.StatusOK, nil, nil, flash)
}

// renderLabels shows the page; posted (field to value) replaces what is
// stored for the fields it has, errs (field to message) are shown next to
// their fields.
func (s *Server) renderLabels(w http.ResponseWriter, r *http.Request, status int, posted, errs map[string]string, flash string) {
	ctx := r.Context()
	inUse, err := s.Labels.InUse(ctx)
	if err != nil {
		s.StaffError(w, "list the codes in use", err)
		return
	}
	names, err := s.Labels.Names(ctx)
	if err != nil {
		s.StaffError(w, "read display names", err)
		return
	}
	cals, err := s.Labels.Calendars(ctx)
	if err != nil {
		s.StaffError(w, "read team calendars", err)
		return
	}
	admin := map[string]string{}
	for _, n := range names {
		admin[labels.NameField(n.Kind, n.Locale, n.Code)] = n.Name
	}
	for _, c := range cals {
		admin[labels.CalendarField(c.Team)] = c.Spec
	}
	value := func(field string) string {
		if v, ok := posted[field]; ok {
			return v
		}
		return admin[field]
	}
	page := labelsPage{Flash: flash, Problems: len(errs)}
	id := 0
	for _, kind := range labels.Kinds {
		codes := templates.BuiltinCodes(kind)
		fixed := codes != nil
		if !fixed {
			codes = inUse[kind]
		}
		sec := labelSection{Kind: string(kind), Calendars: kind == labels.Team}
		for _, code := range codes {
			id++
			row := labelRow{ID: string(kind) + "-" + strconv.Itoa(id), Code: code, Unnamed: !fixed}
			for _, loc := range labels.Locales {
				f := labels.NameField(kind, loc, code)
				if admin[f] != "" {
					row.Unnamed = false
				}
				row.Names = append(row.Names, labelName{Locale: loc, Field: f, Value: value(f), Err: errs[f],
					Shown: s.Templates.Label(loc, string(kind), code)})
			}
			if sec.Calendars {
				row.CalField = labels.CalendarField(code)
				row.Calendar, row.CalErr = value(row.CalField), errs[row.CalField]
			}
			sec.Rows = append(sec.Rows, row)
		}
		page.Sections = append(page.Sections, sec)
	}
	s.RenderStaff(w, r, status, "admin_labels", templates.T(web.StaffLocale(r), "labels.title"), page)
}

func (s *Server) saveLabels(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "unreadable form", http.StatusBadRequest)
		return
	}
	posted := map[string]string{}
	var edits labels.Edits
	for field, vals := range r.PostForm {
		if len(vals) == 0 {
			continue
		}
		v := vals[0]
		if rest, ok := strings.CutPrefix(field, "name."); ok {
			kind, rest, _ := strings.Cut(rest, ".")
			locale, code, _ := strings.Cut(rest, ".")
			edits.Names = append(edits.Names, labels.Name{Kind: labels.Kind(kind), Locale: locale, Code: code, Name: v})
			posted[field] = v
		} else if team, ok := strings.CutPrefix(field, "calendar."); ok {
			edits.Calendars = append(edits.Calendars, labels.TeamCalendar{Team: team, Spec: v})
			posted[field] = v
		}
	}
	u, _ := web.UserFrom(r.Context())
	var by *int64
	if u.ID != 0 {
		by = &u.ID
	}
	err := s.Labels.Save(r.Context(), edits, by, s.Clock.Now())
	if err == nil {
		if s.Names != nil {
			if err := s.Names.Refresh(r.Context()); err != nil {
				s.Log.Warn("display names saved but not read again", "err", err)
			}
		}
		http.Redirect(w, r, "/admin/labels?saved=1", http.StatusSeeOther)
		return
	}
	var fields invalid.Fields
	var one *invalid.FieldError
	switch {
	case errors.As(err, &fields):
	case errors.As(err, &one):
		fields = invalid.Fields{one}
	default:
		s.StaffError(w, "save display names", err)
		return
	}
	errs := map[string]string{}
	for _, fe := range fields {
		errs[fe.Field] = fe.Message
	}
	s.renderLabels(w, r, http.StatusUnprocessableEntity, posted, errs, "")
}
