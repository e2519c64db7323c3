package complaints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/internal/trunc"
)

// Kinds of email the customer gets about their complaint.
const (
	// MessageAcknowledgement: we have received the request, who will contact you, by when.
	MessageAcknowledgement = "acknowledgement"
	// MessageReply is an agent's own words.
	MessageReply = "reply"
	// MessageResolution says concretely what was done.
	MessageResolution = "resolution"
)

// Message states.
const (
	MessagePending = "pending"
	MessageSent    = "sent"
	MessageSkipped = "skipped"
	MessageFailed  = "failed"
)

// queueMessage records an email owed to the customer, to send at sendAt.
func queueMessage(ctx context.Context, tx sqlx.QueryerContext, complaintID int64, kind string, by Actor, subject, body string, sendAt, now time.Time) (int64, error) {
	var id int64
	if err := sqlx.GetContext(ctx, tx, &id, `INSERT INTO complaint_messages (complaint_id, kind, author_id, subject, body, send_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, complaintID, kind, by.idOrNil(), subject, body, sendAt, now); err != nil {
		return 0, fmt.Errorf("queue %s to the customer of complaint %d: %w", kind, complaintID, err)
	}
	return id, nil
}

// Outbound is an email owed to a customer about their complaint, with what
// writing it needs.
type Outbound struct {
	ID          int64      `db:"id"`
	ComplaintID int64      `db:"complaint_id"`
	Kind        string     `db:"kind"`
	State       string     `db:"state"`
	Subject     string     `db:"subject"`
	Body        string     `db:"body"`
	SendAt      time.Time  `db:"send_at"`
	Attempts    int        `db:"attempts"`
	AuthorName  string     `db:"author_name"`
	DueAt       time.Time  `db:"due_at"`
	Priority    Priority   `db:"priority"`
	OwnerName   string     `db:"owner_name"`
	Team        string     `db:"team"`
	OpenedAt    time.Time  `db:"opened_at"`
	Resolution  string     `db:"resolution"`
	ResolvedAt  *time.Time `db:"resolved_at"`
	Name        string     `db:"name"`
	Email       string     `db:"email"`
	Locale      string     `db:"locale"`
	TimeZone    string     `db:"time_zone"`
	// AddressSuppressed says why the address must not be emailed (it
	// bounced), empty when it may.
	AddressSuppressed string `db:"address_suppressed"`
	// DoubleDeviationReason is set when the complaint is a double
	// deviation: a new acknowledgement then apologises.
	DoubleDeviationReason string `db:"double_deviation_reason"`
}

// Outbound loads one message to send.
func (s *Store) Outbound(ctx context.Context, id int64) (Outbound, error) {
	var m Outbound
	err := s.db.GetContext(ctx, &m, `SELECT m.id, m.complaint_id, m.kind, m.state, m.subject, m.body, m.send_at, m.attempts,
		COALESCE(NULLIF(a.name, ''), a.email, '') AS author_name,
		c.due_at, c.priority, COALESCE(NULLIF(o.name, ''), '') AS owner_name, c.team, c.opened_at, c.resolution, c.resolved_at,
		COALESCE(c.double_deviation_reason, '') AS double_deviation_reason,
		cu.name, cu.email, cu.locale, cu.time_zone,
		COALESCE((SELECT reason FROM email_suppressions s WHERE s.email = lower(cu.email) AND s.reason = 'bounced'), '') AS address_suppressed
		FROM complaint_messages m
		JOIN complaints c ON c.id = m.complaint_id
		JOIN customers cu ON cu.id = c.customer_id
		LEFT JOIN users a ON a.id = m.author_id
		LEFT JOIN users o ON o.id = c.owner_id
		WHERE m.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("complaint message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("load complaint message %d: %w", id, err)
	}
	return m, nil
}

// MarkMessageSent records a message as delivered, once. An acknowledgement
// is a promise: the complaint remembers the deadline it gave the customer,
// and missing it will be a double deviation.
func (s *Store) MarkMessageSent(ctx context.Context, id int64, messageID string, now time.Time) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("mark message %d sent: %w", id, err)
	}
	defer tx.Rollback()
	var m struct {
		ComplaintID int64  `db:"complaint_id"`
		Kind        string `db:"kind"`
	}
	err = tx.GetContext(ctx, &m, `UPDATE complaint_messages SET state = 'sent', sent_at = $2, message_id = $3, attempts = attempts + 1
		WHERE id = $1 AND state = 'pending' RETURNING complaint_id, kind`, id, now, messageID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // recorded by an earlier run
	}
	if err != nil {
		return fmt.Errorf("mark message %d sent: %w", id, err)
	}
	var e Event = MessageSentEvent{Message: m.Kind, MessageID: id}
	if m.Kind == MessageAcknowledgement {
		var due time.Time
		if err := tx.GetContext(ctx, &due, `UPDATE complaints SET acknowledged_at = COALESCE(acknowledged_at, $2),
			promised_due_at = CASE WHEN state <> 'resolved' THEN due_at END, updated_at = $2
			WHERE id = $1 RETURNING due_at`, m.ComplaintID, now); err != nil {
			return fmt.Errorf("record acknowledgement of complaint %d: %w", m.ComplaintID, err)
		}
		e = AcknowledgedEvent{MessageID: id, PromisedDueAt: due}
	}
	if err := audit(ctx, tx, m.ComplaintID, System, e, now); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("mark message %d sent: %w", id, err)
	}
	return nil
}

// SettleMessage ends a message that will not be sent: skipped (nothing to
// say any more, the address bounced) or failed (the server refused it).
func (s *Store) SettleMessage(ctx context.Context, id int64, state, reason string, now time.Time) error {
	if state != MessageSkipped && state != MessageFailed {
		return fmt.Errorf("settle message %d: %q is not an end state", id, state)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("settle message %d: %w", id, err)
	}
	defer tx.Rollback()
	var m struct {
		ComplaintID int64  `db:"complaint_id"`
		Kind        string `db:"kind"`
	}
	err = tx.GetContext(ctx, &m, `UPDATE complaint_messages SET state = $2, reason = $3, attempts = attempts + 1
		WHERE id = $1 AND state = 'pending' RETURNING complaint_id, kind`, id, state, trunc.Runes(reason, 500))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("settle message %d: %w", id, err)
	}
	if err := audit(ctx, tx, m.ComplaintID, System, MessageSettledEvent{Message: m.Kind, State: state, MessageID: id, Reason: reason}, now); err != nil {
		return err
	}
	return tx.Commit()
}

// RecordMessageAttempt counts a failed attempt that will be retried.
func (s *Store) RecordMessageAttempt(ctx context.Context, id int64, cause error) error {
	_, err := s.db.ExecContext(ctx, `UPDATE complaint_messages SET attempts = attempts + 1, reason = $2 WHERE id = $1 AND state = 'pending'`,
		id, trunc.Runes(cause.Error(), 500))
	return err
}

// PendingMessages returns messages due before cutoff and still unsent: the
// reconciler enqueues them again.
func (s *Store) PendingMessages(ctx context.Context, cutoff time.Time, limit int) ([]PendingMessage, error) {
	out := []PendingMessage{}
	err := s.db.SelectContext(ctx, &out, `SELECT id, send_at FROM complaint_messages
		WHERE state = 'pending' AND send_at < $1 ORDER BY send_at LIMIT $2`, cutoff, limit)
	if err != nil {
		return nil, fmt.Errorf("pending complaint messages: %w", err)
	}
	return out, nil
}

// OldestPendingMessage returns when the oldest message due by now and
// still unsent was due, or the zero time when none is.
func (s *Store) OldestPendingMessage(ctx context.Context, now time.Time) (time.Time, error) {
	var t *time.Time
	if err := s.db.GetContext(ctx, &t, `SELECT min(send_at) FROM complaint_messages WHERE state = 'pending' AND send_at <= $1`, now); err != nil {
		return time.Time{}, fmt.Errorf("oldest pending complaint message: %w", err)
	}
	if t == nil {
		return time.Time{}, nil
	}
	return *t, nil
}

// PendingMessage is a message to enqueue.
type PendingMessage struct {
	ID     int64     `db:"id"`
	SendAt time.Time `db:"send_at"`
}

// MessageInfo is one email of a complaint, as the agent sees it.
type MessageInfo struct {
	ID   int64  `db:"id" json:"id"`
	Kind string `db:"kind" json:"kind"`
	// Direction is "out" for the emails the customer got, "in" for those
	// they sent (Kind customer_reply or auto_reply; Author is the customer).
	Direction string     `db:"direction" json:"direction"`
	State     string     `db:"state" json:"state"`
	Subject   string     `db:"subject" json:"subject"`
	Body      string     `db:"body" json:"body"`
	SendAt    time.Time  `db:"send_at" json:"send_at"`
	SentAt    *time.Time `db:"sent_at" json:"sent_at"`
	Reason    string     `db:"reason" json:"reason,omitempty"`
	Author    string     `db:"author" json:"author"`
	// Attachments are the files that came with a customer's email (none
	// for ours), those left out for their size included with a note.
	Attachments []AttachmentInfo `db:"-" json:"attachments"`
}
