package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/followup/followup/surveys"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// surveyAPIRoutes are the survey API's: marketing writes, CX and managers read.
func (s *Server) surveyAPIRoutes(mux *web.Router) {
	api := mux.Tokens() // the JSON API takes bearer tokens
	api.HandleFunc("GET /api/v1/surveys", web.Roles(users.Marketing, users.CX, users.Manager), s.apiListSurveys)
	api.HandleFunc("POST /api/v1/surveys", web.Roles(users.Marketing), s.apiCreateSurvey)
	api.HandleFunc("GET /api/v1/surveys/{slug}", web.Roles(users.Marketing, users.CX, users.Manager), s.apiGetSurvey)
	api.HandleFunc("PUT /api/v1/surveys/{slug}", web.Roles(users.Marketing), s.apiUpdateSurvey)
	api.HandleFunc("POST /api/v1/surveys/{slug}/duplicate", web.Roles(users.Marketing), s.apiDuplicateSurvey)
	api.HandleFunc("GET /api/v1/surveys/{slug}/versions/{version}", web.Roles(users.Marketing, users.CX, users.Manager), s.apiGetSurveyVersion)
}

// surveyInput is a survey definition as marketing sends it.
type surveyInput struct {
	Slug       string             `json:"slug"`
	Name       string             `json:"name"`
	Thresholds surveys.Thresholds `json:"thresholds"`
	Questions  []surveys.Question `json:"questions"`
	// Note says why the survey changed; kept with the version it makes.
	Note string `json:"note"`
	// AcknowledgeMild, when given, changes the survey's setting in place.
	AcknowledgeMild *bool `json:"acknowledge_mild"`
}

// applySettings stores the settings given with a definition.
func (s *Server) applySettings(r *http.Request, slug string, in surveyInput) error {
	if in.AcknowledgeMild == nil {
		return nil
	}
	return s.Surveys.SetSettings(r.Context(), slug, surveys.Settings{AcknowledgeMild: *in.AcknowledgeMild})
}

func (in surveyInput) survey() surveys.Survey {
	for i := range in.Questions {
		in.Questions[i].ID = 0
	}
	return surveys.Survey{Slug: in.Slug, Name: in.Name, Thresholds: in.Thresholds, Questions: in.Questions}
}

func (s *Server) apiListSurveys(w http.ResponseWriter, r *http.Request) {
	list, err := s.Surveys.List(r.Context())
	if err != nil {
		s.Log.Error("list surveys", "err", err)
		web.WriteServerError(w, err, "surveys could not be listed; retry later")
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"surveys": list})
}

func (s *Server) apiCreateSurvey(w http.ResponseWriter, r *http.Request) {
	var in surveyInput
	if field, err := web.DecodeJSON(w, r, 1<<20, &in); err != nil {
		web.WriteError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	if in.Thresholds == nil {
		in.Thresholds = surveys.Thresholds{}
	}
	sv, err := s.Surveys.Create(r.Context(), in.survey())
	if err == nil {
		err = s.applySettings(r, sv.Slug, in)
	}
	if s.surveyWriteError(w, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/surveys/"+sv.Slug)
	web.WriteJSON(w, http.StatusCreated, map[string]any{"survey": sv, "new_version": true})
}

func (s *Server) apiUpdateSurvey(w http.ResponseWriter, r *http.Request) {
	var in surveyInput
	if field, err := web.DecodeJSON(w, r, 1<<20, &in); err != nil {
		web.WriteError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	slug := r.PathValue("slug")
	if in.Slug != "" && in.Slug != slug {
		web.WriteError(w, http.StatusBadRequest, "slug", "the slug of a survey cannot change; create a new survey instead")
		return
	}
	if in.Thresholds == nil {
		in.Thresholds = surveys.Thresholds{}
	}
	up, err := s.Surveys.Update(r.Context(), slug, in.survey(), in.Note)
	if err == nil {
		err = s.applySettings(r, slug, in)
	}
	if s.surveyWriteError(w, err) {
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"survey": up.Survey, "new_version": up.NewVersion})
}

// apiDuplicateSurvey copies the latest version of a survey into a new one,
// {"slug": "…", "name": "…"} (the name defaults to the original's with
// " (copy)"): 201 with the copy, version 1.
func (s *Server) apiDuplicateSurvey(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Slug string `json:"slug"`
		Name string `json:"name"`
	}
	if field, err := web.DecodeJSON(w, r, 1<<16, &in); err != nil {
		web.WriteError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	sv, err := s.Surveys.Duplicate(r.Context(), r.PathValue("slug"), in.Slug, in.Name)
	if s.surveyWriteError(w, err) {
		return
	}
	w.Header().Set("Location", "/api/v1/surveys/"+sv.Slug)
	web.WriteJSON(w, http.StatusCreated, map[string]any{"survey": sv, "new_version": true})
}

// surveyWriteError answers a failed create or update; it returns false
// when err is nil.
func (s *Server) surveyWriteError(w http.ResponseWriter, err error) bool {
	if err == nil {
		return false
	}
	p := web.ProblemOf(err)
	switch {
	case errors.Is(err, surveys.ErrSlugTaken):
		web.WriteError(w, p.Status, "slug", "a survey with this slug already exists")
	case p.Status == http.StatusBadRequest:
		web.WriteFields(w, p.Status, p.Field+" "+p.Message, p.Fields)
	case p.Status == http.StatusConflict: // a *surveys.MeaningError
		web.WriteError(w, p.Status, p.Field, p.Message)
	case p.Status == http.StatusNotFound:
		web.WriteError(w, p.Status, "", "no survey with this slug")
	default:
		s.Log.Error("save survey", "err", err)
		web.WriteServerError(w, err, "the survey could not be saved; nothing was changed, retry later")
	}
	return true
}

func (s *Server) apiGetSurvey(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	sv, err := s.Surveys.Latest(r.Context(), slug)
	if err == nil {
		var versions []surveys.VersionInfo
		var settings surveys.Settings
		versions, err = s.Surveys.Versions(r.Context(), slug)
		if err == nil {
			settings, err = s.Surveys.Settings(r.Context(), slug)
		}
		if err == nil {
			web.WriteJSON(w, http.StatusOK, map[string]any{"survey": sv, "versions": versions, "settings": settings})
			return
		}
	}
	s.surveyReadError(w, err)
}

func (s *Server) apiGetSurveyVersion(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || n < 1 {
		web.WriteError(w, http.StatusBadRequest, "version", "the version must be a positive whole number")
		return
	}
	sv, err := s.Surveys.VersionNumber(r.Context(), r.PathValue("slug"), n)
	if err != nil {
		s.surveyReadError(w, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"survey": sv})
}

func (s *Server) surveyReadError(w http.ResponseWriter, err error) {
	if errors.Is(err, surveys.ErrNotFound) {
		web.WriteError(w, http.StatusNotFound, "", "no such survey or version")
		return
	}
	s.Log.Error("read survey", "err", err)
	web.WriteServerError(w, err, "the survey could not be read; retry later")
}
