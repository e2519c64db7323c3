package staff

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

func (s *Server) cxRoutes(mux *web.Router) {
	mux.HandleFunc("GET /cx/{$}", web.Roles(users.CX, users.Manager), s.pageQueue)
	mux.HandleFunc("GET /cx/complaints/{id}", web.Roles(users.CX, users.Manager), s.pageComplaint)
	mux.HandleFunc("POST /cx/complaints/{id}/{action}", web.Roles(users.CX, users.Manager), s.pageComplaintAction)
}

// queueView is one of the queue's usual views, with its count.
type queueView struct {
	Label, Query string
	Count        int
	Current      bool
}

type queuePage struct {
	Rows   []queueRow
	Views  []queueView
	Filter url.Values
	Teams  []string
	Risks  []riskChoice
	Signal []string
	Error  string
}

type riskChoice struct{ Key, Label string }

type queueRow struct {
	complaints.Complaint
	Due string
}

// pageQueue is the CX team's queue: the most urgent complaint first, the
// usual views with their counts, and filters.
func (s *Server) pageQueue(w http.ResponseWriter, r *http.Request) {
	u, _ := web.UserFrom(r.Context())
	q := r.URL.Query()
	now := s.Clock.Now()
	page := queuePage{Filter: q, Signal: signalNames()}
	for _, k := range surveys.Risks {
		page.Risks = append(page.Risks, riskChoice{string(k), surveys.RiskLabels[k].In("en")})
	}
	f, _, msg := web.ComplaintFilter(q, u)
	status := http.StatusOK
	if msg != "" {
		page.Error, status = msg+". Showing every open complaint instead.", http.StatusBadRequest
		f = complaints.Filter{Limit: 100}
	}
	var err error
	list, err := s.Complaints.List(r.Context(), f, now)
	if err != nil {
		s.StaffError(w, "list complaints", err)
		return
	}
	counts, err := s.Complaints.Count(r.Context(), u.ID, now)
	if err != nil {
		s.StaffError(w, "count complaints", err)
		return
	}
	if page.Teams, err = s.Complaints.Teams(r.Context()); err != nil {
		s.StaffError(w, "list teams", err)
		return
	}
	for _, c := range list {
		page.Rows = append(page.Rows, queueRow{Complaint: c, Due: untilText(c.DueAt, now, c.State == complaints.StateResolved)})
	}
	current := q.Encode()
	for _, v := range []queueView{
		{"All open", "", counts.Open, false},
		{"Mine", "owner=me", counts.Mine, false},
		{"Unassigned", "owner=unassigned", counts.Unassigned, false},
		{"Overdue", "overdue=true", counts.Overdue, false},
		{"Double deviations", "double_deviation=true", counts.DoubleDeviation, false},
		{"P1", "priority=P1", counts.P1, false},
		{"P2", "priority=P2", counts.P2, false},
		{"P3", "priority=P3", counts.P3, false},
		{"P4", "priority=P4", counts.P4, false},
		{"Resolved today", "state=resolved", counts.ResolvedToday, false},
	} {
		v.Current = v.Query == current
		page.Views = append(page.Views, v)
	}
	s.RenderStaff(w, r, status, "cx_queue", "Complaints", page)
}

// untilText says how long until a deadline, or how late it is.
func untilText(due, now time.Time, resolved bool) string {
	d := due.Sub(now)
	late := d < 0
	if late {
		d = -d
	}
	var txt string
	switch {
	case d < time.Hour:
		txt = fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 48*time.Hour:
		txt = fmt.Sprintf("%d h", int(d.Hours()))
	default:
		txt = fmt.Sprintf("%d days", int(d.Hours()/24))
	}
	switch {
	case resolved:
		return "due " + due.UTC().Format("2006-01-02 15:04")
	case late:
		return txt + " overdue"
	}
	return "in " + txt
}

func signalNames() []string {
	out := make([]string, len(surveys.SignalKinds))
	for i, k := range surveys.SignalKinds {
		out[i] = string(k)
	}
	return out
}

// complaintPage is everything the complaint page shows and its forms keep.
type complaintPage struct {
	D               complaints.Detail
	Me              int64
	Due             string
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
	// Reading is the "Reading of the comment" box, with its corrections.
	Reading        *reading
	Flash, Problem string
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

type scoreRow struct {
	Label string
	Value *float64
}

// commentPart is a piece of the comment, highlighted when it is a signal's
// evidence.
type commentPart struct {
	Text, Signal string
}

var strategyTexts = map[string]string{
	complaints.StrategyPedagogic:   "Pedagogic: explain the rules and educate the customer; keep the tone calm and firm.",
	complaints.StrategySeparation:  "Separation: grave behaviour is sanctioned; involve a manager, and parting ways is an option.",
	complaints.StrategyTolerant:    "Tolerant: you are empowered to settle it yourself, without formal procedure.",
	complaints.StrategyMechanistic: "Mechanistic: this is frequent; follow the formal process and standard replies.",
	complaints.StrategyExpert:      "Expert: have an in-house specialist review the claim before answering.",
	complaints.StrategyThirdParty:  "Third party: call on an outside expert (assessor, mediator) to examine the claim.",
}

var pageFlashes = map[string]string{
	"take": "You own this complaint.", "assign": "Owner changed.", "note": "Note added.",
	"reply": "Reply sent to the customer.", "compensate": "Compensation recorded.",
	"compensate-pending": "Compensation above the advice or your limit: it waits for a manager's approval; you will read the decision here.",
	"resolve":            "Resolved: the customer is told what was done, and the recovery survey is planned.",
	"reopen":             "Complaint reopened.", "deviance": "Deviance recorded.",
	"correct":              "Correction of the comment reading recorded.",
	"opened-by-correction": "Complaint opened from your correction: the team is alerted as for any complaint.",
}

func (s *Server) pageComplaint(w http.ResponseWriter, r *http.Request) {
	id, ok := pathIDPage(w, r)
	if !ok {
		return
	}
	page := complaintPage{Flash: pageFlashes[r.URL.Query().Get("done")]}
	if l, ok := customers.NormalizeLocale(r.URL.Query().Get("lang")); ok {
		page.ReplyLocale = l
	}
	s.renderComplaint(w, r, id, http.StatusOK, page)
}

func (s *Server) renderComplaint(w http.ResponseWriter, r *http.Request, id int64, status int, page complaintPage) {
	now := s.Clock.Now()
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
	page.D, page.Me = d, u.ID
	page.Due = untilText(d.DueAt, now, d.State == complaints.StateResolved)
	page.Scores = []scoreRow{{"Outcome (distributive)", d.Reply.Distributive}, {"Process (procedural)", d.Reply.Procedural},
		{"Treatment (interactional)", d.Reply.Interactional}, {"Overall", d.Reply.Overall}}
	_ = json.Unmarshal(d.Reply.Signals, &page.Signals)
	// The complaint keeps the reasons it was opened for: the reply's, or,
	// for a complaint an agent's correction opened, the reply's and the
	// signal the reading missed.
	var reasons []surveys.Reason
	_ = json.Unmarshal(d.Reasons, &reasons)
	if len(reasons) == 0 {
		_ = json.Unmarshal(d.Reply.Reasons, &reasons)
	}
	for _, r := range reasons {
		page.Reasons = append(page.Reasons, reasonText(r))
	}
	_ = json.Unmarshal(d.PriorityReasons, &page.PriorityReasons)
	_ = json.Unmarshal(d.Advice, &page.Advice)
	page.Comment = highlight(d.Reply.Comment, page.Signals)
	if page.Owners, err = s.Users.ByRole(r.Context(), users.CX, users.Manager); err != nil {
		s.StaffError(w, "list owners", err)
		return
	}
	page.Strategy = strategyTexts[d.Strategy.Name]
	page.FormDeviances, page.Substances = devianceChoices(complaints.FormDeviances), devianceChoices(complaints.SubstanceDeviances)
	page.AdviceKind, page.Audit = adviceText(page.Advice.Kind), auditRows(d.Audit)
	if page.Grants, err = s.Complaints.Grants(r.Context(), id); err != nil {
		s.StaffError(w, "list compensation", err)
		return
	}
	if page.Currency, err = s.Complaints.CurrencyOf(r.Context(), id); err != nil {
		s.StaffError(w, "read currency", err)
		return
	}
	page.Limit = s.Complaints.Governance().Limits[string(u.Role)]
	if s.Corrections != nil {
		made, err := s.Corrections.List(r.Context(), d.Reply.ID)
		if err != nil {
			s.StaffError(w, "list corrections", err)
			return
		}
		rd := newReading(d.Reply.ID, d.Reply.Reasons, d.Reply.Signals, made, fmt.Sprintf("/cx/complaints/%d", d.ID))
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
	s.RenderStaff(w, r, status, "cx_complaint", fmt.Sprintf("Complaint #%d", d.ID), page)
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
	page := complaintPage{Values: map[string]string{}, Errors: map[string]string{}}
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
		page.Problem = "The reply was not sent yet: check the warnings below, then send it anyway or edit it."
	case http.StatusBadRequest:
		page.Errors[action+"."+p.Field] = p.Message
		page.Problem = "Not done: " + p.Message
	case http.StatusConflict, http.StatusForbidden: // a *complaints.ConflictError or NotAllowedError
		page.Problem = "Not done: " + p.Message
	default:
		s.StaffError(w, action+" complaint", err)
		return
	}
	s.renderComplaint(w, r, id, status, page)
}
