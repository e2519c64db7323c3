package web

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/mail/address"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/templates"
)

// PreviewEmail renders a campaign's email for a sample customer, with links
// to the survey's preview page instead of a personal link.
func (s *Server) PreviewEmail(ctx context.Context, c scheduler.Campaign, locale string, reminder bool) (templates.Email, error) {
	vid, err := s.Campaigns.CurrentSurveyVersion(ctx, c.SurveyID)
	if err != nil {
		return templates.Email{}, err
	}
	link := fmt.Sprintf("%s/preview/surveys/%d?lang=%s", s.Compose.Links.Base.String(), vid, locale)
	return s.Compose.Preview(ctx, vid, locale, reminder, link)
}

// TestSendJSON is a request to send a campaign's email as a test: to whom,
// in which locale, the first email or the reminder.
type TestSendJSON struct {
	Email    string `json:"email"`
	Locale   string `json:"locale"`
	Reminder bool   `json:"reminder"`
}

// TestSend sends the campaign's email to one address, marked as a test, with
// links to the survey's preview and the preview's unsubscribe page, in the
// footer and in List-Unsubscribe as in a real send (nothing a tester does is
// recorded).
func (s *Server) TestSend(ctx context.Context, c scheduler.Campaign, in TestSendJSON) (field string, err error) {
	// The mailer's own reading of a recipient: an address it would refuse
	// is the caller's mistake (400), not the mail server's (502).
	addr, perr := address.Recipient("", strings.TrimSpace(in.Email))
	if perr != nil {
		return "email", fmt.Errorf("%q is not an email address the mailer can send to", in.Email)
	}
	locale := customers.LocaleEnglish
	if in.Locale != "" {
		l, ok := customers.NormalizeLocale(in.Locale)
		if !ok {
			return "locale", fmt.Errorf("%q is not a locale (en, fr)", in.Locale)
		}
		locale = l
	}
	e, err := s.PreviewEmail(ctx, c, locale, in.Reminder)
	if err != nil {
		return "", err
	}
	msg := mail.Message{To: addr, Subject: "[TEST] " + e.Subject, Text: e.Text, HTML: e.HTML,
		Headers: map[string]string{
			"X-Followup-Test":       fmt.Sprintf("campaign %d", c.ID),
			"List-Unsubscribe":      "<" + s.Compose.Links.PreviewUnsubscribe(locale) + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		}}
	if errs := s.Mail.Send(ctx, []mail.Message{msg}); errs[0] != nil {
		var de *mail.DeliveryError
		if errors.As(errs[0], &de) && de.Recipient && !de.Temporary {
			return "email", fmt.Errorf("the mail server refused this address: %w", errs[0])
		}
		return "", fmt.Errorf("the mail server refused the test email: %w", errs[0])
	}
	return "", nil
}
