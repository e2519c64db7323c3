package staff

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/web"
)

// The recovery campaign is followup's own: its survey, trigger, cap and
// reminders are fixed, but when its emails may reach customers is
// marketing's choice, as for any campaign. Its edit page has the send
// window only.

type recoveryWindowPage struct {
	Campaign scheduler.Campaign
	Values   campaignFormValues
	Days     []weekdayChoice
	Problem  string
}

func (s *Server) pageRecoveryWindow(w http.ResponseWriter, r *http.Request, c scheduler.Campaign, status int, v campaignFormValues, problem string) {
	s.RenderStaff(w, r, status, "campaign_window", templates.T(web.StaffLocale(r), "window.title", c.Name), recoveryWindowPage{Campaign: c, Values: v, Days: weekdayChoices, Problem: problem})
}

func (s *Server) pageUpdateRecoveryWindow(w http.ResponseWriter, r *http.Request, c scheduler.Campaign) {
	v := valuesFrom(r.PostForm)
	win, problem := windowOf(v)
	if problem == "" {
		c.Window = win
		_, err := s.Campaigns.Update(r.Context(), c.ID, c, s.Clock.Now())
		if fe := s.formErrors(w, nil, err); fe != nil {
			problem = fe.ByField["window"]
			if problem == "" && len(fe.List) > 0 {
				problem = fe.List[0].Message
			}
		} else if err != nil {
			return
		}
	}
	if problem != "" {
		s.pageRecoveryWindow(w, r, c, http.StatusUnprocessableEntity, v, problem)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/marketing/campaigns/%d?flash=saved", c.ID), http.StatusSeeOther)
}

// windowOf reads the send window of the form, or says what is wrong.
func windowOf(v campaignFormValues) (scheduler.SendWindow, string) {
	var win scheduler.SendWindow
	var err error
	if win.StartHour, err = strconv.Atoi(strings.TrimSpace(v.StartHour)); err != nil {
		return win, "Send window: the opening hour must be a whole number"
	}
	if win.EndHour, err = strconv.Atoi(strings.TrimSpace(v.EndHour)); err != nil {
		return win, "Send window: the closing hour must be a whole number"
	}
	var days []int
	for d, on := range v.Weekdays {
		if on {
			days = append(days, d)
		}
	}
	if win.Weekdays, err = scheduler.WeekdaysFromNumbers(days); err != nil {
		return win, "Send window: " + err.Error()
	}
	if err := win.Validate(); err != nil {
		return win, "Send window: " + err.Error()
	}
	return win, ""
}
