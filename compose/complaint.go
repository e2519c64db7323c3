package compose

import (
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/inbound"
	"github.com/followup/followup/mail"
	"github.com/followup/followup/templates"
)

// ComplaintMessage writes an email to a customer about their complaint:
// the acknowledgement (who will contact them, by when), an agent's reply,
// or the resolution (concretely what was done). The deadline is written in
// the customer's own time zone. Replies from the customer go to the
// complaint's signed address when the Composer has an inbound domain, else
// to replyTo when set.
func (c *Composer) ComplaintMessage(m complaints.Outbound, replyTo *netmail.Address) (mail.Message, error) {
	loc, err := time.LoadLocation(m.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	ref := fmt.Sprintf("#%d", m.ComplaintID)
	data := templates.ComplaintEmail{Name: m.Name, Reference: ref, Owner: m.OwnerName, Team: m.Team,
		DueOn: templates.FormatDateTime(m.Locale, m.DueAt, loc), Promise: templates.FormatPromise(m.Locale, m.DueAt, m.SendAt, loc), Body: m.Body, Summary: m.Body, Agent: m.AuthorName,
		Deviation: m.DoubleDeviationReason}
	e, err := c.Templates.RenderEmail(m.Kind, m.Locale, data)
	if err != nil {
		return mail.Message{}, fmt.Errorf("compose %s of complaint %d: %w", m.Kind, m.ComplaintID, err)
	}
	subject := e.Subject
	if m.Kind == complaints.MessageReply && strings.TrimSpace(m.Subject) != "" {
		subject = withReference(m.Subject, ref)
	}
	msg := mail.Message{
		To:        &netmail.Address{Name: m.Name, Address: m.Email},
		MessageID: ComplaintMessageID(m.ComplaintID, m.ID, c.From.Address),
		Subject:   subject,
		Text:      e.Text,
		HTML:      e.HTML,
		// Every email about one complaint threads under its first one.
		Headers: map[string]string{"References": "<" + complaintThread(m.ComplaintID, c.From.Address) + ">",
			"X-Followup-Complaint": ref},
	}
	if replyTo != nil {
		msg.Headers["Reply-To"] = replyTo.String()
	}
	c.routeBack(&msg, inbound.KindComplaint, m.ComplaintID, inbound.KindMessageBounce, m.ID)
	return msg, nil
}

// withReference adds the complaint's reference (#52) to an agent's subject
// unless the agent already wrote it: "Your request #52", not "Your request
// #52 (#52)". #520 is not #52.
func withReference(subject, ref string) string {
	for i := 0; ; {
		j := strings.Index(subject[i:], ref)
		if j < 0 {
			return subject + " (" + ref + ")"
		}
		end := i + j + len(ref)
		if end == len(subject) || subject[end] < '0' || subject[end] > '9' {
			return subject
		}
		i = end
	}
}

// ComplaintMessageID is the deterministic Message-ID of a complaint email:
// a resend after a crash is recognisable.
func ComplaintMessageID(complaintID, messageID int64, from string) string {
	return fmt.Sprintf("complaint-%d-m%d@%s", complaintID, messageID, domainOf(from))
}

func complaintThread(complaintID int64, from string) string {
	return fmt.Sprintf("complaint-%d@%s", complaintID, domainOf(from))
}

func domainOf(from string) string {
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i+1 < len(from) {
		return from[i+1:]
	}
	return "followup.localhost"
}
