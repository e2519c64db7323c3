package staff

import (
	"net/http"
	"strings"

	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/users"
	"github.com/followup/followup/web"
)

// cronRoutes serve the campaign form's live explanation of a cron spec
// (campaign_form.js asks as the marketer types).
func (s *Server) cronRoutes(mux *web.Router) {
	mux.HandleFunc("GET /marketing/cron/explain", web.Roles(users.Marketing, users.Manager), s.cronExplain)
}

// cronExplain answers {"en": …, "fr": …} for ?spec=&tz=, or 400 with the
// field at fault (trigger.cron or trigger.time_zone) as every API error.
func (s *Server) cronExplain(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	spec, tz := q.Get("spec"), strings.TrimSpace(q.Get("tz"))
	en, err := scheduler.ExplainCron(spec, tz, "en")
	if err != nil {
		p := web.ProblemOf(err)
		web.WriteFields(w, p.Status, p.Message, p.Fields)
		return
	}
	fr, _ := scheduler.ExplainCron(spec, tz, "fr")
	web.WriteJSON(w, http.StatusOK, map[string]string{"en": en, "fr": fr})
}

// cronWords is the explanation the form shows under the schedule without
// script: of what was typed, when it is a schedule ("" otherwise).
func cronWords(locale string, v campaignFormValues) string {
	if v.Trigger != string(scheduler.TriggerRecurring) || strings.TrimSpace(v.Cron) == "" {
		return ""
	}
	tz := strings.TrimSpace(v.TimeZone)
	words, err := scheduler.ExplainCron(v.Cron, tz, locale)
	if err != nil {
		return ""
	}
	return words
}
