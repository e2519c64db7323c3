package inbound

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"net/textproto"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/internal/trunc"
)

// Sources of received mail.
const (
	SourceSMTP = "smtp"
	SourceIMAP = "imap"
)

// States of a received message.
const (
	// StateReceived: stored, not yet parsed and routed.
	StateReceived = "received"
	// StateRouted: it landed where it belongs (or was recorded and left,
	// for an auto-reply or a temporary delivery delay).
	StateRouted = "routed"
	// StateUnmatched: nothing it belongs to was found; kept for the admins.
	StateUnmatched = "unmatched"
	// StateFailed: it could not be parsed or routed; the raw message stays.
	StateFailed = "failed"
)

// ErrNotFound is a message id that is not stored.
var ErrNotFound = errors.New("inbound message not found")

// Store writes inbound_messages.
type Store struct {
	db *sqlx.DB
}

// NewStore returns a Store on db.
func NewStore(db *sqlx.DB) *Store { return &Store{db: db} }

// Received is one message as it arrived for one of our addresses.
type Received struct {
	Source string
	// Remote is the client's address (SMTP) or the mailbox (IMAP).
	Remote string
	// MailFrom is the envelope sender; empty for a delivery report.
	MailFrom string
	// RcptTo is the address it came to; Route what it names (zero when it
	// names nothing, as mail found in a mailbox may).
	RcptTo string
	Route  Route
	Raw    []byte
	At     time.Time
}

// Stored is where a received message is kept.
type Stored struct {
	ID int64
	// Fresh is false when the same message (same bytes or same Message-ID,
	// to the same address) was already stored: a retransmission.
	Fresh bool
}

// Ping says whether the database answers, so the listener can tell a
// sender to retry before it sends a message it could not store.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Receive stores msgs in one transaction, each once: a message already
// stored for its address (by content hash or Message-ID) is not stored
// again, and its id is returned. Only after Receive returns may the sender
// be told the message was taken (250) or the mailbox copy deleted.
func (s *Store) Receive(ctx context.Context, msgs []Received) ([]Stored, error) {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store received mail: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // after Commit, ErrTxDone: nothing to undo
	out := make([]Stored, len(msgs))
	for i, m := range msgs {
		sum := sha256.Sum256(m.Raw)
		rcpt := strings.ToLower(strings.TrimSpace(m.RcptTo))
		mid := trunc.Runes(MessageIDOf(m.Raw), 500)
		var routeID *int64
		if m.Route.ID > 0 {
			routeID = &m.Route.ID
		}
		var id int64
		err := tx.GetContext(ctx, &id, `INSERT INTO inbound_messages (received_at, source, remote, mail_from, rcpt_to, route_kind, route_id,
			message_id, content_sha256, size, raw) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT DO NOTHING RETURNING id`,
			m.At, m.Source, trunc.Runes(m.Remote, 200), trunc.Runes(m.MailFrom, 500), rcpt, string(m.Route.Kind), routeID,
			mid, sum[:], len(m.Raw), m.Raw)
		switch {
		case err == nil:
			out[i] = Stored{ID: id, Fresh: true}
			continue
		case !errors.Is(err, sql.ErrNoRows):
			return nil, fmt.Errorf("store message to %s: %w", rcpt, err)
		}
		err = tx.GetContext(ctx, &id, `SELECT id FROM inbound_messages WHERE rcpt_to = $1
			AND (content_sha256 = $2 OR (message_id = $3 AND $3 <> '')) ORDER BY id LIMIT 1`, rcpt, sum[:], mid)
		if err != nil {
			return nil, fmt.Errorf("find the stored copy of a message to %s: %w", rcpt, err)
		}
		out[i] = Stored{ID: id}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store received mail: %w", err)
	}
	return out, nil
}

// MessageIDOf is the Message-ID of a raw message without its angle
// brackets, "" when it has none or its header cannot be read.
func MessageIDOf(raw []byte) string {
	r := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw)))
	h, err := r.ReadMIMEHeader()
	if err != nil && len(h) == 0 {
		return ""
	}
	return strings.Trim(strings.TrimSpace(h.Get("Message-Id")), "<>")
}

// Unparsed returns the ids of the messages stored before cutoff and not
// yet parsed, oldest first: the reconciler queues them again.
func (s *Store) Unparsed(ctx context.Context, cutoff time.Time, limit int) ([]int64, error) {
	var ids []int64
	if err := s.db.SelectContext(ctx, &ids, `SELECT id FROM inbound_messages WHERE state = 'received' AND received_at <= $1
		ORDER BY received_at, id LIMIT $2`, cutoff, limit); err != nil {
		return nil, fmt.Errorf("unparsed inbound messages: %w", err)
	}
	return ids, nil
}

// OldestUnparsed is when the oldest message not yet parsed arrived; zero
// when none waits.
func (s *Store) OldestUnparsed(ctx context.Context, _ time.Time) (time.Time, error) {
	var t *time.Time
	if err := s.db.GetContext(ctx, &t, `SELECT min(received_at) FROM inbound_messages WHERE state = 'received'`); err != nil {
		return time.Time{}, fmt.Errorf("oldest unparsed inbound message: %w", err)
	}
	if t == nil {
		return time.Time{}, nil
	}
	return *t, nil
}
