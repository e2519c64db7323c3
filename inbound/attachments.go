package inbound

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lib/pq"

	"github.com/followup/followup/internal/trunc"
)

// ErrNoAttachment is an attachment that is not stored, or not where it
// was looked for.
var ErrNoAttachment = errors.New("attachment not found")

// AttachmentInfo is a stored attachment without its bytes, as the staff
// see it beside the message.
type AttachmentInfo struct {
	ID        int64  `db:"id" json:"id"`
	MessageID int64  `db:"inbound_message_id" json:"-"`
	Filename  string `db:"filename" json:"filename"`
	// DeclaredType is what the sender said; SniffedType what the bytes
	// show (the type it is served as, when a safe image).
	DeclaredType string `db:"declared_type" json:"declared_type"`
	SniffedType  string `db:"sniffed_type" json:"sniffed_type"`
	Size         int    `db:"size" json:"size"`
	SHA256       string `db:"sha256" json:"sha256"`
	// Kept is false for a file left out for its size; Note says so.
	Kept bool   `db:"kept" json:"kept"`
	Note string `db:"note" json:"note,omitempty"`
}

// StoredAttachment is a kept attachment with its bytes, to download.
type StoredAttachment struct {
	AttachmentInfo
	Data []byte `db:"data"`
}

// DroppedNote is the note on a file left out for its size.
func DroppedNote(size, limit int) string {
	return fmt.Sprintf("not kept: %s is over the %s limit per attachment (FOLLOWUP_INBOUND_ATTACHMENT_MAX)", HumanSize(size), HumanSize(limit))
}

// HumanSize writes n bytes as 12 KB or 3.4 MB.
func HumanSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// SaveAttachments stores the files of message id, in the order of the
// message: those kept with their bytes, those dropped for their size
// (over limit) with a note and no bytes. It is idempotent: a second run
// for the same message stores nothing new.
func (s *Store) SaveAttachments(ctx context.Context, id int64, p *Parsed, limit int) error {
	if len(p.Attachments)+len(p.Dropped) == 0 {
		return nil
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store attachments of inbound message %d: %w", id, err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit, ErrTxDone: nothing to undo
	pos := 0
	for _, list := range [][]Attachment{p.Attachments, p.Dropped} {
		for _, a := range list {
			pos++
			note := ""
			if a.Data == nil {
				note = DroppedNote(a.Size, limit)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO inbound_attachments (inbound_message_id, position, filename, declared_type,
				sniffed_type, size, sha256, data, kept, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
				ON CONFLICT (inbound_message_id, position) DO NOTHING`,
				id, pos, trunc.Runes(a.Name, 200), trunc.Runes(a.DeclaredType, 200), a.Sniffed, a.Size, a.SHA256[:], a.Data, a.Data != nil, note); err != nil {
				return fmt.Errorf("store attachment %q of inbound message %d: %w", a.Name, id, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store attachments of inbound message %d: %w", id, err)
	}
	return nil
}

const attachmentColumns = `a.id, a.inbound_message_id, a.filename, a.declared_type, a.sniffed_type, a.size,
	encode(a.sha256, 'hex') AS sha256, a.kept, a.note`

// Attachments lists the files of the given messages, without their bytes,
// by message and in the order of each message.
func (s *Store) Attachments(ctx context.Context, messageIDs []int64) (map[int64][]AttachmentInfo, error) {
	out := map[int64][]AttachmentInfo{}
	if len(messageIDs) == 0 {
		return out, nil
	}
	var rows []AttachmentInfo
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+attachmentColumns+` FROM inbound_attachments a
		WHERE a.inbound_message_id = ANY ($1) ORDER BY a.inbound_message_id, a.position`, pq.Array(messageIDs)); err != nil {
		return nil, fmt.Errorf("attachments of inbound messages: %w", err)
	}
	for _, r := range rows {
		out[r.MessageID] = append(out[r.MessageID], r)
	}
	return out, nil
}

// Attachment reads kept attachment id of inbound message messageID, bytes
// included; ErrNoAttachment when that message has no such kept file.
func (s *Store) Attachment(ctx context.Context, messageID, id int64) (StoredAttachment, error) {
	return s.attachment(ctx, `SELECT `+attachmentColumns+`, a.data FROM inbound_attachments a
		WHERE a.id = $1 AND a.inbound_message_id = $2 AND a.kept`, id, messageID)
}

// ComplaintAttachment reads kept attachment id of complaint complaintID,
// bytes included: a file of one of the customer's emails on its
// conversation, or of their reply to the survey email that opened it.
// ErrNoAttachment when the complaint has no such file (so the address of
// one complaint's file cannot be used to read another's).
func (s *Store) ComplaintAttachment(ctx context.Context, complaintID, id int64) (StoredAttachment, error) {
	return s.attachment(ctx, `SELECT `+attachmentColumns+`, a.data FROM inbound_attachments a
		WHERE a.id = $1 AND a.kept AND (
			EXISTS (SELECT 1 FROM complaint_messages m WHERE m.inbound_message_id = a.inbound_message_id AND m.complaint_id = $2)
			OR EXISTS (SELECT 1 FROM complaints c JOIN responses r ON r.id = c.response_id
				JOIN inbound_messages im ON im.route_kind = 'i' AND im.route_id = r.invitation_id AND im.state = 'routed'
				WHERE c.id = $2 AND im.id = a.inbound_message_id))`, id, complaintID)
}

func (s *Store) attachment(ctx context.Context, q string, args ...any) (StoredAttachment, error) {
	var a StoredAttachment
	err := s.db.GetContext(ctx, &a, q, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("attachment %v: %w", args[0], ErrNoAttachment)
	}
	if err != nil {
		return a, fmt.Errorf("read attachment %v: %w", args[0], err)
	}
	return a, nil
}
