package web

import (
	"fmt"
	"time"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/templates"
	"github.com/followup/followup/users"
)

// ReplyDraft fills the reply template of locale for a complaint, signed by u.
func (s *Server) ReplyDraft(d complaints.Detail, locale string, u users.User) (string, error) {
	loc, err := time.LoadLocation(d.Customer.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	data := templates.ReplyDraft{Name: d.Customer.Name, Agent: firstNonEmpty(u.Name, u.Email), Reference: fmt.Sprintf("#%d", d.ID),
		DueOn: templates.FormatDateTime(locale, d.DueAt, loc)}
	if e := d.Event; e != nil {
		// Named as the customer reads it: never the stored code.
		what := s.Templates.Label(locale, "event_kind", e.Kind)
		if e.Touchpoint != "" {
			what = s.Templates.Label(locale, "touchpoint", e.Touchpoint)
		}
		if locale == "fr" {
			data.Topic = fmt.Sprintf("%s du %s", what, templates.FormatDate(locale, e.OccurredAt.In(loc)))
		} else {
			data.Topic = fmt.Sprintf("%s on %s", what, templates.FormatDate(locale, e.OccurredAt.In(loc)))
		}
	}
	return s.Templates.ReplyDraft(locale, data)
}

// ReplySteps are the steps of a reply to a difficult customer (DOMAIN.md),
// in locale, as the page lists them beside the draft.
func ReplySteps(locale string) []string {
	out := make([]string, 6)
	for i := range out {
		out[i] = templates.T(locale, fmt.Sprintf("reply.step%d", i+1))
	}
	return out
}
