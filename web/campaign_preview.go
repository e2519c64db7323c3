package web

import (
	"context"
	"fmt"

	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/templates"
)

// previewEmail renders a campaign's email for a sample customer, with links
// to the survey's preview page instead of a personal link.
func (s *Server) previewEmail(ctx context.Context, c scheduler.Campaign, locale string, reminder bool) (templates.Email, error) {
	vid, err := s.Campaigns.CurrentSurveyVersion(ctx, c.SurveyID)
	if err != nil {
		return templates.Email{}, err
	}
	link := fmt.Sprintf("%s/preview/surveys/%d?lang=%s", s.Compose.Links.Base.String(), vid, locale)
	return s.Compose.Preview(ctx, vid, locale, reminder, link)
}
