package compose

import (
	"context"
	"fmt"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/followup/followup/inbound"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
)

// Composer renders survey emails.
type Composer struct {
	Templates *templates.Set
	Surveys   *surveys.Store
	Links     surveys.Links
	// From is the sender; its domain names the Message-IDs.
	From *netmail.Address
	// Inbound, when set, signs the addresses mail comes back to: every
	// email gets a Reply-To naming what it belongs to (the invitation, the
	// complaint) and an envelope sender naming the one message, where
	// delivery reports go (VERP). Nil leaves both to the sender.
	Inbound *inbound.Addresser

	forms formCache
}

// Recipient is who an invitation goes to.
type Recipient struct {
	InvitationID    int64
	SurveyVersionID int64
	Name            string
	Email           string
	Locale          string
	ExpiresAt       time.Time
	// Reminder is 0 for the invitation itself, n for its n-th reminder.
	Reminder int
	// Recovery marks the recovery survey after a complaint was resolved.
	Recovery bool
}

// template names the email template of r.
func (r Recipient) template() string {
	switch {
	case r.Recovery:
		return "recovery"
	case r.Reminder > 0:
		return "reminder"
	}
	return "invitation"
}

// Invitation composes the survey invitation (or reminder) of r, with its
// signed personal link and the one-click rating row of the first question.
func (c *Composer) Invitation(ctx context.Context, r Recipient) (mail.Message, error) {
	sv, err := c.Surveys.Version(ctx, r.SurveyVersionID)
	if err != nil {
		return mail.Message{}, err
	}
	name := r.template()
	key := formKey{version: sv.VersionID, locale: r.Locale, template: name, named: r.Name != ""}
	f, err := c.forms.get(key, func(d templates.Invitation) (templates.Email, error) {
		return c.Templates.RenderEmail(name, r.Locale, d)
	}, sv)
	if err != nil {
		return mail.Message{}, fmt.Errorf("compose invitation %d: %w", r.InvitationID, err)
	}
	unsubscribe := c.Links.Unsubscribe(r.InvitationID, r.ExpiresAt)
	v := values{name: r.Name, surveyURL: c.Links.Survey(r.InvitationID, r.ExpiresAt), unsubscribeURL: unsubscribe,
		expires: templates.FormatDate(r.Locale, r.ExpiresAt)}
	msg := mail.Message{
		To:        &netmail.Address{Name: r.Name, Address: r.Email},
		MessageID: MessageID(r.InvitationID, r.Reminder, c.From.Address),
		Subject:   f.subject,
		Text:      fill(f.text, v, false),
		HTML:      fill(f.html, v, true),
		// RFC 8058: mail clients offer an unsubscribe button that POSTs
		// List-Unsubscribe=One-Click to this URL.
		Headers: map[string]string{
			"List-Unsubscribe":      "<" + unsubscribe + ">",
			"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		},
	}
	c.routeBack(&msg, inbound.KindInvitation, r.InvitationID, inbound.KindInvitationBounce, r.InvitationID)
	return msg, nil
}

// routeBack gives msg the signed addresses of the inbound domain, when one
// is configured: a Reply-To (under the sender's name) that names what a
// reply belongs to, and an envelope sender that names the one message a
// delivery report is about.
func (c *Composer) routeBack(msg *mail.Message, reply inbound.Kind, replyID int64, bounce inbound.Kind, bounceID int64) {
	if c.Inbound == nil {
		return
	}
	name := ""
	if c.From != nil {
		name = c.From.Name
	}
	msg.Headers["Reply-To"] = (&netmail.Address{Name: name, Address: c.Inbound.Address(reply, replyID)}).String()
	msg.EnvelopeFrom = c.Inbound.Address(bounce, bounceID)
}

// Preview renders what a survey's invitation (or first reminder) looks like
// for a sample customer, with linkURL in place of the personal link and the
// preview's unsubscribe page (Links.PreviewUnsubscribe) in place of the
// customer's: the same template and footer as a real send.
func (c *Composer) Preview(ctx context.Context, surveyVersionID int64, locale string, reminder bool, linkURL string) (templates.Email, error) {
	sv, err := c.Surveys.Version(ctx, surveyVersionID)
	if err != nil {
		return templates.Email{}, err
	}
	r := Recipient{Name: SampleName(locale), Locale: locale, ExpiresAt: time.Now().Add(30 * 24 * time.Hour)}
	if reminder {
		r.Reminder = 1
	}
	return c.render(sv, r, linkURL, c.Links.PreviewUnsubscribe(locale))
}

// SampleName is the customer name used in previews.
func SampleName(locale string) string {
	if locale == "fr" {
		return "Camille Tremblay"
	}
	return "Alex Morgan"
}

func (c *Composer) render(sv *surveys.Survey, r Recipient, surveyURL, unsubscribeURL string) (templates.Email, error) {
	data := templates.Invitation{Name: r.Name, SurveyURL: surveyURL, ExpiresOn: templates.FormatDate(r.Locale, r.ExpiresAt),
		UnsubscribeURL: unsubscribeURL}
	fillRatings(&data, sv, r.Locale)
	return c.Templates.RenderEmail(r.template(), r.Locale, data)
}

// fillRatings adds the one-click rating row of the survey's first question,
// when it is a scale: one link per point, opening the page with it chosen.
func fillRatings(data *templates.Invitation, sv *surveys.Survey, locale string) {
	if len(sv.Questions) == 0 {
		return
	}
	q := sv.Questions[0]
	lo, hi, ok := q.Kind.Scale()
	if !ok {
		return
	}
	data.Question = q.Text.In(locale)
	sep := "?"
	if strings.Contains(data.SurveyURL, "?") {
		sep = "&"
	}
	for v := lo; v <= hi; v++ {
		data.Ratings = append(data.Ratings, templates.RatingLink{Value: v, URL: data.SurveyURL + sep + "score=" + strconv.Itoa(v)})
	}
}

// MessageID is the deterministic Message-ID of an invitation's email: the
// same invitation and reminder number always give the same id, so a resend
// after a crash is recognisable.
func MessageID(invitationID int64, reminder int, from string) string {
	domain := "followup.localhost"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i+1 < len(from) {
		domain = from[i+1:]
	}
	if reminder > 0 {
		return fmt.Sprintf("invitation-%d-r%d@%s", invitationID, reminder, domain)
	}
	return fmt.Sprintf("invitation-%d@%s", invitationID, domain)
}
