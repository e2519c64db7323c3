package staff

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/internal/trunc"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

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
	// View is the queue's query, kept by the bulk form to come back to it.
	View   string
	Teams  []string
	Risks  []choice
	Signal []string
	Sorts  []choice
	Owners []users.User
	Zone   viewerZone
	// Error is a filter not understood (Field names it); BulkError a
	// bulk assignment that could not start.
	Error, ErrorField string
	BulkError         string
	Bulk              *bulkResult
}

type queueRow struct {
	complaints.Complaint
	Age, LastActivity string
	Left              timeLeft
	Excerpt           string
	Value, Segment    string
}

// excerptRunes is how much of the comment a queue row shows.
const excerptRunes = 90

// pageQueue is the CX team's queue: the most urgent complaint first (or the
// order asked), the usual views with their counts, filters and the
// customer search, all kept in the URL.
func (s *Server) pageQueue(w http.ResponseWriter, r *http.Request) {
	s.renderQueue(w, r, r.URL.Query(), http.StatusOK, nil, "")
}

func (s *Server) renderQueue(w http.ResponseWriter, r *http.Request, q url.Values, status int, bulk *bulkResult, bulkErr string) {
	u, _ := web.UserFrom(r.Context())
	locale := cxLocale(r)
	now := s.Clock.Now()
	page := queuePage{Filter: q, View: q.Encode(), Signal: signalNames(), Zone: s.zoneOf(r), Bulk: bulk, BulkError: bulkErr}
	for _, k := range surveys.Risks {
		page.Risks = append(page.Risks, choice{string(k), s.Templates.Label(locale, "risk", string(k))})
	}
	for _, k := range complaints.Sorts {
		page.Sorts = append(page.Sorts, choice{k, templates.T(locale, "cx.sort."+k)})
	}
	f, field, msg := web.ComplaintFilter(q, u)
	if msg != "" {
		page.Error, page.ErrorField = msg, field
		if status == http.StatusOK {
			status = http.StatusBadRequest
		}
		f = complaints.Filter{Limit: 100}
	}
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
	if page.Owners, err = s.Users.ByRole(r.Context(), users.CX, users.Manager); err != nil {
		s.StaffError(w, "list owners", err)
		return
	}
	cals, err := s.calendars(r.Context())
	if err != nil {
		s.StaffError(w, "read team calendars", err)
		return
	}
	currency := s.Complaints.Governance().Currency
	for _, c := range list {
		page.Rows = append(page.Rows, s.queueRowOf(locale, c, now, cals.left(c.Team, now, c.DueAt), currency))
	}
	current := page.View
	for _, v := range []queueView{
		{"cx.view.open", "", counts.Open, false},
		{"cx.view.mine", "owner=me", counts.Mine, false},
		{"cx.view.unassigned", "owner=unassigned", counts.Unassigned, false},
		{"cx.view.overdue", "overdue=true", counts.Overdue, false},
		{"cx.view.dd", "double_deviation=true", counts.DoubleDeviation, false},
		{"cx.view.replied", "replied=true", counts.CustomerReplied, false},
		{"P1", "priority=P1", counts.P1, false},
		{"P2", "priority=P2", counts.P2, false},
		{"P3", "priority=P3", counts.P3, false},
		{"P4", "priority=P4", counts.P4, false},
		{"cx.view.resolved", "state=resolved", counts.ResolvedToday, false},
	} {
		v.Label = templates.T(locale, v.Label)
		v.Current = v.Query == current
		page.Views = append(page.Views, v)
	}
	s.renderCX(w, r, status, locale, "cx_queue", templates.T(locale, "cx.queue.title"), page)
}

// queueRowOf is one complaint as a lead scans it.
func (s *Server) queueRowOf(locale string, c complaints.Complaint, now time.Time, left time.Duration, currency string) queueRow {
	if c.CustomerCurrency != "" {
		currency = c.CustomerCurrency
	}
	row := queueRow{Complaint: c,
		Age:          ageText(locale, now.Sub(c.OpenedAt)),
		LastActivity: ageText(locale, now.Sub(c.LastActivityAt)),
		Left:         leftText(locale, left, c.State == complaints.StateResolved),
		Value:        moneyText(locale, c.CustomerValueCents, currency),
	}
	row.Segment, _ = s.segmentOf(locale, c.CustomerSegment, c.CustomerValueCents)
	row.Excerpt = trunc.Runes(c.Comment, excerptRunes)
	if row.Excerpt != c.Comment {
		row.Excerpt += "…"
	}
	return row
}

func signalNames() []string {
	out := make([]string, len(surveys.SignalKinds))
	for i, k := range surveys.SignalKinds {
		out[i] = string(k)
	}
	return out
}

// bulkResult says what a bulk assignment did to each complaint ticked.
type bulkResult struct {
	To       string
	Assigned []int64
	Refused  []bulkRefusal
}

type bulkRefusal struct {
	ID     int64
	Reason string
}

// maxBulk bounds one bulk assignment, as the queue shows at most 1000.
const maxBulk = 1000

// pageBulkAssign gives the complaints ticked in the queue to one person,
// each under the same rules as assigning it alone (only its owner or a
// manager may reassign an owned complaint), then shows the queue again
// with what was assigned and what was refused, and why.
func (s *Server) pageBulkAssign(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "unreadable form", http.StatusBadRequest)
		return
	}
	locale := cxLocale(r)
	view, err := url.ParseQuery(r.PostForm.Get("view"))
	if err != nil {
		view = url.Values{}
	}
	var ids []int64
	for _, raw := range r.PostForm["id"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			s.renderQueue(w, r, view, http.StatusBadRequest, nil, templates.T(locale, "cx.bulk.bad_id", raw))
			return
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 || len(ids) > maxBulk {
		s.renderQueue(w, r, view, http.StatusBadRequest, nil, templates.T(locale, "cx.bulk.none"))
		return
	}
	ownerID, _ := strconv.ParseInt(r.PostForm.Get("owner_id"), 10, 64)
	to, err := s.Assignee(r, ownerID, "")
	if err != nil {
		if web.ProblemOf(err).Status == http.StatusBadRequest {
			s.renderQueue(w, r, view, http.StatusBadRequest, nil, templates.T(locale, "cx.bulk.no_owner"))
			return
		}
		s.StaffError(w, "find assignee", err)
		return
	}
	u, _ := web.UserFrom(r.Context())
	by := web.ActorOf(u)
	res := &bulkResult{To: to.Name}
	if res.To == "" {
		res.To = to.Email
	}
	for _, id := range ids {
		err := s.Loop.Assign(r.Context(), id, to, by)
		if err == nil {
			res.Assigned = append(res.Assigned, id)
			continue
		}
		p := web.ProblemOf(err)
		if p.Status >= 500 {
			s.StaffError(w, "assign complaint", err)
			return
		}
		reason := problemText(locale, err)
		if p.Status == http.StatusNotFound {
			reason = templates.T(locale, "cx.bulk.gone")
		}
		res.Refused = append(res.Refused, bulkRefusal{ID: id, Reason: reason})
	}
	status := http.StatusOK
	if len(res.Assigned) == 0 {
		status = http.StatusConflict
	}
	s.renderQueue(w, r, view, status, res, "")
}
