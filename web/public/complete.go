package public

import (
	"net/http"
	"strconv"
	"time"

	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/web"
)

// completeSubmit takes the answers of a customer who came back to complete
// a partial reply: they are merged over the earlier ones, the reply is
// scored again and its complaint updated (replies.Service.Complete). A
// required question answered the first time needs no second answer.
func (s *Server) completeSubmit(w http.ResponseWriter, r *http.Request, inv surveys.Invitation, sv *surveys.Survey, locale string) {
	given, err := s.Surveys.Answers(r.Context(), inv.ID)
	if err != nil {
		s.failed(w, r, locale, "load answers", err)
		return
	}
	answers, problems := sv.ParseForm(r.PostForm)
	for key, p := range problems {
		if _, ok := given[key]; ok && p == surveys.ProblemRequired {
			delete(problems, key)
		}
	}
	if len(problems) > 0 {
		view := buildSurveyView(sv, locale, surveys.Merge(given, answers), problems)
		view.Partial = templates.T(locale, "survey.partial")
		s.renderSurvey(w, r, http.StatusUnprocessableEntity, inv, locale, view, "")
		return
	}
	out, err := s.Replies.Complete(r.Context(), inv, sv, answers, locale)
	if err != nil {
		status, failure := http.StatusInternalServerError, "error.500.body"
		if web.Unavailable(err) {
			s.Log.Warn("complete reply: a dependency is down", "invitation", inv.ID, "err", err)
			status, failure = http.StatusServiceUnavailable, "retry.body"
			w.Header().Set("Retry-After", strconv.Itoa(int(web.RetryAfter/time.Second)))
		} else {
			s.Log.Error("complete reply", "invitation", inv.ID, "err", err)
		}
		view := buildSurveyView(sv, locale, surveys.Merge(given, answers), nil)
		view.Partial = templates.T(locale, "survey.partial")
		s.renderSurvey(w, r, status, inv, locale, view, failure)
		return
	}
	switch {
	case out.Kept != nil:
		s.Log.Info("reply completed; complaint updated", "complaint", out.Kept.ID, "response", out.ResponseID,
			"priority", out.Kept.Priority.String(), "raised", out.Kept.Raised, "resolved", out.Kept.Resolved)
	case out.Complaint != nil && out.Complaint.Created:
		s.Log.Info("reply completed; complaint opened", "complaint", out.Complaint.ID, "response", out.ResponseID,
			"priority", out.Complaint.Priority.String(), "due_at", out.Complaint.DueAt)
	}
	http.Redirect(w, r, thanksURL(r, locale), http.StatusSeeOther)
}
