package staff

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// The survey editor: marketing creates and edits questionnaires in plain
// HTML forms (no JavaScript), with the same rules as the API. Nothing typed
// is lost on an error; a change to the questions makes a new version.

const editorPath = "/marketing/surveys"

func (s *Server) surveyEditorRoutes(mux *web.Router) {
	mux.HandleFunc("GET "+editorPath, web.Roles(users.Marketing, users.Manager), s.editorList)
	mux.HandleFunc("GET "+editorPath+"/new", web.Roles(users.Marketing, users.Manager), s.editorNew)
	mux.HandleFunc("POST "+editorPath+"/new", web.Roles(users.Marketing), s.editorCreate)
	mux.HandleFunc("GET "+editorPath+"/{slug}", web.Roles(users.Marketing, users.Manager), s.editorEdit)
	mux.HandleFunc("GET "+editorPath+"/{slug}/duplicate", web.Roles(users.Marketing, users.Manager), s.editorDuplicate)
	mux.HandleFunc("POST "+editorPath+"/{slug}", web.Roles(users.Marketing), s.editorUpdate)
}

// editorView is the editor page's content.
type editorView struct {
	New        bool
	Action     string
	Slug       string
	Name       string
	Note       string
	Thresholds []thresholdField
	Rows       []questionRow
	Kinds      []string
	Dimensions []string
	Risks      string
	Errors     []editorError
	FieldErrs  map[string]string
	Saved      string
	Versions   []surveys.VersionInfo
	// AcknowledgeMild is the survey's setting (see surveys.Settings).
	AcknowledgeMild bool
	// CopyOf names the survey a new one is copied from; empty otherwise.
	CopyOf string
	// CanDuplicate shows the link to copy the survey being edited.
	CanDuplicate bool
}

type thresholdField struct {
	Dimension string
	Label     string
	Value     string
}

type questionRow struct {
	Index     int
	Key       string
	Kind      string
	Dimension string
	Reverse   bool
	Required  bool
	TextEN    string
	TextFR    string
	Options   string
	Remove    bool
	Errs      map[string]string
	// defIndex is the row's index among the questions saved, -1 if none.
	defIndex int
}

// editorError is one line of the summary at the top of the editor: the
// field (the translation keys of its group, "Question" or "Thresholds",
// and of its label, either may be empty; Number is a question's), the
// problem and the id of the field to go to.
type editorError struct {
	Anchor  string
	Group   string
	Number  int
	Label   string
	Message string
}

func (s *Server) editorList(w http.ResponseWriter, r *http.Request) {
	locale := web.StaffLocale(r)
	list, err := s.Surveys.List(r.Context())
	if err != nil {
		s.Log.Error("list surveys", "err", err)
		s.RenderMessage(w, r, http.StatusInternalServerError, locale, "error.500")
		return
	}
	s.renderEditorPage(w, r, http.StatusOK, "survey_list", templates.T(locale, "editor.list.title"), list)
}

func (s *Server) editorNew(w http.ResponseWriter, r *http.Request) {
	v := newEditorView(nil)
	v.New, v.Action = true, editorPath+"/new"
	v.Rows = append(v.Rows, blankRow(0))
	s.renderEditor(w, r, http.StatusOK, v)
}

func (s *Server) editorEdit(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	sv, err := s.Surveys.Latest(r.Context(), slug)
	if err != nil {
		s.editorReadError(w, r, err)
		return
	}
	v := newEditorView(sv)
	v.Action = editorPath + "/" + slug
	st, err := s.Surveys.Settings(r.Context(), slug)
	if err != nil {
		s.editorReadError(w, r, err)
		return
	}
	v.AcknowledgeMild = st.AcknowledgeMild
	v.CanDuplicate = s.May(r, http.MethodPost, editorPath+"/new")
	v.Rows = append(v.Rows, blankRow(len(v.Rows)))
	locale := web.StaffLocale(r)
	switch saved := r.URL.Query().Get("saved"); {
	case saved == "same":
		v.Saved = templates.T(locale, "editor.saved.same")
	case saved != "":
		v.Saved = templates.T(locale, "editor.saved.version", saved)
	}
	if v.Versions, err = s.Surveys.Versions(r.Context(), slug); err != nil {
		s.editorReadError(w, r, err)
		return
	}
	s.renderEditor(w, r, http.StatusOK, v)
}

// editorDuplicate opens the new-survey form filled with a copy of the
// latest version of a survey (the built-in questionnaire, say): nothing is
// stored until it is saved under a slug of its own.
func (s *Server) editorDuplicate(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	sv, err := s.Surveys.Latest(r.Context(), slug)
	if err != nil {
		s.editorReadError(w, r, err)
		return
	}
	st, err := s.Surveys.Settings(r.Context(), slug)
	if err != nil {
		s.editorReadError(w, r, err)
		return
	}
	cp := surveys.CopyOf(*sv)
	cp.Slug, cp.Name = copySlug(sv.Slug), sv.Name+" (copy)"
	v := newEditorView(&cp)
	v.New, v.Action, v.CopyOf, v.AcknowledgeMild = true, editorPath+"/new", sv.Name, st.AcknowledgeMild
	v.Rows = append(v.Rows, blankRow(len(v.Rows)))
	s.renderEditor(w, r, http.StatusOK, v)
}

// copySlug suggests a slug for a copy: the original's with "-copy", cut to
// the longest slug allowed.
func copySlug(slug string) string {
	const suffix = "-copy"
	if len(slug) > 63-len(suffix) {
		slug = strings.TrimRight(slug[:63-len(suffix)], "-")
	}
	return slug + suffix
}

func (s *Server) editorCreate(w http.ResponseWriter, r *http.Request) {
	v, def, ok := s.readEditorForm(w, r, "")
	if !ok {
		return
	}
	v.New, v.Action = true, editorPath+"/new"
	if s.editorUnsaved(w, r, &v, def) {
		return
	}
	sv, err := s.Surveys.Create(r.Context(), def)
	if err == nil {
		err = s.Surveys.SetSettings(r.Context(), sv.Slug, surveys.Settings{AcknowledgeMild: v.AcknowledgeMild})
	}
	if err != nil {
		s.editorFailed(w, r, v, err)
		return
	}
	http.Redirect(w, r, editorPath+"/"+sv.Slug+"?saved="+strconv.Itoa(sv.Version), http.StatusSeeOther)
}

func (s *Server) editorUpdate(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	v, def, ok := s.readEditorForm(w, r, slug)
	if !ok {
		return
	}
	v.Action = editorPath + "/" + slug
	v.Versions, _ = s.Surveys.Versions(r.Context(), slug)
	if s.editorUnsaved(w, r, &v, def) {
		return
	}
	up, err := s.Surveys.Update(r.Context(), slug, def, v.Note)
	if err == nil {
		err = s.Surveys.SetSettings(r.Context(), slug, surveys.Settings{AcknowledgeMild: v.AcknowledgeMild})
	}
	if err != nil {
		s.editorFailed(w, r, v, err)
		return
	}
	saved := "same"
	if up.NewVersion {
		saved = strconv.Itoa(up.Survey.Version)
	}
	http.Redirect(w, r, editorPath+"/"+slug+"?saved="+saved, http.StatusSeeOther)
}

// editorUnsaved shows the form again, and reports true, when it is not to
// be saved: a row was asked for, or the form could not be read as typed,
// in which case every other problem of the definition is shown with it.
func (s *Server) editorUnsaved(w http.ResponseWriter, r *http.Request, v *editorView, def surveys.Survey) bool {
	switch {
	case r.PostFormValue("action") == "add":
	case len(v.Errors) > 0:
		v.failAll(def.Validate())
	default:
		return false
	}
	s.editorAgain(w, r, *v)
	return true
}

// editorAgain shows the form again as typed, with one blank row to fill.
func (s *Server) editorAgain(w http.ResponseWriter, r *http.Request, v editorView) {
	status := http.StatusOK
	if len(v.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	v.Rows = append(v.Rows, blankRow(len(v.Rows)))
	s.renderEditor(w, r, status, v)
}

// editorFailed places a store error next to the field it is about.
func (s *Server) editorFailed(w http.ResponseWriter, r *http.Request, v editorView, err error) {
	p := web.ProblemOf(err)
	switch {
	case errors.Is(err, surveys.ErrSlugTaken):
		v.fail("slug", "a survey with this slug already exists")
	case p.Status == http.StatusBadRequest: // every field at fault
		v.failAll(p.Fields)
	case p.Status == http.StatusConflict: // a *surveys.MeaningError
		v.fail(p.Field, p.Message)
	case p.Status == http.StatusNotFound:
		s.editorReadError(w, r, err)
		return
	default:
		s.Log.Error("save survey", "err", err)
		v.fail("", "the survey could not be saved right now; nothing was changed, please try again")
	}
	s.editorAgain(w, r, v)
}

func (s *Server) editorReadError(w http.ResponseWriter, r *http.Request, err error) {
	locale := web.StaffLocale(r)
	key, status := "error.500", http.StatusInternalServerError
	if errors.Is(err, surveys.ErrNotFound) {
		key, status = "error.404", http.StatusNotFound
	} else {
		s.Log.Error("read survey", "err", err)
	}
	s.renderEditorPage(w, r, status, "staff_message", templates.T(locale, key+".title"), templates.T(locale, key+".body"))
}

// renderEditorPage renders a staff page of the editor in the staff
// language of the request (web.StaffLocale), with the navigation of the
// signed-in person and the session's CSRF token for its forms.
func (s *Server) renderEditorPage(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	s.RenderStaff(w, r, status, page, title, data)
}

func (s *Server) renderEditor(w http.ResponseWriter, r *http.Request, status int, v editorView) {
	locale := web.StaffLocale(r)
	title := templates.T(locale, "editor.new.title")
	if v.CopyOf != "" {
		title = templates.T(locale, "editor.duplicate.title", v.CopyOf)
	}
	if !v.New {
		title = templates.T(locale, "editor.edit.title", v.Name)
	}
	s.renderEditorPage(w, r, status, "survey_editor", title, v)
}

func newEditorView(sv *surveys.Survey) editorView {
	v := editorView{FieldErrs: map[string]string{}, AcknowledgeMild: true}
	for _, k := range []surveys.Kind{surveys.Likert5, surveys.Likert7, surveys.Rating10, surveys.Single, surveys.Multi, surveys.Text} {
		v.Kinds = append(v.Kinds, string(k))
	}
	v.Dimensions = []string{string(surveys.Distributive), string(surveys.Procedural), string(surveys.Interactional), string(surveys.Overall), string(surveys.NoDimension)}
	var risks []string
	for _, r := range surveys.Risks {
		risks = append(risks, string(r))
	}
	v.Risks = strings.Join(risks, ", ")
	th := surveys.Thresholds{}
	if sv != nil {
		v.Slug, v.Name, th = sv.Slug, sv.Name, sv.Thresholds
		for i, q := range sv.Questions {
			v.Rows = append(v.Rows, rowOf(i, q))
		}
	}
	for _, d := range append([]surveys.Dimension{surveys.Overall}, surveys.JusticeDimensions...) {
		v.Thresholds = append(v.Thresholds, thresholdField{Dimension: string(d), Value: strconv.FormatFloat(th.For(d), 'f', -1, 64)})
	}
	return v
}

func blankRow(i int) questionRow {
	return questionRow{Index: i, Kind: string(surveys.Likert5), Dimension: string(surveys.Distributive), Required: true, Errs: map[string]string{}, defIndex: -1}
}

func rowOf(i int, q surveys.Question) questionRow {
	var opts []string
	for _, o := range q.Options {
		opts = append(opts, strings.Join([]string{o.Key, o.Risk, o.Label["en"], o.Label["fr"]}, " | "))
	}
	return questionRow{Index: i, Key: q.Key, Kind: string(q.Kind), Dimension: string(q.Dimension), Reverse: q.Reverse,
		Required: q.Required, TextEN: q.Text["en"], TextFR: q.Text["fr"], Options: strings.Join(opts, "\n"), Errs: map[string]string{}, defIndex: i}
}

// fail records a problem with a definition field ("questions[2].text.fr")
// next to the form field it came from, and in the summary at the top. A
// field with several problems shows them all, joined.
func (v *editorView) fail(field, msg string) {
	e := editorError{Anchor: "form-errors", Message: msg}
	if m := questionFieldRE.FindStringSubmatch(field); m != nil {
		qi, _ := strconv.Atoi(m[1])
		part := rowPart(m[2], m[3])
		for i := range v.Rows {
			if v.Rows[i].defIndex == qi && !v.Rows[i].Remove {
				v.Rows[i].Errs[part] = joinMsg(v.Rows[i].Errs[part], msg)
				e.Anchor = fmt.Sprintf("q%d-%s", v.Rows[i].Index, strings.ReplaceAll(part, "_", "-"))
				e.Group, e.Number, e.Label = "editor.question", v.Rows[i].Index+1, "editor."+strings.ReplaceAll(part, "_", ".")
			}
		}
	} else if field == "questions" {
		e.Anchor, e.Label = "q0", "editor.questions" // "at least one question": the first row is where to start
	} else if field != "" {
		v.FieldErrs[field] = joinMsg(v.FieldErrs[field], msg)
		e.Anchor = "f-" + strings.ReplaceAll(field, ".", "-")
		switch {
		case field == "name" || field == "slug":
			e.Label = "editor." + field
		case strings.HasPrefix(field, "thresholds."):
			e.Group, e.Label = "editor.thresholds", "dimension."+strings.TrimPrefix(field, "thresholds.")
		}
	}
	v.Errors = append(v.Errors, e)
}

// failAll records every problem of err that fail has not already placed
// (the form's own reading may have found one first, as a malformed option
// line): a field already at fault keeps its first message alone.
func (v *editorView) failAll(err error) {
	var fs invalid.Fields
	if !errors.As(err, &fs) {
		return
	}
	for _, f := range fs {
		if !v.placed(f.Field) {
			v.fail(f.Field, f.Message)
		}
	}
}

// placed reports whether a problem with the form field of a definition
// field is already shown.
func (v *editorView) placed(field string) bool {
	if m := questionFieldRE.FindStringSubmatch(field); m != nil {
		qi, _ := strconv.Atoi(m[1])
		part := rowPart(m[2], m[3])
		for _, row := range v.Rows {
			// Options the form could not read are reported as such.
			if row.defIndex == qi && !row.Remove && part == "options" && row.Errs[part] != "" {
				return true
			}
		}
		return false
	}
	return v.FieldErrs[field] != ""
}

// rowPart is the part of a question row a field of the question is about:
// key, kind, dimension, reverse, text (a language not offered), text_en,
// text_fr or options (an option's key, label or risk included).
func rowPart(name, sub string) string {
	switch {
	case name == "":
		return "key"
	case name == "text" && (sub == "en" || sub == "fr"):
		return "text_" + sub
	}
	return name
}

func joinMsg(was, msg string) string {
	if was == "" {
		return msg
	}
	return was + "; " + msg
}

// questionFieldRE reads "questions[2]", "questions[2].kind",
// "questions[2].text.fr" and "questions[2].options[1].risk".
var questionFieldRE = regexp.MustCompile(`^questions\[(\d+)\](?:\.([a-z_]+)(?:\[\d+\])?(?:\.([a-z_]+))?)?$`)

// readEditorForm reads the editor form into a view (to show again) and a
// definition (to save). Option lines are "key | risk | English | Français".
func (s *Server) readEditorForm(w http.ResponseWriter, r *http.Request, slug string) (editorView, surveys.Survey, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		web.WriteError(w, http.StatusBadRequest, "", "the form is too large or malformed")
		return editorView{}, surveys.Survey{}, false
	}
	f := r.PostForm
	v := newEditorView(nil)
	v.Slug, v.Name, v.Note = strings.TrimSpace(f.Get("slug")), strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("note"))
	v.AcknowledgeMild = f.Get("acknowledge_mild") == "1"
	if slug != "" {
		v.Slug = slug
	}
	def := surveys.Survey{Slug: v.Slug, Name: v.Name, Thresholds: surveys.Thresholds{}}
	for i := range v.Thresholds {
		t := &v.Thresholds[i]
		t.Value = strings.TrimSpace(f.Get("threshold_" + t.Dimension))
		n, err := strconv.ParseFloat(strings.ReplaceAll(t.Value, ",", "."), 64)
		if err != nil {
			v.fail("thresholds."+t.Dimension, "a number between 0 and 100")
			continue
		}
		def.Thresholds[surveys.Dimension(t.Dimension)] = n
	}
	rows, _ := strconv.Atoi(f.Get("rows"))
	for i := 0; i < min(rows, 100); i++ {
		row := readRow(f, i)
		row.defIndex = -1
		blank := row.Key == "" && row.TextEN == "" && row.TextFR == "" && row.Options == ""
		if blank && !row.Remove {
			continue
		}
		row.Index = len(v.Rows)
		if row.Remove {
			v.Rows = append(v.Rows, row)
			continue
		}
		q, problem := row.question()
		row.defIndex = len(def.Questions)
		def.Questions = append(def.Questions, q)
		v.Rows = append(v.Rows, row)
		if problem != "" {
			v.fail(fmt.Sprintf("questions[%d].options", row.defIndex), problem)
		}
	}
	return v, def, true
}

func readRow(f url.Values, i int) questionRow {
	p := fmt.Sprintf("q%d_", i)
	return questionRow{
		Key: strings.TrimSpace(f.Get(p + "key")), Kind: f.Get(p + "kind"), Dimension: f.Get(p + "dimension"),
		Reverse: f.Get(p+"reverse") != "", Required: f.Get(p+"required") != "", Remove: f.Get(p+"remove") != "",
		TextEN: strings.TrimSpace(f.Get(p + "text_en")), TextFR: strings.TrimSpace(f.Get(p + "text_fr")),
		Options: strings.TrimSpace(strings.ReplaceAll(f.Get(p+"options"), "\r\n", "\n")), Errs: map[string]string{},
	}
}

// question builds the question a row describes; a malformed option line is
// reported in plain words.
func (row questionRow) question() (surveys.Question, string) {
	q := surveys.Question{Key: row.Key, Kind: surveys.Kind(row.Kind), Dimension: surveys.Dimension(row.Dimension),
		Reverse: row.Reverse, Required: row.Required, Text: surveys.Localized{"en": row.TextEN, "fr": row.TextFR}}
	if _, _, scale := q.Kind.Scale(); !scale && q.Dimension != surveys.NoDimension {
		q.Dimension = surveys.NoDimension // choice and text questions measure no dimension
	}
	for n, line := range strings.Split(row.Options, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) != 4 {
			return q, fmt.Sprintf("option line %d must read: key | risk (or nothing) | English | Français", n+1)
		}
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		q.Options = append(q.Options, surveys.Option{Key: parts[0], Risk: parts[1], Label: surveys.Localized{"en": parts[2], "fr": parts[3]}})
	}
	return q, ""
}
