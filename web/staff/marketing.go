package staff

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

func (s *Server) marketingRoutes(mux *web.Router) {
	mux.HandleFunc("GET /marketing/{$}", web.Roles(users.Marketing, users.Manager), func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/marketing/campaigns", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /marketing/campaigns", web.Roles(users.Marketing, users.Manager), s.pageCampaigns)
	mux.HandleFunc("GET /marketing/campaigns/new", web.Roles(users.Marketing, users.Manager), s.pageNewCampaign)
	mux.HandleFunc("POST /marketing/campaigns", web.Roles(users.Marketing), s.pageCreateCampaign)
	mux.HandleFunc("GET /marketing/campaigns/{id}", web.Roles(users.Marketing, users.Manager), s.pageCampaign)
	mux.HandleFunc("GET /marketing/campaigns/{id}/edit", web.Roles(users.Marketing, users.Manager), s.pageEditCampaign)
	mux.HandleFunc("POST /marketing/campaigns/{id}/edit", web.Roles(users.Marketing), s.pageUpdateCampaign)
	mux.HandleFunc("POST /marketing/campaigns/{id}/{action}", web.Roles(users.Marketing), s.pageCampaignAction)
	mux.HandleFunc("POST /marketing/campaigns/{id}/resend-failed", web.Roles(), s.pageResendFailed) // admins, after an outage
	mux.HandleFunc("GET /marketing/campaigns/{id}/preview", web.Roles(users.Marketing, users.Manager), s.pageCampaignEmail)
}

type campaignRow struct {
	ID      int64
	Name    string
	State   string
	Trigger string
	// Next is when an audience campaign runs next, in its own time zone.
	Next  string
	Stats scheduler.Stats
	// NotSent says, reason by reason, what was held or withdrawn.
	NotSent []string
}

func (s *Server) pageCampaigns(w http.ResponseWriter, r *http.Request) {
	list, err := s.Campaigns.List(r.Context())
	if err != nil {
		s.StaffError(w, "list campaigns", err)
		return
	}
	locale := web.StaffLocale(r)
	rows := make([]campaignRow, 0, len(list))
	for _, c := range list {
		st, err := s.Campaigns.Stats(r.Context(), c.ID, 1, s.Clock.Now())
		if err != nil {
			s.StaffError(w, "campaign stats", err)
			return
		}
		rows = append(rows, campaignRow{ID: c.ID, Name: c.Name, State: c.Status(), Trigger: describeTrigger(locale, c),
			Next: describeNextRun(locale, c, s.Clock.Now()), Stats: st, NotSent: notSent(locale, st, c.FrequencyCapDays)})
	}
	s.RenderStaff(w, r, http.StatusOK, "campaigns", templates.T(locale, "campaigns.title"), map[string]any{"Rows": rows})
}

type campaignFormPage struct {
	Action string
	Values campaignFormValues
	Errors campaignFormErrors
	// CronWords explains the schedule typed, for pages without script
	// (campaign_form.js updates it as the marketer types).
	CronWords string
	// TimeZones are offered in the time zone's list to search.
	TimeZones []string
	Surveys   []scheduler.SurveyChoice
	Units     []string
	Days      []weekdayChoice
}

func (s *Server) renderCampaignForm(w http.ResponseWriter, r *http.Request, status int, title, action string, v campaignFormValues, errs *campaignFormErrors) {
	choices, err := s.Campaigns.SurveyChoices(r.Context())
	if err != nil {
		s.StaffError(w, "list surveys", err)
		return
	}
	page := campaignFormPage{Action: action, Values: v, Surveys: choices, Units: delayUnits, Days: weekdayChoices,
		CronWords: cronWords(web.StaffLocale(r), v), TimeZones: scheduler.TimeZones()}
	if errs != nil {
		page.Errors = *errs
	}
	s.RenderStaff(w, r, status, "campaign_form", title, page)
}

func (s *Server) pageNewCampaign(w http.ResponseWriter, r *http.Request) {
	c := scheduler.Campaign{Trigger: scheduler.TriggerEvent, Window: scheduler.DefaultWindow(), FrequencyCapDays: scheduler.DefaultCapDays,
		InvitationTTL: scheduler.DefaultTTL, Delay: 24 * time.Hour, ScheduleTimeZone: "UTC"}
	if choices, err := s.Campaigns.SurveyChoices(r.Context()); err == nil {
		c.SurveyID = defaultSurvey(choices)
	}
	s.renderCampaignForm(w, r, http.StatusOK, templates.T(web.StaffLocale(r), "campaigns.new"), "/marketing/campaigns", valuesOf(c), nil)
}

// defaultSurvey is the survey a new campaign starts with: the built-in
// service survey, else the first other than the recovery check, which asks
// how a complaint was handled and suits only followup's own recovery
// campaign (it comes first by name).
func defaultSurvey(choices []scheduler.SurveyChoice) int64 {
	var first int64
	for _, sc := range choices {
		switch {
		case sc.Slug == surveys.DefaultSlug:
			return sc.ID
		case first == 0 && sc.Slug != surveys.RecoverySlug:
			first = sc.ID
		}
	}
	if first == 0 && len(choices) > 0 {
		first = choices[0].ID
	}
	return first
}

func (s *Server) pageCreateCampaign(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "unreadable form", http.StatusBadRequest)
		return
	}
	v := valuesFrom(r.PostForm)
	c, fs := v.campaign(0, s.Clock.Now())
	var created scheduler.Campaign
	var err error
	if len(fs) == 0 {
		created, err = s.Campaigns.Create(r.Context(), c, s.Clock.Now())
	}
	if errs := s.formErrors(w, fs, err); errs != nil {
		s.renderCampaignForm(w, r, http.StatusUnprocessableEntity, templates.T(web.StaffLocale(r), "campaigns.new"), "/marketing/campaigns", v, errs)
		return
	} else if err != nil {
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/marketing/campaigns/%d?flash=created", created.ID), http.StatusSeeOther)
}

func (s *Server) pageEditCampaign(w http.ResponseWriter, r *http.Request) {
	c, ok := s.staffCampaign(w, r)
	if !ok {
		return
	}
	if c.Trigger == scheduler.TriggerRecovery {
		s.pageRecoveryWindow(w, r, c, http.StatusOK, valuesOf(c), "")
		return
	}
	s.renderCampaignForm(w, r, http.StatusOK, templates.T(web.StaffLocale(r), "campaign.edit.title", c.Name), fmt.Sprintf("/marketing/campaigns/%d/edit", c.ID), valuesOf(c), nil)
}

func (s *Server) pageUpdateCampaign(w http.ResponseWriter, r *http.Request) {
	c, ok := s.staffCampaign(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "unreadable form", http.StatusBadRequest)
		return
	}
	if c.Trigger == scheduler.TriggerRecovery {
		s.pageUpdateRecoveryWindow(w, r, c)
		return
	}
	v := valuesFrom(r.PostForm)
	in, fs := v.campaign(c.ID, s.Clock.Now())
	var err error
	if len(fs) == 0 {
		_, err = s.Campaigns.Update(r.Context(), c.ID, in, s.Clock.Now())
	}
	action := fmt.Sprintf("/marketing/campaigns/%d/edit", c.ID)
	if errs := s.formErrors(w, fs, err); errs != nil {
		s.renderCampaignForm(w, r, http.StatusUnprocessableEntity, templates.T(web.StaffLocale(r), "campaign.edit.title", c.Name), action, v, errs)
		return
	} else if err != nil {
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/marketing/campaigns/%d?flash=saved", c.ID), http.StatusSeeOther)
}

// formErrors turns validation problems into messages next to the form's
// fields and in a summary. Other errors are answered here (nil returned,
// err non-nil).
func (s *Server) formErrors(w http.ResponseWriter, fs invalid.Fields, err error) *campaignFormErrors {
	if p := web.ProblemOf(err); len(fs) == 0 && p.Status == http.StatusBadRequest {
		fs = p.Fields
	}
	if len(fs) > 0 {
		return formErrorsOf(fs)
	}
	if errors.Is(err, scheduler.ErrNameTaken) {
		return formErrorsOf(invalid.Fields{invalid.Field("name", "another campaign already has this name")})
	}
	if err != nil {
		s.StaffError(w, "save campaign", err)
	}
	return nil
}

func describeField(fe *invalid.FieldError) string {
	labels := map[string]string{
		"name": "Name", "survey_id": "Survey", "trigger.type": "When to send", "trigger.event_kinds": "Event kinds",
		"trigger.delay_minutes": "Delay", "trigger.run_at": "Date and time", "trigger.cron": "Schedule",
		"trigger.time_zone": "Time zone", "send_window": "Send window", "frequency_cap_days": "Frequency cap",
		"reminder_days": "Reminders", "invitation_ttl_days": "Link lifetime",
	}
	label, ok := labels[fe.Field]
	if !ok {
		label = strings.ReplaceAll(fe.Field, "_", " ")
	}
	return label + ": " + fe.Message
}

type campaignPage struct {
	Campaign scheduler.Campaign
	// Status is the campaign's state, or completed for a one-off that ran.
	Status string
	// Outcome says what a completed one-off did: when it ran, how many it
	// invited, sent, held.
	Outcome string
	// Next is when an audience campaign runs next, in its own time zone.
	Next string
	// NotSent says, reason by reason, what was held or withdrawn.
	NotSent    []string
	SurveyName string
	Trigger    string
	Audience   string
	Window     string
	TTLDays    int
	Actions    []string
	Stats      scheduler.Stats
	Flash      string
	Problem    string
	TestEmail  string
	// CanResend shows the resend button: emails were given up after
	// temporary failures and the viewer may resend them.
	CanResend bool
}

// flashes are the campaign page's notes after a change, by ?flash= (their
// texts are "campaign.flash.<name>").
var flashes = map[string]bool{"created": true, "saved": true, "activate": true, "pause": true, "resume": true, "archive": true}

func (s *Server) pageCampaign(w http.ResponseWriter, r *http.Request) {
	c, ok := s.staffCampaign(w, r)
	if !ok {
		return
	}
	flash := ""
	if f := r.URL.Query().Get("flash"); flashes[f] {
		flash = templates.T(web.StaffLocale(r), "campaign.flash."+f)
	}
	s.renderCampaignPage(w, r, c, http.StatusOK, flash, "")
}

func (s *Server) renderCampaignPage(w http.ResponseWriter, r *http.Request, c scheduler.Campaign, status int, flash, problem string) {
	st, err := s.Campaigns.Stats(r.Context(), c.ID, 30, s.Clock.Now())
	if err != nil {
		s.StaffError(w, "campaign stats", err)
		return
	}
	locale := web.StaffLocale(r)
	if sent := r.URL.Query().Get("sent"); sent != "" && flash == "" {
		flash = templates.T(locale, "campaign.flash.test", sent)
	}
	if n, err := strconv.Atoi(r.URL.Query().Get("withdrawn")); err == nil && r.URL.Query().Get("flash") == "archive" {
		flash = templates.ArchiveWithdraws(locale, n, true)
	}
	if n := r.URL.Query().Get("resent"); n != "" && flash == "" {
		flash = templates.T(locale, "campaign.flash.resent", n)
	}
	page := campaignPage{Campaign: c, Status: c.Status(), Next: describeNextRun(locale, c, s.Clock.Now()), NotSent: notSent(locale, st, c.FrequencyCapDays),
		Trigger: describeTrigger(locale, c), Audience: describeAudience(locale, c.Audience),
		Window: templates.SendWindow(locale, c.Window.StartHour, c.Window.EndHour, c.Window.WeekdayNumbers()), TTLDays: int(c.InvitationTTL / (24 * time.Hour)), Stats: st, Flash: flash, Problem: problem,
		TestEmail: r.PostFormValue("email"),
		CanResend: st.FailedBy["temporary"] > 0 && c.State != scheduler.StateArchived &&
			s.May(r, http.MethodPost, fmt.Sprintf("/marketing/campaigns/%d/resend-failed", c.ID))}
	if choices, err := s.Campaigns.SurveyChoices(r.Context()); err == nil {
		for _, sc := range choices {
			if sc.ID == c.SurveyID {
				page.SurveyName = sc.Name
			}
		}
	}
	switch c.Status() {
	case scheduler.StateDraft:
		page.Actions = []string{"activate", "archive"}
	case scheduler.StateActive:
		page.Actions = []string{"pause", "archive"}
	case scheduler.StatePaused:
		page.Actions = []string{"resume", "archive"}
	case scheduler.StatusCompleted:
		page.Actions = []string{"archive"}
		page.Outcome = describeOutcome(locale, c, st)
	}
	s.RenderStaff(w, r, status, "campaign", c.Name, page)
}

func (s *Server) pageCampaignAction(w http.ResponseWriter, r *http.Request) {
	c, ok := s.staffCampaign(w, r)
	if !ok {
		return
	}
	action := r.PathValue("action")
	if action == "test-send" {
		_, err := s.TestSend(r.Context(), c, web.TestSendJSON{Email: r.PostFormValue("email"), Locale: r.PostFormValue("locale")})
		if err != nil {
			s.renderCampaignPage(w, r, c, http.StatusUnprocessableEntity, "", templates.T(web.StaffLocale(r), "campaign.problem.test", err.Error()))
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/marketing/campaigns/%d?sent=%s", c.ID, url.QueryEscape(r.PostFormValue("email"))), http.StatusSeeOther)
		return
	}
	if !flashes[action] || action == "created" || action == "saved" {
		http.NotFound(w, r)
		return
	}
	var err error
	var withdrawn int
	switch {
	case action == "archive" && r.PostFormValue("confirm") != "yes":
		s.pageConfirmArchive(w, r, c)
		return
	case action == "archive":
		_, withdrawn, err = s.Campaigns.Archive(r.Context(), c.ID, s.Clock.Now())
	default:
		_, err = s.Campaigns.Transition(r.Context(), c.ID, action, s.Clock.Now())
	}
	switch p := web.ProblemOf(err); {
	case err == nil:
	case p.Status == http.StatusConflict: // a *scheduler.TransitionError
		s.renderCampaignPage(w, r, c, web.FormStatus(err), "", templates.T(web.StaffLocale(r), "campaign.problem.not_done", p.Message+"."))
		return
	case p.Status == http.StatusBadRequest:
		s.renderCampaignPage(w, r, c, web.FormStatus(err), "", templates.T(web.StaffLocale(r), "campaign.problem.not_done", describeField(invalid.Field(p.Field, p.Message))))
		return
	default:
		s.StaffError(w, action+" campaign", err)
		return
	}
	to := fmt.Sprintf("/marketing/campaigns/%d?flash=%s", c.ID, action)
	if action == "archive" {
		to += fmt.Sprintf("&withdrawn=%d", withdrawn)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// pageConfirmArchive asks before archiving, saying how many invitations
// not sent yet it withdraws: archiving cannot be undone.
func (s *Server) pageConfirmArchive(w http.ResponseWriter, r *http.Request, c scheduler.Campaign) {
	n, err := s.Campaigns.Withdrawable(r.Context(), c.ID)
	if err != nil {
		s.StaffError(w, "count pending invitations", err)
		return
	}
	locale := web.StaffLocale(r)
	s.RenderStaff(w, r, http.StatusOK, "campaign_archive", templates.T(locale, "campaign.archive.title", c.Name), map[string]any{
		"Campaign": c, "Withdraws": templates.ArchiveWithdraws(locale, n, false)})
}

func (s *Server) pageResendFailed(w http.ResponseWriter, r *http.Request) {
	c, ok := s.staffCampaign(w, r)
	if !ok {
		return
	}
	resent, err := s.Campaigns.ResendFailed(r.Context(), c.ID, s.Clock.Now())
	switch {
	case errors.Is(err, scheduler.ErrArchived):
		s.renderCampaignPage(w, r, c, http.StatusConflict, "", templates.T(web.StaffLocale(r), "campaign.problem.archived"))
		return
	case err != nil:
		s.StaffError(w, "resend failed emails", err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/marketing/campaigns/%d?resent=%d", c.ID, resent.Invitations+resent.Reminders), http.StatusSeeOther)
}

func (s *Server) pageCampaignEmail(w http.ResponseWriter, r *http.Request) {
	c, ok := s.staffCampaign(w, r)
	if !ok {
		return
	}
	locale, ok := customers.NormalizeLocale(r.URL.Query().Get("lang"))
	if !ok {
		locale = customers.LocaleEnglish
	}
	reminder := r.URL.Query().Get("kind") == "reminder"
	e, err := s.PreviewEmail(r.Context(), c, locale, reminder)
	if err != nil {
		s.StaffError(w, "preview email", err)
		return
	}
	staff := web.StaffLocale(r)
	kind := templates.T(staff, "campaign.email.invitation")
	if reminder {
		kind = templates.T(staff, "campaign.email.reminder")
	}
	lang := templates.T(staff, "campaign.email."+locale)
	w.Header().Set("Content-Security-Policy", web.EmailPreviewCSP) // the email's inline styles, in its frame
	s.RenderStaff(w, r, http.StatusOK, "campaign_email", templates.T(staff, "campaign.email.title", lang, kind),
		map[string]any{"CampaignID": c.ID, "CampaignName": c.Name, "Email": e})
}

func (s *Server) staffCampaign(w http.ResponseWriter, r *http.Request) (scheduler.Campaign, bool) {
	id, ok := pathIDPage(w, r)
	if !ok {
		return scheduler.Campaign{}, false
	}
	c, err := s.Campaigns.Get(r.Context(), id)
	if errors.Is(err, scheduler.ErrNotFound) {
		http.NotFound(w, r)
		return c, false
	}
	if err != nil {
		s.StaffError(w, "load campaign", err)
		return c, false
	}
	return c, true
}

func pathIDPage(w http.ResponseWriter, r *http.Request) (int64, bool) {
	var id int64
	if _, err := fmt.Sscan(r.PathValue("id"), &id); err != nil || id <= 0 {
		http.NotFound(w, r)
		return 0, false
	}
	return id, true
}

// describeTrigger says in locale when a campaign sends.
func describeTrigger(locale string, c scheduler.Campaign) string {
	switch c.Trigger {
	case scheduler.TriggerEvent:
		d, u := splitDelay(c.Delay)
		n, _ := strconv.Atoi(d)
		return templates.T(locale, "campaign.trigger.event", templates.N(locale, "campaign.unit."+u, n), strings.Join(c.EventKinds, ", "))
	case scheduler.TriggerOnce:
		if c.RunAt != nil {
			return templates.T(locale, "campaign.trigger.once", c.RunAt.In(scheduler.Location(c.ScheduleTimeZone)).Format("2006-01-02 15:04 MST"))
		}
	case scheduler.TriggerRecurring:
		if words, err := scheduler.ExplainCron(c.Cron, c.ScheduleTimeZone, locale); err == nil {
			return templates.T(locale, "campaign.trigger.recurring", words, c.Cron)
		}
		return templates.T(locale, "campaign.trigger.recurring", c.Cron, c.ScheduleTimeZone)
	case scheduler.TriggerRecovery:
		return templates.T(locale, "campaign.trigger.recovery")
	}
	return string(c.Trigger)
}

// describeNextRun says when an audience campaign runs next, in its own
// time zone ("Mon 23 Nov 2026 10:00 CET, Europe/Paris"); a draft or paused
// one says when it would.
func describeNextRun(locale string, c scheduler.Campaign, now time.Time) string {
	n := c.UpcomingRun(now)
	if n == nil {
		return ""
	}
	out := templates.ShortDateTime(locale, n.In(scheduler.Location(c.ScheduleTimeZone))) + ", " + c.ScheduleTimeZone
	switch {
	case c.State != scheduler.StateActive:
		out = templates.T(locale, "campaign.next.inactive", out)
	case !n.After(now):
		out = templates.T(locale, "campaign.next.due", out)
	}
	return out
}

// describeOutcome says what a completed one-off did.
func describeOutcome(locale string, c scheduler.Campaign, st scheduler.Stats) string {
	out := templates.T(locale, "campaign.outcome", templates.ShortDateTime(locale, c.LastRunAt.In(scheduler.Location(c.ScheduleTimeZone)))+", "+c.ScheduleTimeZone,
		st.Invited, st.Sent)
	if st.Scheduled > 0 {
		out += templates.T(locale, "campaign.outcome.waiting", st.Scheduled)
	}
	held := 0
	for _, n := range st.Suppressed {
		held += n
	}
	if held > 0 {
		out += templates.T(locale, "campaign.outcome.held", held)
	}
	return out + templates.T(locale, "campaign.outcome.end")
}

// notSent says, reason by reason, how many invitations were held or
// withdrawn and why, the largest first.
func notSent(locale string, st scheduler.Stats, capDays int) []string {
	reasons := make([]string, 0, len(st.Suppressed))
	for r := range st.Suppressed {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		if a, b := st.Suppressed[reasons[i]], st.Suppressed[reasons[j]]; a != b {
			return a > b
		}
		return reasons[i] < reasons[j]
	})
	out := make([]string, 0, len(reasons))
	for _, r := range reasons {
		out = append(out, templates.SuppressionSentence(locale, r, st.Suppressed[r], capDays))
	}
	return out
}

// describeAudience says in locale whom an audience campaign surveys.
func describeAudience(locale string, a scheduler.Audience) string {
	var parts []string
	add := func(key string, vals []string) {
		if len(vals) > 0 {
			parts = append(parts, templates.T(locale, "audience."+key, strings.Join(vals, ", ")))
		}
	}
	add("touchpoints", a.Touchpoints)
	add("channels", a.Channels)
	add("segments", a.Segments)
	add("event_kinds", a.EventKinds)
	add("languages", a.Locales)
	if a.SinceDays > 0 && (len(a.Touchpoints) > 0 || len(a.Channels) > 0 || len(a.EventKinds) > 0) {
		parts = append(parts, templates.T(locale, "audience.since", templates.Days(locale, a.SinceDays)))
	}
	if len(parts) == 0 {
		return templates.T(locale, "audience.everyone")
	}
	return templates.T(locale, "audience.some", strings.Join(parts, "; "))
}
