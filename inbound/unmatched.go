package inbound

import (
	"context"
	"fmt"
	"time"

	"github.com/followup/followup/internal/trunc"
)

// Unmatched is a message nothing was found for (or that could not be
// parsed), as the admins read it.
type Unmatched struct {
	ID         int64     `db:"id" json:"id"`
	ReceivedAt time.Time `db:"received_at" json:"received_at"`
	// From is the author's address, else the envelope sender.
	From    string `db:"from_address" json:"from"`
	RcptTo  string `db:"rcpt_to" json:"to"`
	Subject string `db:"subject" json:"subject"`
	Body    string `db:"body" json:"body"`
	Kind    string `db:"kind" json:"kind"`
	State   string `db:"state" json:"state"`
	Outcome string `db:"outcome" json:"outcome"`
	// Attachments are the files that came with it (those left out for
	// their size with a note).
	Attachments []AttachmentInfo `db:"-" json:"attachments"`
}

// UnmatchedList returns the messages waiting for the admins (unmatched or
// failed), newest first.
func (s *Store) UnmatchedList(ctx context.Context, limit int) ([]Unmatched, error) {
	out := []Unmatched{}
	if err := s.db.SelectContext(ctx, &out, `SELECT id, received_at, COALESCE(NULLIF(from_address, ''), mail_from) AS from_address,
		rcpt_to, subject, body, kind, state, outcome FROM inbound_messages WHERE state IN ('unmatched', 'failed')
		ORDER BY received_at DESC, id DESC LIMIT $1`, limit); err != nil {
		return nil, fmt.Errorf("unmatched inbound messages: %w", err)
	}
	ids := make([]int64, len(out))
	for i, m := range out {
		ids[i] = m.ID
	}
	files, err := s.Attachments(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Attachments = files[out[i].ID]
		if out[i].Attachments == nil {
			out[i].Attachments = []AttachmentInfo{}
		}
	}
	return out, nil
}

// Assigned records that an admin (by) put unmatched or failed message id
// on complaint complaintID's conversation; it says whether it was waiting.
func (s *Store) Assigned(ctx context.Context, id, complaintID int64, by string, now time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE inbound_messages SET state = 'routed', parsed_at = COALESCE(parsed_at, $3),
		outcome = $4 WHERE id = $1 AND state IN ('unmatched', 'failed') AND $2 > 0`,
		id, complaintID, now, trunc.Runes(fmt.Sprintf("assigned to complaint %d by %s", complaintID, by), 1000))
	if err != nil {
		return false, fmt.Errorf("assign inbound message %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
