package public

import (
	"net/http"
	"strconv"

	"github.com/followup/followup/templates"
	"github.com/followup/followup/web"
)

// surveyPreview shows a survey version as customers see it, read-only:
// what the links of previews and test emails open (public, as test emails
// reach colleagues who are not signed in; questions are not secret).
// Nothing is recorded.
func (s *Server) surveyPreview(w http.ResponseWriter, r *http.Request) {
	vid, err := strconv.ParseInt(r.PathValue("version"), 10, 64)
	if err != nil || vid <= 0 {
		http.NotFound(w, r)
		return
	}
	locale := web.RequestLocale(r, "")
	sv, err := s.Surveys.Version(r.Context(), vid)
	if err != nil {
		s.RenderMessage(w, r, http.StatusNotFound, locale, "error.404")
		return
	}
	answers, score, picked := preselect(sv, r.URL.Query().Get("score"))
	view := buildSurveyView(sv, locale, answers, nil)
	view.Action = r.URL.Path
	view.Intro = templates.T(locale, "preview.intro")
	if picked {
		view.Preselected = templates.T(locale, "survey.preselected", score)
	}
	s.RenderPage(w, http.StatusOK, "survey", templates.PageData{
		Locale: locale, Title: templates.T(locale, "survey.title"), AltLocaleURL: web.AltLocaleURL(r, locale), Data: view,
	})
}
