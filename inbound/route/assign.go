package route

import (
	"context"
	"fmt"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/inbound"
)

// ErrNotWaiting is an assignment of a message the admins are not asked
// about: it was routed already, or is still being parsed.
var ErrNotWaiting = &complaints.ConflictError{Message: "this message is not in the unmatched list (routed already, or not yet parsed)"}

// Assign puts unmatched (or unparsable) message id on complaint
// complaintID's conversation, as the customer's reply, read and alerted as
// any reply is; by is the admin, named in the message's outcome.
func (r *Router) Assign(ctx context.Context, id, complaintID int64, by string) error {
	m, err := r.Inbound.Load(ctx, id)
	if err != nil {
		return err
	}
	if m.State != inbound.StateUnmatched && m.State != inbound.StateFailed {
		return ErrNotWaiting
	}
	subject, body := "", "(a message that could not be read; it is kept as received)"
	if p, err := inbound.Parse(m.Raw, inbound.ParseOptions{MaxAttachment: r.maxAttachment()}); err == nil {
		subject, body = p.Subject, p.NewWords
		if body == "" {
			body = p.Text
		}
		// Stored when it was first parsed; again (a no-op) for a message
		// received before files were kept.
		if err := r.Inbound.SaveAttachments(ctx, id, p, r.maxAttachment()); err != nil {
			return err
		}
	}
	if _, err := r.Loop.CustomerEmailed(ctx, complaintID, complaints.CustomerEmail{InboundID: id, Subject: subject, Body: body,
		ReceivedAt: m.ReceivedAt, Reading: Reading(body, "")}, r.ReopenWithin); err != nil {
		return fmt.Errorf("assign inbound message %d to complaint %d: %w", id, complaintID, err)
	}
	if _, err := r.Inbound.Assigned(ctx, id, complaintID, by, r.Clock.Now()); err != nil {
		return err
	}
	r.Log.Info("inbound message assigned", "message", id, "complaint", complaintID, "by", by)
	return nil
}
