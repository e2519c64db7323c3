package complaints

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// AttachmentInfo is a file the customer sent with one of their emails on
// the conversation, or with their reply to the survey email (the table
// inbound_attachments, written by package inbound, read here); its bytes
// are downloaded from the complaint's attachment address.
type AttachmentInfo struct {
	ID           int64  `db:"id" json:"id"`
	MessageID    int64  `db:"message_id" json:"-"`
	Filename     string `db:"filename" json:"filename"`
	DeclaredType string `db:"declared_type" json:"declared_type"`
	SniffedType  string `db:"sniffed_type" json:"sniffed_type"`
	Size         int    `db:"size" json:"size"`
	SHA256       string `db:"sha256" json:"sha256"`
	// Kept is false for a file left out for its size; Note says so.
	Kept bool   `db:"kept" json:"kept"`
	Note string `db:"note" json:"note,omitempty"`
}

// attachMessages puts on each of msgs (the conversation of complaint id)
// the files that came with it, in their order; every message gets a list,
// empty when none came.
func attachMessages(ctx context.Context, tx *sqlx.Tx, id int64, msgs []MessageInfo) error {
	var rows []AttachmentInfo
	if err := tx.SelectContext(ctx, &rows, `SELECT a.id, m.id AS message_id, a.filename, a.declared_type, a.sniffed_type, a.size,
		encode(a.sha256, 'hex') AS sha256, a.kept, a.note
		FROM complaint_messages m JOIN inbound_attachments a ON a.inbound_message_id = m.inbound_message_id
		WHERE m.complaint_id = $1 ORDER BY m.id, a.position`, id); err != nil {
		return err
	}
	by := map[int64][]AttachmentInfo{}
	for _, r := range rows {
		by[r.MessageID] = append(by[r.MessageID], r)
	}
	for i := range msgs {
		msgs[i].Attachments = by[msgs[i].ID]
		if msgs[i].Attachments == nil {
			msgs[i].Attachments = []AttachmentInfo{}
		}
	}
	return nil
}

// attachReply puts on the reply the files that came with it when the
// customer answered the survey email by email (the inbound messages routed
// to its invitation).
func attachReply(ctx context.Context, tx *sqlx.Tx, r *Reply) error {
	r.Attachments = []AttachmentInfo{}
	return tx.SelectContext(ctx, &r.Attachments, `SELECT a.id, im.id AS message_id, a.filename, a.declared_type, a.sniffed_type, a.size,
		encode(a.sha256, 'hex') AS sha256, a.kept, a.note
		FROM responses r JOIN inbound_messages im ON im.route_kind = 'i' AND im.route_id = r.invitation_id AND im.state = 'routed'
		JOIN inbound_attachments a ON a.inbound_message_id = im.id
		WHERE r.id = $1 ORDER BY im.id, a.position`, r.ID)
}
