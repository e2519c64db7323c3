package staff

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

func (s *Server) cxRoutes(mux *web.Router) {
	mux.HandleFunc("GET /cx/{$}", web.Roles(users.CX, users.Manager), s.pageQueue)
	mux.HandleFunc("GET /cx/complaints/{id}", web.Roles(users.CX, users.Manager), s.pageComplaint)
	mux.HandleFunc("POST /cx/complaints/{id}/{action}", web.Roles(users.CX, users.Manager), s.pageComplaintAction)
	mux.HandleFunc("POST /cx/assign", web.Roles(users.CX, users.Manager), s.pageBulkAssign)
	mux.HandleFunc("GET /cx/customers", web.Roles(users.CX, users.Manager), s.pageCustomerSearch)
	mux.HandleFunc("GET /cx/customers/{id}", web.Roles(users.CX, users.Manager), s.pageCustomer)
}

// complaintPage is everything the complaint page shows and its forms keep.
type complaintPage struct {
	D               complaints.Detail
	Me              int64
	Zone            viewerZone
	Left            timeLeft
	Value, Segment  string
	SegmentDerived  bool
	Scores          []scoreRow
	Comment         []commentPart
	Signals         []surveys.Signal
	Reasons         []string
	PriorityReasons []complaints.Explanation
	Advice          complaints.Advice
	Owners          []users.User
	Steps           []string
	Strategy        string
	FormDeviances   []choice
	Substances      []choice
	AdviceKind      string
	Audit           []auditRow
	Conversation    []convMessage
	// Recorded names the deviance recorded, in words.
	Recorded []string
	// Open names the rarely used forms shown open (?open=, or the one a
	// problem concerns): assign, compensate, deviance, reopen.
	Open map[string]bool
	// Reading is the "Reading of the comment" box, with its corrections.
	Reading        *reading
	Flash, Problem string
	// ProblemAt is the form the problem concerns.
	ProblemAt string
	// Field errors and the values typed, kept on an error.
	Errors   map[string]string
	Values   map[string]string
	Warnings []complaints.Warning
	// ReplyLocale is the language of the draft.
	ReplyLocale string
	// Grants are the compensation asked for, with their decisions; Currency
	// is the complaint's, Limit the viewer's per complaint.
	Grants   []complaints.Grant
	Currency string
	Limit    int64
}

// rareForms are the complaint page's forms kept behind a button.
var rareForms = []string{"assign", "compensate", "deviance", "reopen"}

type scoreRow struct {
	Label string
	Value *float64
}

// commentPart is a piece of the comment, highlighted when it is a signal's
// evidence.
type commentPart struct {
	Text, Signal string
}

// pageFlashes are the catalogue keys of what an action did.
var pageFlashes = map[string]string{
	"take": "cx.flash.take", "assign": "cx.flash.assign", "note": "cx.flash.note",
	"reply": "cx.flash.reply", "compensate": "cx.flash.compensate",
	"compensate-pending": "cx.flash.compensate_pending",
	"resolve":            "cx.flash.resolve",
	"reopen":             "cx.flash.reopen", "deviance": "cx.flash.deviance",
	"correct":              "cx.flash.correct",
	"opened-by-correction": "cx.flash.opened_by_correction",
}

// flashText says what action did, in locale; "" for an unknown action.
func flashText(locale, action string) string {
	if k, ok := pageFlashes[action]; ok {
		return templates.T(locale, k)
	}
	return ""
}

func (s *Server) pageComplaint(w http.ResponseWriter, r *http.Request) {
	id, ok := pathIDPage(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	page := complaintPage{Flash: flashText(cxLocale(r), q.Get("done")), Open: map[string]bool{}}
	if l, ok := customers.NormalizeLocale(q.Get("draft")); ok {
		page.ReplyLocale = l
	}
	for _, f := range rareForms {
		if q.Get("open") == f {
			page.Open[f] = true
		}
	}
	// After compensation or deviance, their box stays open on its result.
	switch q.Get("done") {
	case "compensate", "compensate-pending":
		page.Open["compensate"] = true
	case "deviance":
		page.Open["deviance"] = true
	}
	s.renderComplaint(w, r, id, http.StatusOK, page)
}

func (s *Server) renderComplaint(w http.ResponseWriter, r *http.Request, id int64, status int, page complaintPage) {
	now := s.Clock.Now()
	locale := cxLocale(r)
	d, err := s.Complaints.Detail(r.Context(), id, now)
	if errors.Is(err, complaints.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.StaffError(w, "load complaint", err)
		return
	}
	u, _ := web.UserFrom(r.Context())
	page.D, page.Me, page.Zone = d, u.ID, s.zoneOf(r)
	if page.Open == nil {
		page.Open = map[string]bool{}
	}
	cals, err := s.calendars(r.Context())
	if err != nil {
		s.StaffError(w, "read team calendars", err)
		return
	}
	page.Left = leftText(locale, cals.left(d.Team, now, d.DueAt), d.State == complaints.StateResolved)
	page.Scores = []scoreRow{{dimensionLabel(locale, surveys.Distributive), d.Reply.Distributive}, {dimensionLabel(locale, surveys.Procedural), d.Reply.Procedural},
		{dimensionLabel(locale, surveys.Interactional), d.Reply.Interactional}, {dimensionLabel(locale, surveys.Overall), d.Reply.Overall}}
	_ = json.Unmarshal(d.Reply.Signals, &page.Signals)
	// The complaint keeps the reasons it was opened for: the reply's, or,
	// for a complaint an agent's correction opened, the reply's and the
	// signal the reading missed.
	var reasons []surveys.Reason
	_ = json.Unmarshal(d.Reasons, &reasons)
	if len(reasons) == 0 {
		_ = json.Unmarshal(d.Reply.Reasons, &reasons)
	}
	signal := func(k string) string { return s.Templates.Label(locale, "signal", k) }
	for _, r := range reasons {
		page.Reasons = append(page.Reasons, reasonWords(locale, r, signal))
	}
	_ = json.Unmarshal(d.PriorityReasons, &page.PriorityReasons)
	_ = json.Unmarshal(d.Advice, &page.Advice)
	page.Comment = highlight(d.Reply.Comment, page.Signals)
	if page.Owners, err = s.Users.ByRole(r.Context(), users.CX, users.Manager); err != nil {
		s.StaffError(w, "list owners", err)
		return
	}
	if d.Strategy.Name != "" {
		page.Strategy = templates.T(locale, "cx.strategy."+d.Strategy.Name)
	}
	page.FormDeviances, page.Substances = devianceChoices(locale, complaints.FormDeviances), devianceChoices(locale, complaints.SubstanceDeviances)
	page.AdviceKind, page.Audit = adviceText(locale, page.Advice.Kind), auditRows(locale, d.Audit)
	page.Conversation = conversation(d)
	for _, code := range d.FormDeviance {
		page.Recorded = append(page.Recorded, templates.DevianceLabel(locale, code))
	}
	if d.SubstanceDeviance != "" {
		page.Recorded = append(page.Recorded, templates.DevianceLabel(locale, d.SubstanceDeviance))
	}
	if page.Grants, err = s.Complaints.Grants(r.Context(), id); err != nil {
		s.StaffError(w, "list compensation", err)
		return
	}
	if page.Currency, err = s.Complaints.CurrencyOf(r.Context(), id); err != nil {
		s.StaffError(w, "read currency", err)
		return
	}
	page.Value = moneyText(locale, d.Customer.AnnualValueCents, page.Currency)
	page.Segment, page.SegmentDerived = s.segmentOf(locale, d.Customer.Segment, d.Customer.AnnualValueCents)
	page.Limit = s.Complaints.Governance().Limits[string(u.Role)]
	if s.Corrections != nil {
		made, err := s.Corrections.List(r.Context(), d.Reply.ID)
		if err != nil {
			s.StaffError(w, "list corrections", err)
			return
		}
		rd := newReadingIn(locale, d.Reply.ID, d.Reply.Reasons, d.Reply.Signals, made, fmt.Sprintf("/cx/complaints/%d", d.ID))
		page.Reading = &rd
	}
	if page.ReplyLocale == "" {
		page.ReplyLocale = d.Customer.Locale
	}
	page.Steps = web.ReplySteps(page.ReplyLocale)
	if page.Values == nil {
		page.Values = map[string]string{}
	}
	if _, typed := page.Values["body"]; !typed {
		draft, err := s.ReplyDraft(d, page.ReplyLocale, u)
		if err != nil {
			s.StaffError(w, "reply draft", err)
			return
		}
		page.Values["body"] = draft
	}
	s.renderCX(w, r, status, locale, "cx_complaint", templates.T(locale, "cx.complaint.title", d.ID), page)
}

// highlight cuts a comment around the signals' evidence.
func highlight(comment string, signals []surveys.Signal) []commentPart {
	parts := []commentPart{{Text: comment}}
	for _, sg := range signals {
		if sg.Evidence == "" {
			continue
		}
		for i, p := range parts {
			if p.Signal != "" {
				continue
			}
			at := strings.Index(strings.ToLower(p.Text), strings.ToLower(sg.Evidence))
			if at < 0 {
				continue
			}
			end := at + len(sg.Evidence)
			cut := []commentPart{{Text: p.Text[:at]}, {Text: p.Text[at:end], Signal: string(sg.Kind)}, {Text: p.Text[end:]}}
			parts = append(parts[:i], append(cut, parts[i+1:]...)...)
			break
		}
	}
	return parts
}

// pageComplaintAction runs a form's action, then shows the complaint again:
// on success with what was done, on a problem with the message next to the
// form and everything typed kept.
func (s *Server) pageComplaintAction(w http.ResponseWriter, r *http.Request) {
	id, ok := pathIDPage(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "unreadable form", http.StatusBadRequest)
		return
	}
	u, _ := web.UserFrom(r.Context())
	by := web.ActorOf(u)
	ctx := r.Context()
	f := r.PostForm
	action := r.PathValue("action")
	var err error
	switch action {
	case "take":
		err = s.Loop.Take(ctx, id, by)
	case "assign":
		var to complaints.Actor
		ownerID, _ := strconv.ParseInt(f.Get("owner_id"), 10, 64)
		if to, err = s.Assignee(r, ownerID, ""); err == nil {
			err = s.Loop.Assign(ctx, id, to, by)
		}
	case "note":
		err = s.Loop.Note(ctx, id, f.Get("text"), by)
	case "reply":
		_, _, err = s.Loop.Reply(ctx, id, f.Get("subject"), f.Get("body"), f.Get("confirm") == "1", by)
	case "compensate":
		var cents int64
		if cents, err = web.ParseCents(f.Get("amount")); err != nil {
			err = &invalid.FieldError{Field: "amount", Message: err.Error()}
		} else {
			var g complaints.Granted
			if g, err = s.Loop.Compensate(ctx, id, cents, "", f.Get("note"), by); err == nil && g.Pending {
				action = "compensate-pending"
			}
		}
	case "resolve":
		_, err = s.Loop.Resolve(ctx, id, f.Get("summary"), by)
	case "reopen":
		err = s.Loop.Reopen(ctx, id, f.Get("reason"), by)
	case "deviance":
		err = s.Loop.SetDeviance(ctx, id, f["form"], f.Get("substance"), by)
	default:
		http.NotFound(w, r)
		return
	}
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/cx/complaints/%d?done=%s#%s", id, action, action), http.StatusSeeOther)
		return
	}
	locale := cxLocale(r)
	page := complaintPage{Values: map[string]string{}, Errors: map[string]string{}, Open: map[string]bool{}, ProblemAt: action}
	if slices.Contains(rareForms, action) {
		page.Open[action] = true
	}
	if l, ok := customers.NormalizeLocale(f.Get("locale")); ok {
		page.ReplyLocale = l
	}
	for k := range f {
		if k != "csrf" {
			page.Values[k] = f.Get(k)
		}
	}
	p := web.ProblemOf(err)
	status := web.FormStatus(err)
	switch p.Status {
	case http.StatusNotFound:
		http.NotFound(w, r)
		return
	case http.StatusUnprocessableEntity:
		var rw *feedback.ReplyWarnings
		errors.As(err, &rw)
		page.Warnings = rw.Warnings
		page.Problem = templates.T(locale, "cx.problem.warnings")
	case http.StatusBadRequest:
		page.Errors[action+"."+p.Field] = p.Message
		page.Problem = templates.T(locale, "cx.problem.not_done", p.Message)
	case http.StatusConflict, http.StatusForbidden: // a *complaints.ConflictError or NotAllowedError
		page.Problem = templates.T(locale, "cx.problem.not_done", problemText(locale, err))
	default:
		s.StaffError(w, action+" complaint", err)
		return
	}
	s.renderComplaint(w, r, id, status, page)
}
