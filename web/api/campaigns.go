package api

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

func (s *Server) campaignRoutes(mux *web.Router) {
	mux = mux.Tokens() // the JSON API takes bearer tokens
	mux.HandleFunc("GET /api/v1/campaigns", web.Roles(users.Marketing, users.Manager), s.apiListCampaigns)
	mux.HandleFunc("POST /api/v1/campaigns", web.Roles(users.Marketing), s.apiCreateCampaign)
	mux.HandleFunc("GET /api/v1/campaigns/{id}", web.Roles(users.Marketing, users.Manager), s.apiGetCampaign)
	mux.HandleFunc("PUT /api/v1/campaigns/{id}", web.Roles(users.Marketing), s.apiUpdateCampaign)
	mux.HandleFunc("POST /api/v1/campaigns/{id}/{action}", web.Roles(users.Marketing), s.apiCampaignAction)
	// Admins only: after an outage, not part of running a campaign.
	mux.HandleFunc("POST /api/v1/campaigns/{id}/resend-failed", web.Roles(), s.apiResendFailed)
	mux.HandleFunc("GET /api/v1/campaigns/{id}/preview", web.Roles(users.Marketing, users.Manager), s.apiPreviewCampaign)
	mux.HandleFunc("GET /api/v1/campaigns/{id}/stats", web.Roles(users.Marketing, users.Manager), s.apiCampaignStats)
}

func (s *Server) apiListCampaigns(w http.ResponseWriter, r *http.Request) {
	list, err := s.Campaigns.List(r.Context())
	if err != nil {
		s.InternalError(w, "list campaigns", err)
		return
	}
	out := make([]campaignJSON, 0, len(list))
	for _, c := range list {
		out = append(out, campaignOut(c))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"campaigns": out})
}

func (s *Server) apiCreateCampaign(w http.ResponseWriter, r *http.Request) {
	var body campaignJSON
	if field, err := web.DecodeJSON(w, r, 1<<16, &body); err != nil {
		web.WriteError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	c, fs := body.toCampaign(0, s.Clock.Now())
	if body.State != "" && body.State != scheduler.StateDraft && body.State != scheduler.StateActive {
		rest := slices.DeleteFunc(fs, func(f *invalid.FieldError) bool { return f.Field == "state" })
		fs = append(invalid.Fields{invalid.Field("state", "a new campaign is draft (the default) or active")}, rest...)
	}
	if len(fs) > 0 {
		web.WriteFields(w, http.StatusBadRequest, fs[0].Field+" "+fs[0].Message, fs)
		return
	}
	created, err := s.Campaigns.Create(r.Context(), c, s.Clock.Now())
	if s.campaignError(w, err) {
		return
	}
	web.WriteJSON(w, http.StatusCreated, campaignOut(created))
}

func (s *Server) apiGetCampaign(w http.ResponseWriter, r *http.Request) {
	c, ok := s.campaignOf(w, r)
	if !ok {
		return
	}
	web.WriteJSON(w, http.StatusOK, campaignOut(c))
}

func (s *Server) apiUpdateCampaign(w http.ResponseWriter, r *http.Request) {
	id, ok := web.PathID(w, r)
	if !ok {
		return
	}
	var body campaignJSON
	if field, err := web.DecodeJSON(w, r, 1<<16, &body); err != nil {
		web.WriteError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	if body.State != "" {
		web.WriteError(w, http.StatusBadRequest, "state", "change the state with POST /api/v1/campaigns/{id}/activate, pause, resume or archive")
		return
	}
	c, fs := body.toCampaign(id, s.Clock.Now())
	if len(fs) > 0 {
		web.WriteFields(w, http.StatusBadRequest, fs[0].Field+" "+fs[0].Message, fs)
		return
	}
	updated, err := s.Campaigns.Update(r.Context(), id, c, s.Clock.Now())
	if s.campaignError(w, err) {
		return
	}
	web.WriteJSON(w, http.StatusOK, campaignOut(updated))
}

func (s *Server) apiCampaignAction(w http.ResponseWriter, r *http.Request) {
	id, ok := web.PathID(w, r)
	if !ok {
		return
	}
	switch action := r.PathValue("action"); action {
	case "activate", "pause", "resume":
		c, err := s.Campaigns.Transition(r.Context(), id, action, s.Clock.Now())
		if s.campaignError(w, err) {
			return
		}
		web.WriteJSON(w, http.StatusOK, campaignOut(c))
	case "archive":
		c, withdrawn, err := s.Campaigns.Archive(r.Context(), id, s.Clock.Now())
		if s.campaignError(w, err) {
			return
		}
		out := campaignOut(c)
		out.Withdrawn = &withdrawn
		web.WriteJSON(w, http.StatusOK, out)
	case "test-send":
		s.apiTestSend(w, r, id)
	default:
		web.WriteError(w, http.StatusNotFound, "", fmt.Sprintf("no campaign action %q (activate, pause, resume, archive, test-send)", action))
	}
}

// apiResendFailed puts back the campaign's emails given up after temporary
// failures (a long SMTP outage): they go out again, under the send-time
// rules.
func (s *Server) apiResendFailed(w http.ResponseWriter, r *http.Request) {
	id, ok := web.PathID(w, r)
	if !ok {
		return
	}
	resent, err := s.Campaigns.ResendFailed(r.Context(), id, s.Clock.Now())
	if s.campaignError(w, err) {
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"campaign_id": id, "invitations": resent.Invitations, "reminders": resent.Reminders})
}

type emailPreview struct {
	Subject   string `json:"subject"`
	Preheader string `json:"preheader"`
	Text      string `json:"text"`
	HTML      string `json:"html"`
}

// apiPreviewCampaign renders the campaign's email for a sample customer in
// each locale (?kind=reminder for the reminder).
func (s *Server) apiPreviewCampaign(w http.ResponseWriter, r *http.Request) {
	c, ok := s.campaignOf(w, r)
	if !ok {
		return
	}
	reminder := r.URL.Query().Get("kind") == "reminder"
	out := map[string]emailPreview{}
	for _, locale := range []string{customers.LocaleEnglish, customers.LocaleFrench} {
		e, err := s.PreviewEmail(r.Context(), c, locale, reminder)
		if err != nil {
			s.InternalError(w, "preview campaign", err)
			return
		}
		out[locale] = emailPreview{Subject: e.Subject, Preheader: e.Preheader, Text: e.Text, HTML: e.HTML}
	}
	web.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) apiTestSend(w http.ResponseWriter, r *http.Request, id int64) {
	var body web.TestSendJSON
	if field, err := web.DecodeJSON(w, r, 1<<12, &body); err != nil {
		web.WriteError(w, http.StatusBadRequest, field, err.Error())
		return
	}
	c, err := s.Campaigns.Get(r.Context(), id)
	if s.campaignError(w, err) {
		return
	}
	if field, err := s.TestSend(r.Context(), c, body); err != nil {
		status := http.StatusBadRequest
		if field == "" {
			status = http.StatusBadGateway
		}
		web.WriteError(w, status, field, err.Error())
		return
	}
	web.WriteJSON(w, http.StatusAccepted, map[string]string{"sent_to": body.Email})
}

func (s *Server) apiCampaignStats(w http.ResponseWriter, r *http.Request) {
	id, ok := web.PathID(w, r)
	if !ok {
		return
	}
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 366 {
			web.WriteError(w, http.StatusBadRequest, "days", "days must be a whole number between 1 and 366")
			return
		}
		days = n
	}
	st, err := s.Campaigns.Stats(r.Context(), id, days, s.Clock.Now())
	if s.campaignError(w, err) {
		return
	}
	web.WriteJSON(w, http.StatusOK, st)
}

func (s *Server) campaignOf(w http.ResponseWriter, r *http.Request) (scheduler.Campaign, bool) {
	id, ok := web.PathID(w, r)
	if !ok {
		return scheduler.Campaign{}, false
	}
	c, err := s.Campaigns.Get(r.Context(), id)
	if s.campaignError(w, err) {
		return c, false
	}
	return c, true
}

// campaignError answers for a campaign store error and reports whether there was one.
func (s *Server) campaignError(w http.ResponseWriter, err error) bool {
	if err == nil {
		return false
	}
	p := web.ProblemOf(err)
	switch {
	case p.Status == http.StatusBadRequest:
		web.WriteFields(w, p.Status, p.Field+" "+p.Message, p.Fields)
	case errors.Is(err, scheduler.ErrNameTaken):
		web.WriteError(w, p.Status, "name", "a campaign with this name already exists")
	case errors.Is(err, scheduler.ErrArchived):
		web.WriteError(w, p.Status, "state", "the campaign is archived: archived campaigns cannot change")
	case p.Status == http.StatusConflict: // a *scheduler.TransitionError
		web.WriteError(w, p.Status, "state", p.Message)
	case p.Status == http.StatusNotFound:
		web.WriteError(w, p.Status, "", "no campaign with this id")
	default:
		s.InternalError(w, "campaign", err)
	}
	return true
}
