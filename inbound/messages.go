package inbound

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/followup/followup/internal/trunc"
)

// Message is a stored inbound message.
type Message struct {
	ID         int64     `db:"id"`
	ReceivedAt time.Time `db:"received_at"`
	Source     string    `db:"source"`
	MailFrom   string    `db:"mail_from"`
	RcptTo     string    `db:"rcpt_to"`
	RouteKind  string    `db:"route_kind"`
	RouteID    *int64    `db:"route_id"`
	MessageID  string    `db:"message_id"`
	Raw        []byte    `db:"raw"`
	State      string    `db:"state"`
	Kind       string    `db:"kind"`
	Attempts   int       `db:"attempts"`
}

// Route is what the address the message came to names (zero when none).
func (m Message) Route() Route {
	if m.RouteID == nil {
		return Route{}
	}
	return Route{Kind: Kind(m.RouteKind), ID: *m.RouteID}
}

// Load reads message id, raw bytes included.
func (s *Store) Load(ctx context.Context, id int64) (Message, error) {
	var m Message
	err := s.db.GetContext(ctx, &m, `SELECT id, received_at, source, mail_from, rcpt_to, route_kind, route_id, message_id, raw,
		state, kind, attempts FROM inbound_messages WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return m, fmt.Errorf("inbound message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return m, fmt.Errorf("load inbound message %d: %w", id, err)
	}
	return m, nil
}

// Settled is what parsing and routing made of a message.
type Settled struct {
	// State is StateRouted, StateUnmatched or StateFailed.
	State   string
	Kind    string
	From    string
	Subject string
	Body    string
	// Outcome says in words what was done, or why it failed.
	Outcome string
}

// Settle records what became of message id; only a message still waiting
// (received) changes, so a second run settles nothing. It says whether it
// did.
func (s *Store) Settle(ctx context.Context, id int64, st Settled, now time.Time) (bool, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE inbound_messages SET state = $2, kind = $3, from_address = $4, subject = $5, body = $6,
		outcome = $7, parsed_at = $8, attempts = attempts + 1 WHERE id = $1 AND state = 'received'`,
		id, st.State, st.Kind, trunc.Runes(st.From, 500), trunc.Runes(st.Subject, 500), trunc.Runes(st.Body, 20000),
		trunc.Runes(st.Outcome, 1000), now)
	if err != nil {
		return false, fmt.Errorf("settle inbound message %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// Addressee is the customer a route leads to, and what it names.
type Addressee struct {
	CustomerID   int64  `db:"customer_id"`
	Email        string `db:"email"`
	Name         string `db:"name"`
	Locale       string `db:"locale"`
	ComplaintID  *int64 `db:"complaint_id"`
	InvitationID *int64 `db:"invitation_id"`
}

// ErrNoAddressee is a route whose complaint, invitation or message is gone.
var ErrNoAddressee = errors.New("nothing matches the address")

// Addressee reads who and what route names: the complaint (and its
// customer) of a complaint's address or of one of its emails' bounces, the
// invitation (and its customer) of a survey email's.
func (s *Store) Addressee(ctx context.Context, r Route) (Addressee, error) {
	var q string
	switch r.Kind {
	case KindComplaint:
		q = `SELECT cu.id AS customer_id, cu.email, cu.name, cu.locale, c.id AS complaint_id, NULL::bigint AS invitation_id
			FROM complaints c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`
	case KindMessageBounce:
		q = `SELECT cu.id AS customer_id, cu.email, cu.name, cu.locale, c.id AS complaint_id, NULL::bigint AS invitation_id
			FROM complaint_messages m JOIN complaints c ON c.id = m.complaint_id JOIN customers cu ON cu.id = c.customer_id WHERE m.id = $1`
	case KindInvitation, KindInvitationBounce:
		q = `SELECT cu.id AS customer_id, cu.email, cu.name, cu.locale, NULL::bigint AS complaint_id, i.id AS invitation_id
			FROM invitations i JOIN customers cu ON cu.id = i.customer_id WHERE i.id = $1`
	default:
		return Addressee{}, ErrNoAddressee
	}
	var a Addressee
	err := s.db.GetContext(ctx, &a, q, r.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("%s: %w", r, ErrNoAddressee)
	}
	if err != nil {
		return a, fmt.Errorf("addressee of %s: %w", r, err)
	}
	return a, nil
}
