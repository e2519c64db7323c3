package inbound

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// customerMessages chooses the inbound messages (m) of customer $1 with
// address $2: those sent to a signed address of one of their complaints,
// invitations or complaint emails (bounces included), those put on one of
// their complaints' conversations, and those that came from their address.
const customerMessages = `(
	(m.route_kind = 'c' AND m.route_id IN (SELECT id FROM complaints WHERE customer_id = $1))
	OR (m.route_kind IN ('i', 'bi') AND m.route_id IN (SELECT id FROM invitations WHERE customer_id = $1))
	OR (m.route_kind = 'bm' AND m.route_id IN (SELECT cm.id FROM complaint_messages cm JOIN complaints c ON c.id = cm.complaint_id WHERE c.customer_id = $1))
	OR m.id IN (SELECT cm.inbound_message_id FROM complaint_messages cm JOIN complaints c ON c.id = cm.complaint_id
	            WHERE c.customer_id = $1 AND cm.inbound_message_id IS NOT NULL)
	OR ($2 <> '' AND (lower(m.from_address) = lower($2) OR lower(m.mail_from) = lower($2))))`

// ExportMessages returns the mail a customer sent back (replies, auto-replies,
// the delivery reports about their address), oldest first, as JSON objects
// with the message as parsed and the raw message as received ("raw_base64").
func (s *Store) ExportMessages(ctx context.Context, tx sqlx.QueryerContext, customerID int64, email string) ([]json.RawMessage, error) {
	var rows []string
	err := sqlx.SelectContext(ctx, tx, &rows, `SELECT (to_jsonb(m) - 'raw' - 'content_sha256'
		|| jsonb_build_object('raw_base64', encode(m.raw, 'base64')))::text
		FROM inbound_messages m WHERE `+customerMessages+` ORDER BY m.received_at, m.id`, customerID, email)
	if err != nil {
		return nil, fmt.Errorf("export the mail of customer %d: %w", customerID, err)
	}
	out := make([]json.RawMessage, len(rows))
	for i, r := range rows {
		out[i] = json.RawMessage(r)
	}
	return out, nil
}

// erasedMessage is the SET list that erases an inbound message: the raw
// message and its Message-ID (a mail client may write the address in it)
// are emptied, the sender, subject and body become "[erased]"; when it
// came, how, where it was routed and what routing did stay.
const erasedMessage = `raw = ''::bytea, mail_from = CASE WHEN mail_from = '' THEN '' ELSE '[erased]' END,
	from_address = CASE WHEN from_address = '' THEN '' ELSE '[erased]' END,
	subject = CASE WHEN subject = '' THEN '' ELSE '[erased]' END, body = CASE WHEN body = '' THEN '' ELSE '[erased]' END,
	message_id = ''`

// notErased is true of a message erasedMessage would change.
const notErased = `(length(raw) > 0 OR message_id <> '' OR mail_from NOT IN ('', '[erased]') OR from_address NOT IN ('', '[erased]')
	OR subject NOT IN ('', '[erased]') OR body NOT IN ('', '[erased]'))`

// EraseMessages erases, in tx, the mail a customer sent back (see
// customerMessages, erasedMessage), and deletes the files that came with
// it; it returns how many messages changed.
// A message not parsed yet is erased too: its parse then finds nothing
// and it stays unmatched.
func (s *Store) EraseMessages(ctx context.Context, tx sqlx.ExecerContext, customerID int64, email string) (int64, error) {
	// The files first, while the sender's address still finds the mail.
	if _, err := tx.ExecContext(ctx, `DELETE FROM inbound_attachments a USING inbound_messages m
		WHERE a.inbound_message_id = m.id AND `+customerMessages, customerID, email); err != nil {
		return 0, fmt.Errorf("erase the attachments of customer %d: %w", customerID, err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE inbound_messages m SET `+erasedMessage+` WHERE `+customerMessages+` AND `+notErased, customerID, email)
	if err != nil {
		return 0, fmt.Errorf("erase the mail of customer %d: %w", customerID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// PurgeMessages erases, the same way, the mail received before cutoff (the
// retention period) whose parsing and routing are over, files included; it returns how
// many messages changed.
func (s *Store) PurgeMessages(ctx context.Context, tx sqlx.ExecerContext, cutoff time.Time) (int64, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM inbound_attachments a USING inbound_messages m
		WHERE a.inbound_message_id = m.id AND m.received_at < $1 AND m.state <> 'received'`, cutoff); err != nil {
		return 0, fmt.Errorf("purge the attachments received before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	res, err := tx.ExecContext(ctx, `UPDATE inbound_messages SET `+erasedMessage+`
		WHERE received_at < $1 AND state <> 'received' AND `+notErased, cutoff)
	if err != nil {
		return 0, fmt.Errorf("purge the mail received before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
