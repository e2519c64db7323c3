package complaints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/internal/trunc"
	"github.com/followup/followup/surveys"
)

// Kinds of email the customer sends about their complaint (direction in).
const (
	// MessageCustomerReply is the customer's own words, by email.
	MessageCustomerReply = "customer_reply"
	// MessageAutoReply is the customer's mailbox answering by itself (out
	// of office): shown, alerting no one.
	MessageAutoReply = "auto_reply"
	// MessageReceived is the state of the customer's emails.
	MessageReceived = "received"
)

// CustomerEmail is an email the customer sent about their complaint.
type CustomerEmail struct {
	// InboundID is the stored inbound message it came from: recorded once.
	InboundID  int64
	Subject    string
	Body       string
	AutoReply  bool
	ReceivedAt time.Time
	// Reading is the body read as a survey comment is (its signals and
	// risks); ignored for an auto-reply.
	Reading surveys.Result
}

// Emailed is what the customer's email did to their complaint.
type Emailed struct {
	ComplaintID int64
	MessageID   int64
	// New is false when the inbound message was already on the
	// conversation: nothing changed.
	New          bool
	Reopened     bool
	FromPriority Priority
	Priority     Priority
	DueAt        time.Time
	// Escalations are the signals new to the complaint that its words showed.
	Escalations  []surveys.SignalKind
	OwnerID      *int64
	CustomerName string
}

// CustomerEmailed records, inside tx, an email the customer sent about
// complaint id on its conversation, once per inbound message. A reply (not
// an auto-reply) is weighed as a survey comment is: a new intent to go
// public or legal, or a threat, raises the priority to at least P2, a new
// intent to leave one step, and the deadline only comes closer. A resolved
// complaint is reopened when the reply comes within reopenWithin of its
// resolution (0 never reopens); later, the reply is kept and the trail says
// so.
func (s *Store) CustomerEmailed(ctx context.Context, tx *sqlx.Tx, id int64, e CustomerEmail, reopenWithin time.Duration, now time.Time) (Emailed, error) {
	c, err := lock(ctx, tx, id)
	if err != nil {
		return Emailed{}, err
	}
	var more struct {
		DueAt       time.Time      `db:"due_at"`
		Escalations pq.StringArray `db:"escalations"`
		Risks       pq.StringArray `db:"risks"`
		Customer    string         `db:"customer"`
	}
	if err := tx.GetContext(ctx, &more, `SELECT c.due_at, c.escalations, c.risks, COALESCE(NULLIF(cu.name, ''), cu.email) AS customer
		FROM complaints c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`, id); err != nil {
		return Emailed{}, fmt.Errorf("read complaint %d: %w", id, err)
	}
	out := Emailed{ComplaintID: id, FromPriority: c.Priority, Priority: c.Priority, DueAt: more.DueAt, OwnerID: c.OwnerID,
		CustomerName: more.Customer}
	kind := MessageCustomerReply
	if e.AutoReply {
		kind = MessageAutoReply
	}
	err = tx.GetContext(ctx, &out.MessageID, `INSERT INTO complaint_messages (complaint_id, kind, direction, subject, body, send_at, sent_at,
		state, inbound_message_id, created_at) VALUES ($1, $2, 'in', $3, $4, $5, $5, 'received', $6, $7)
		ON CONFLICT (inbound_message_id) DO NOTHING RETURNING id`,
		id, kind, trunc.Runes(e.Subject, MaxSubject), trunc.Runes(e.Body, MaxReply), e.ReceivedAt, e.InboundID, now)
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil // recorded by an earlier run
	}
	if err != nil {
		return out, fmt.Errorf("record the customer's email on complaint %d: %w", id, err)
	}
	out.New = true
	if e.AutoReply {
		return out, nil
	}
	for _, sig := range e.Reading.Signals {
		k := sig.Kind
		if (slices.Contains(escalating, k) || k == surveys.SignalLeave) && !slices.Contains(more.Escalations, string(k)) &&
			!slices.Contains(out.Escalations, k) {
			out.Escalations = append(out.Escalations, k)
			if k == surveys.SignalLeave {
				out.Priority = max(P1, out.Priority-1)
			} else if out.Priority > P2 {
				out.Priority = P2
			}
		}
	}
	for _, k := range out.Escalations {
		more.Escalations = append(more.Escalations, string(k))
	}
	for _, r := range e.Reading.Risks {
		if !slices.Contains(more.Risks, string(r)) {
			more.Risks = append(more.Risks, string(r))
		}
	}
	ev := CustomerEmailedEvent{MessageID: out.MessageID, Escalations: out.Escalations}
	if due := s.policy.Deadline(out.Priority, now); out.Priority < c.Priority && due.Before(out.DueAt) {
		out.DueAt = due
	}
	if c.State == StateResolved {
		if reopenWithin > 0 && c.ResolvedAt != nil && now.Sub(*c.ResolvedAt) <= reopenWithin {
			out.DueAt = s.policy.Deadline(out.Priority, now)
			if err := s.reopen(ctx, tx, id, out.Priority, out.DueAt, now); err != nil {
				return out, err
			}
			out.Reopened = true
			if err := audit(ctx, tx, id, System, ReopenedEvent{Reason: "the customer replied by email", DueAt: out.DueAt}, now); err != nil {
				return out, err
			}
		} else {
			// Kept for the team to read; the resolved complaint is not changed.
			ev.Late = true
			out.Priority, out.DueAt = c.Priority, more.DueAt
		}
	}
	ev.Reopened, ev.FromPriority, ev.ToPriority, ev.DueAt = out.Reopened, c.Priority.String(), out.Priority.String(), out.DueAt
	if !ev.Late {
		if _, err := tx.ExecContext(ctx, `UPDATE complaints SET priority = $2, due_at = $3, escalations = $4, risks = $5, updated_at = $6
			WHERE id = $1`, id, out.Priority, out.DueAt, more.Escalations, more.Risks, now); err != nil {
			return out, fmt.Errorf("update complaint %d after the customer's email: %w", id, err)
		}
	}
	return out, audit(ctx, tx, id, System, ev, now)
}
