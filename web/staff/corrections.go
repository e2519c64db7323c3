package staff

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/followup/followup/corrections"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// correctionRoutes serve the agents' corrections of the comment reading
// on the staff pages: the list of replies that opened no complaint, and the
// form the complaint page and that list post to; both are the CX team's.
func (s *Server) correctionRoutes(mux *web.Router) {
	if s.Corrections == nil {
		return
	}
	mux.HandleFunc("GET /cx/replies", web.Roles(users.CX, users.Manager), s.pageReplies)
	mux.HandleFunc("POST /cx/responses/{id}/corrections", web.Roles(users.CX, users.Manager), s.pageCorrect)
}

// correctionChoices are the correction buttons, named in locale.
func correctionChoices(locale string) []choice {
	out := make([]choice, len(corrections.Kinds))
	for i, k := range corrections.Kinds {
		out[i] = choice{string(k), templates.CorrectionLabel(locale, string(k))}
	}
	return out
}

// decidedKeys name which part of a reply made it negative.
var decidedKeys = map[string]string{
	surveys.DecidedByRatings: "reading.decided.ratings",
	surveys.DecidedByComment: "reading.decided.comment",
	surveys.DecidedByBoth:    "reading.decided.both",
}

// reading is the "Reading of the comment" box: what decided the reply was
// negative, the signals read with their confidence, the corrections made
// and the buttons to add one.
type reading struct {
	ResponseID int64
	// DecidedBy is "the ratings", "the comment", "the ratings and the
	// comment", or empty when the reply was not negative.
	DecidedBy   string
	Signals     []readSignal
	Corrections []correctionRow
	Kinds       []choice
	// Back is where the correction form returns.
	Back string
	// Compact is the box in a list of replies: no heading, and no "not a
	// complaint" for a reply the reading did not find negative.
	Compact bool
}

// readSignal is one signal read in the comment.
type readSignal struct {
	Kind, Label, Evidence string
	// Confidence is the model's, as a percentage; empty for a kind found
	// by a rule or added by an agent.
	Confidence string
}

// correctionRow is one correction made, in words.
type correctionRow struct {
	Kind, What, By, When string
}

// newReading builds the box from a reply's stored reasons and signals,
// in English.
func newReading(responseID int64, rawReasons, rawSignals json.RawMessage, list []corrections.Correction, back string) reading {
	return newReadingIn("en", responseID, rawReasons, rawSignals, list, back)
}

// newReadingIn builds the box in locale.
func newReadingIn(locale string, responseID int64, rawReasons, rawSignals json.RawMessage, list []corrections.Correction, back string) reading {
	var reasons []surveys.Reason
	var signals []surveys.Signal
	_ = json.Unmarshal(rawReasons, &reasons) // a reply not scored yet has none
	_ = json.Unmarshal(rawSignals, &signals)
	rd := reading{ResponseID: responseID, Kinds: correctionChoices(locale), Back: back}
	if key, ok := decidedKeys[surveys.DecidedBy(reasons)]; ok {
		rd.DecidedBy = templates.T(locale, key)
	}
	for _, sg := range signals {
		row := readSignal{Kind: string(sg.Kind), Label: templates.SignalLabelIn(locale, string(sg.Kind)), Evidence: sg.Evidence}
		if sg.Confidence > 0 {
			row.Confidence = templates.Number(locale, sg.Confidence*100, 0) + " %"
		}
		rd.Signals = append(rd.Signals, row)
	}
	for _, c := range list {
		rd.Corrections = append(rd.Corrections, correctionRow{Kind: string(c.Kind), What: templates.CorrectionLabel(locale, string(c.Kind)), By: c.By,
			When: c.CreatedAt.UTC().Format("2006-01-02 15:04 UTC")})
	}
	return rd
}

// repliesPage lists replies with a comment that opened no complaint.
type repliesPage struct {
	Rows           []replyRow
	Page           int
	PrevURL        string
	NextURL        string
	Flash, Problem string
}

type replyRow struct {
	corrections.Reply
	Reading reading
}

// repliesPerPage is how many replies /cx/replies shows at once.
const repliesPerPage = 50

// pageReplies lists the replies with a comment that opened no complaint,
// newest first, with their scores, the reading of the comment and the
// correction buttons, so an agent catches what the model missed.
func (s *Server) pageReplies(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	locale := web.StaffLocale(r)
	page := repliesPage{Page: 1}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			http.Error(w, "page must be a whole number from 1", http.StatusBadRequest)
			return
		}
		page.Page = n
	}
	if q.Get("done") == "correct" {
		page.Flash = templates.T(locale, "replies.flash.correct")
	}
	list, err := s.Corrections.Uncomplained(r.Context(), repliesPerPage+1, (page.Page-1)*repliesPerPage)
	if err != nil {
		s.StaffError(w, "list replies", err)
		return
	}
	if len(list) > repliesPerPage {
		list = list[:repliesPerPage]
		page.NextURL = fmt.Sprintf("/cx/replies?page=%d", page.Page+1)
	}
	if page.Page > 1 {
		page.PrevURL = fmt.Sprintf("/cx/replies?page=%d", page.Page-1)
	}
	ids := make([]int64, len(list))
	for i, rp := range list {
		ids[i] = rp.ID
	}
	made, err := s.Corrections.ListFor(r.Context(), ids)
	if err != nil {
		s.StaffError(w, "list corrections", err)
		return
	}
	back := fmt.Sprintf("/cx/replies?page=%d", page.Page)
	for _, rp := range list {
		rd := newReadingIn(locale, rp.ID, rp.Reasons, rp.Signals, made[rp.ID], back)
		rd.Compact = true
		if rd.DecidedBy == "" {
			rd.Kinds = slices.DeleteFunc(rd.Kinds, func(c choice) bool { return c.Value == string(corrections.NotComplaint) })
		}
		page.Rows = append(page.Rows, replyRow{Reply: rp, Reading: rd})
	}
	s.RenderStaff(w, r, http.StatusOK, "cx_replies", templates.T(locale, "replies.title"), page)
}

// pageCorrect records a correction from a staff page's form (kind, and
// back: the page to return to), then returns there saying so.
func (s *Server) pageCorrect(w http.ResponseWriter, r *http.Request) {
	id, ok := pathIDPage(w, r)
	if !ok {
		return
	}
	u, _ := web.UserFrom(r.Context())
	added, err := s.Corrections.Add(r.Context(), id, u.ID, corrections.Kind(r.PostFormValue("kind")), s.Clock.Now())
	if err != nil {
		status, _, msg := s.CorrectionError(err)
		if status == http.StatusInternalServerError {
			s.StaffError(w, "correct comment reading", err)
			return
		}
		locale := web.StaffLocale(r)
		s.RenderStaff(w, r, status, "message", templates.T(locale, "replies.not_recorded.title"), templates.T(locale, "replies.not_recorded.body", msg))
		return
	}
	back := r.PostFormValue("back")
	if !strings.HasPrefix(back, "/cx/") || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") {
		back = "/cx/replies"
	}
	done := "correct"
	// The complaint the correction opened is where the agent goes next.
	if added.Opened != nil {
		back, done = fmt.Sprintf("/cx/complaints/%d", added.Opened.ID), "opened-by-correction"
	}
	u2, err := url.Parse(back)
	if err != nil {
		u2 = &url.URL{Path: "/cx/replies"}
	}
	v := u2.Query()
	v.Set("done", done)
	u2.RawQuery, u2.Fragment = v.Encode(), "reading"
	if u2.Path == "/cx/replies" {
		u2.Fragment = fmt.Sprintf("reply-%d", id)
	}
	http.Redirect(w, r, u2.String(), http.StatusSeeOther)
}
