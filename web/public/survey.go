package public

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/web"
)

func (s *Server) surveyRoutes(mux *web.Router) {
	mux.HandleFunc("GET "+surveys.SurveyPath+"{token}", web.Public, s.surveyPage)
	mux.HandleFunc("POST "+surveys.SurveyPath+"{token}", web.Public, s.surveySubmit)
	mux.HandleFunc("GET "+surveys.SurveyPath+"{token}/thanks", web.Public, s.surveyThanks)
	// The preview of a survey version, as customers see it: what the
	// links of campaign previews and test emails open.
	mux.HandleFunc("GET /preview/surveys/{version}", web.Public, s.surveyPreview)
	mux.HandleFunc("POST /preview/surveys/{version}", web.Public, s.surveyPreview)
}

// openInvitation verifies the link of the request and loads its invitation.
// On failure it has already answered: 403 for a link we did not sign, 410
// for an expired or withdrawn one, in the customer's language when known.
// Nothing is stored in either case. An answered invitation stays
// reachable (its thank-you page); live says whether its link may still be
// used to answer: signed, not expired, not withdrawn.
func (s *Server) openInvitation(w http.ResponseWriter, r *http.Request) (surveys.Invitation, bool, bool) {
	now := s.Clock.Now()
	claims, err := s.Signer.Verify(surveys.PurposeSurvey, r.PathValue("token"), now)
	if errors.Is(err, surveys.ErrLinkTampered) {
		s.RenderMessage(w, r, http.StatusForbidden, web.RequestLocale(r, ""), "error.403")
		return surveys.Invitation{}, false, false
	}
	inv, lerr := s.Surveys.Invitation(r.Context(), claims.InvitationID)
	if errors.Is(lerr, surveys.ErrNotFound) {
		s.renderClosed(w, r, web.RequestLocale(r, ""))
		return inv, false, false
	}
	if lerr != nil {
		s.failed(w, r, web.FormLocale(r, ""), "load invitation", lerr)
		return inv, false, false
	}
	locale := web.RequestLocale(r, inv.Locale)
	live := err == nil && inv.CheckOpen(now) == nil
	if inv.Answered() {
		return inv, live, true // the thank-you page stays reachable
	}
	if !live { // expired signature, expired or withdrawn invitation
		s.renderClosed(w, r, locale)
		return inv, false, false
	}
	return inv, true, true
}

// completable says whether the customer may complete a partial reply
// through this link now: the link's life bounds it like a first answer.
func completable(inv surveys.Invitation, live bool) bool { return live && inv.Partial() }

// renderClosed answers a link that can no longer be answered (410): the
// survey is closed, and how a customer who still wants to be heard reaches
// the team (the brand's contact address and page).
func (s *Server) renderClosed(w http.ResponseWriter, r *http.Request, locale string) {
	s.RenderPage(w, http.StatusGone, "closed", templates.PageData{
		Locale: locale, Title: templates.T(locale, "error.410.title"), AltLocaleURL: web.AltLocaleURL(r, locale),
		Data: templates.T(locale, "error.410.body"),
	})
}

func (s *Server) surveyPage(w http.ResponseWriter, r *http.Request) {
	inv, live, ok := s.openInvitation(w, r)
	if !ok {
		return
	}
	locale := web.RequestLocale(r, inv.Locale)
	if inv.Answered() && !completable(inv, live) {
		s.renderThanks(w, r, http.StatusOK, locale, inv, false)
		return
	}
	sv, ok := s.surveyOf(w, r, inv, locale)
	if !ok {
		return
	}
	if inv.Answered() {
		// A partial reply: what was given is shown, the rest may follow.
		given, err := s.Surveys.Answers(r.Context(), inv.ID)
		if err != nil {
			s.failed(w, r, locale, "load answers", err)
			return
		}
		view := buildSurveyView(sv, locale, given, nil)
		view.Partial = templates.T(locale, "survey.partial")
		s.renderSurvey(w, r, http.StatusOK, inv, locale, view, "")
		return
	}
	answers, score, picked := preselect(sv, r.URL.Query().Get("score"))
	view := buildSurveyView(sv, locale, answers, nil)
	if picked {
		view.Preselected = templates.T(locale, "survey.preselected", score)
	}
	s.renderSurvey(w, r, http.StatusOK, inv, locale, view, "")
}

func (s *Server) surveySubmit(w http.ResponseWriter, r *http.Request) {
	inv, live, ok := s.openInvitation(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.RenderMessage(w, r, http.StatusBadRequest, web.RequestLocale(r, inv.Locale), "error.500")
		return
	}
	locale := web.FormLocale(r, inv.Locale)
	if inv.Answered() && !completable(inv, live) {
		http.Redirect(w, r, thanksURL(r, locale), http.StatusSeeOther)
		return
	}
	sv, ok := s.surveyOf(w, r, inv, locale)
	if !ok {
		return
	}
	if inv.Answered() {
		s.completeSubmit(w, r, inv, sv, locale)
		return
	}
	answers, problems := sv.ParseForm(r.PostForm)
	if len(problems) > 0 {
		s.renderSurvey(w, r, http.StatusUnprocessableEntity, inv, locale, buildSurveyView(sv, locale, answers, problems), "")
		return
	}
	// Stored, scored and, when negative, the complaint opened, in one
	// transaction: no queue between the customer and the CX team.
	out, err := s.Replies.Submit(r.Context(), inv, sv, answers, locale)
	if err != nil {
		// The answers stay filled in, to be sent again.
		status, failure := http.StatusInternalServerError, "error.500.body"
		if web.Unavailable(err) {
			s.Log.Warn("submit survey: a dependency is down", "invitation", inv.ID, "err", err)
			status, failure = http.StatusServiceUnavailable, "retry.body"
			w.Header().Set("Retry-After", strconv.Itoa(int(web.RetryAfter/time.Second)))
		} else {
			s.Log.Error("submit survey", "invitation", inv.ID, "err", err)
		}
		s.renderSurvey(w, r, status, inv, locale, buildSurveyView(sv, locale, answers, nil), failure)
		return
	}
	if out.Deferred {
		// Stored without its scores: the scoring task takes over, after the
		// commit; should Redis be down too, the reconciler enqueues it later.
		s.Log.Warn("reply stored unscored; scoring deferred to the worker", "response", out.ResponseID, "err", out.DeferredBy)
		if err := s.Scoring.EnqueueScore(r.Context(), out.ResponseID); err != nil {
			s.Log.Warn("enqueue scoring; the reconciler will retry", "response", out.ResponseID, "err", err)
		}
	}
	if out.Complaint != nil && out.Complaint.Created {
		s.Log.Info("complaint opened", "complaint", out.Complaint.ID, "response", out.ResponseID,
			"priority", out.Complaint.Priority.String(), "due_at", out.Complaint.DueAt)
	}
	http.Redirect(w, r, thanksURL(r, locale), http.StatusSeeOther)
}

func (s *Server) surveyThanks(w http.ResponseWriter, r *http.Request) {
	inv, live, ok := s.openInvitation(w, r)
	if !ok {
		return
	}
	locale := web.RequestLocale(r, inv.Locale)
	if !inv.Answered() {
		http.Redirect(w, r, surveys.SurveyPath+r.PathValue("token")+"?lang="+locale, http.StatusSeeOther)
		return
	}
	s.renderThanks(w, r, http.StatusOK, locale, inv, completable(inv, live))
}

// surveyOf loads the survey version an invitation was sent with.
func (s *Server) surveyOf(w http.ResponseWriter, r *http.Request, inv surveys.Invitation, locale string) (*surveys.Survey, bool) {
	sv, err := s.Surveys.Version(r.Context(), inv.SurveyVersionID)
	if err != nil {
		s.failed(w, r, locale, "load survey", err)
		return nil, false
	}
	return sv, true
}

// failed answers a customer's page that could not be served: 503 and a
// page asking to try again in a minute when a dependency is down (the
// answers posted kept on it, ready to be sent again), else 500.
func (s *Server) failed(w http.ResponseWriter, r *http.Request, locale, what string, err error) {
	if web.Unavailable(err) {
		s.Log.Warn(what+": a dependency is down", "err", err)
		s.CustomerUnavailable(w, r, locale)
		return
	}
	s.Log.Error(what, "err", err)
	s.RenderMessage(w, r, http.StatusInternalServerError, locale, "error.500")
}

// renderSurvey shows the survey page; failure, when set, is the key of a
// message shown above the form (the answers stay filled in).
func (s *Server) renderSurvey(w http.ResponseWriter, r *http.Request, status int, inv surveys.Invitation, locale string, view surveyView, failure string) {
	view.Action = surveys.SurveyPath + r.PathValue("token")
	if failure != "" {
		view.Failure = templates.T(locale, failure)
	}
	if inv.CustomerName != "" {
		view.Intro = templates.T(locale, "survey.intro", inv.CustomerName)
	} else {
		view.Intro = templates.T(locale, "survey.intro.anon")
	}
	s.RenderPage(w, status, "survey", templates.PageData{
		Locale: locale, Title: templates.T(locale, "survey.title"), AltLocaleURL: web.AltLocaleURL(r, locale), Data: view,
	})
}

// thanksView is the thank-you page's content: MoreURL, when set, leads
// back to the survey to complete a partial reply.
type thanksView struct {
	Body, MoreURL, MoreText string
}

// renderThanks shows the thank-you page; after a negative reply it says
// that someone will get in touch, because a complaint is already open.
// After a partial reply whose link still lives, it offers the other
// questions.
func (s *Server) renderThanks(w http.ResponseWriter, r *http.Request, status int, locale string, inv surveys.Invitation, more bool) {
	v := thanksView{Body: templates.T(locale, "thanks.body")}
	if inv.Negative != nil && *inv.Negative {
		v.Body += " " + templates.T(locale, "thanks.negative")
	}
	if more {
		v.MoreURL, v.MoreText = surveys.SurveyPath+r.PathValue("token")+"?lang="+locale, templates.T(locale, "thanks.more")
	}
	s.RenderPage(w, status, "thanks", templates.PageData{
		Locale: locale, Title: templates.T(locale, "thanks.title"), AltLocaleURL: web.AltLocaleURL(r, locale),
		Data: v,
	})
}

func thanksURL(r *http.Request, locale string) string {
	return surveys.SurveyPath + r.PathValue("token") + "/thanks?lang=" + locale
}
