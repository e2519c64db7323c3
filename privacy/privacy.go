package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/inbound"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

// ErrNotFound is a customer that does not exist.
var ErrNotFound = customers.ErrNotFound

// TaskScrubber removes from the queue the tasks whose payload or last
// error mentions one of needles (an address), so that nothing of an
// erased customer stays in Redis; the reconciler puts back from
// PostgreSQL whatever work was still due. It returns how many tasks it
// removed.
type TaskScrubber interface {
	ScrubTasks(ctx context.Context, needles []string) (int, error)
}

// MailForgetter is a store of emails outside PostgreSQL (the SMTP capture
// of the demo and the tests) that forgets the messages to, from or
// mentioning any of needles (the customer's address and name); it returns
// how many it forgot.
type MailForgetter interface {
	Forget(needles []string) int
}

// Service exports and erases customers' data and purges it past its
// retention period.
type Service struct {
	DB         *sqlx.DB
	Customers  *customers.Store
	Surveys    *surveys.Store
	Scheduler  *scheduler.Store
	Complaints *complaints.Store
	Inbound    *inbound.Store
	Alerts     *feedback.Store
	// Tasks and Mail, when set, are scrubbed by an erase: the queue before
	// it commits, the capture after.
	Tasks TaskScrubber
	Mail  MailForgetter
	Clock clock.Clock
	Log   *slog.Logger
}

// Actor is who asks for an export or an erase: a signed-in user (UserID)
// or the command line (UserID 0), named by Label.
type Actor struct {
	UserID int64
	Label  string
}

// Actions recorded in the audit.
const (
	ActionExport = "export"
	ActionErase  = "erase"
)

// Detail is what the product holds about a customer, as the customers
// API shows it: the profile (suppression and erasure included) and the
// history (latest 200 events, invitations, replies and complaints).
type Detail struct {
	Customer customers.Profile  `json:"customer"`
	History  complaints.History `json:"history"`
}

// Detail returns a customer's profile and history.
func (s *Service) Detail(ctx context.Context, id int64) (Detail, error) {
	var d Detail
	var err error
	if d.Customer, err = s.Customers.Profile(ctx, nil, id); err != nil {
		return d, err
	}
	f, err := s.Complaints.CustomerFile(ctx, id)
	if err != nil {
		return d, fmt.Errorf("history of customer %d: %w", id, err)
	}
	d.History = f.History
	return d, nil
}

// Export is one customer's data as one document.
type Export struct {
	ExportedAt  time.Time                      `json:"exported_at"`
	Customer    customers.Profile              `json:"customer"`
	Events      []customers.Event              `json:"events"`
	Invitations []scheduler.ExportedInvitation `json:"invitations"`
	Responses   []surveys.ExportedResponse     `json:"responses"`
	// Complaints hold their conversation ("messages"), trail ("events")
	// and compensation.
	Complaints []json.RawMessage `json:"complaints"`
	// InboundMessages are the emails that came back from or about the
	// customer, parsed and raw.
	InboundMessages []json.RawMessage `json:"inbound_messages"`
	// EmailsSent lists every email sent to the customer: survey emails
	// (whose bodies are not kept) and complaint emails (their text is in
	// Complaints' messages).
	EmailsSent []EmailSent `json:"emails_sent"`
}

// EmailSent is one email sent to the customer.
type EmailSent struct {
	Kind         string    `json:"kind"`
	SentAt       time.Time `json:"sent_at"`
	MessageID    string    `json:"message_id,omitempty"`
	InvitationID int64     `json:"invitation_id,omitempty"`
	ComplaintID  int64     `json:"complaint_id,omitempty"`
	Subject      string    `json:"subject,omitempty"`
}

// Export gathers one customer's data in one repeatable-read transaction
// and records the export in the audit.
func (s *Service) Export(ctx context.Context, who Actor, id int64) (Export, error) {
	var e Export
	tx, err := s.DB.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return e, fmt.Errorf("export customer %d: %w", id, err)
	}
	defer tx.Rollback()
	e.ExportedAt = s.Clock.Now()
	if e.Customer, err = s.Customers.Profile(ctx, tx, id); err != nil {
		return e, err
	}
	if e.Events, err = s.Customers.ExportEvents(ctx, tx, id); err != nil {
		return e, err
	}
	if e.Invitations, err = s.Scheduler.ExportInvitations(ctx, tx, id); err != nil {
		return e, err
	}
	if e.Responses, err = s.Surveys.ExportResponses(ctx, tx, id); err != nil {
		return e, err
	}
	if e.Complaints, err = s.Complaints.ExportComplaints(ctx, tx, id); err != nil {
		return e, err
	}
	if e.InboundMessages, err = s.Inbound.ExportMessages(ctx, tx, id, e.Customer.Email); err != nil {
		return e, err
	}
	if e.EmailsSent, err = emailsSent(e); err != nil {
		return e, fmt.Errorf("export customer %d: %w", id, err)
	}
	if err := s.audit(ctx, tx, who, ActionExport, id, e.ExportedAt, nil); err != nil {
		return e, err
	}
	if err := tx.Commit(); err != nil {
		return e, fmt.Errorf("export customer %d: %w", id, err)
	}
	return e, nil
}

// emailsSent lists the survey emails and the complaint emails sent, oldest
// first.
func emailsSent(e Export) ([]EmailSent, error) {
	out := []EmailSent{}
	for _, inv := range e.Invitations {
		if inv.SentAt == nil {
			continue
		}
		m := EmailSent{Kind: "survey_" + inv.Kind, SentAt: *inv.SentAt, InvitationID: inv.ID}
		if inv.MessageID != nil {
			m.MessageID = *inv.MessageID
		}
		out = append(out, m)
	}
	for _, raw := range e.Complaints {
		var c struct {
			ID       int64 `json:"id"`
			Messages []struct {
				Kind      string     `json:"kind"`
				Direction string     `json:"direction"`
				Subject   string     `json:"subject"`
				MessageID string     `json:"message_id"`
				SentAt    *time.Time `json:"sent_at"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, fmt.Errorf("read a complaint's emails: %w", err)
		}
		for _, m := range c.Messages {
			if m.Direction == "out" && m.SentAt != nil {
				out = append(out, EmailSent{Kind: "complaint_" + m.Kind, SentAt: *m.SentAt, MessageID: m.MessageID, ComplaintID: c.ID, Subject: m.Subject})
			}
		}
	}
	sortByTime(out)
	return out, nil
}

func sortByTime(m []EmailSent) {
	for i := 1; i < len(m); i++ {
		for j := i; j > 0 && m[j].SentAt.Before(m[j-1].SentAt); j-- {
			m[j], m[j-1] = m[j-1], m[j]
		}
	}
}

// Erased is what an erase did.
type Erased struct {
	CustomerID int64     `json:"customer_id"`
	ErasedAt   time.Time `json:"erased_at"`
	// Already is true when the customer had been erased before: only what
	// was left (if anything) was erased this time.
	Already bool `json:"already_erased"`
	// Rows are the rows changed per table.
	Rows map[string]int64 `json:"rows"`
	// TasksRemoved and CapturedForgotten count what was removed outside
	// PostgreSQL: queued tasks mentioning the address, captured emails.
	TasksRemoved      int `json:"tasks_removed"`
	CapturedForgotten int `json:"captured_forgotten"`
}

// Erase replaces a customer's personal data everywhere in one transaction
// (each owner's Erase… method), records it in the audit, removes the
// queue's tasks that mention the address before committing, and what the
// SMTP capture holds of the person after. The anonymous
// figures (ratings, scores, risks, priorities, amounts, times) stay, so
// the reports do not move. Erasing again is harmless.
func (s *Service) Erase(ctx context.Context, who Actor, id int64) (Erased, error) {
	out := Erased{CustomerID: id, ErasedAt: s.Clock.Now(), Rows: map[string]int64{}}
	tx, err := s.DB.BeginTxx(ctx, nil)
	if err != nil {
		return out, fmt.Errorf("erase customer %d: %w", id, err)
	}
	defer tx.Rollback()
	person, rows, err := s.Customers.EraseCustomer(ctx, tx, id, out.ErasedAt)
	if err != nil {
		return out, err
	}
	out.Already = !person.Before
	for k, v := range rows {
		out.Rows[k] += v
	}
	steps := []func() (map[string]int64, error){
		func() (map[string]int64, error) {
			n, err := s.Surveys.EraseResponses(ctx, tx, id)
			return map[string]int64{"responses": n}, err
		},
		func() (map[string]int64, error) {
			n, err := s.Scheduler.EraseInvitations(ctx, tx, id, person.Email)
			return map[string]int64{"invitations": n}, err
		},
		func() (map[string]int64, error) {
			n, err := s.Inbound.EraseMessages(ctx, tx, id, person.Email)
			return map[string]int64{"inbound_messages": n}, err
		},
		func() (map[string]int64, error) { return s.Complaints.EraseComplaints(ctx, tx, id, person.Email) },
		func() (map[string]int64, error) {
			n, err := s.Alerts.EraseAlerts(ctx, tx, id, person.Name)
			return map[string]int64{"alerts": n}, err
		},
	}
	for _, st := range steps {
		rows, err := st()
		if err != nil {
			return out, err
		}
		for k, v := range rows {
			out.Rows[k] += v
		}
	}
	if err := s.audit(ctx, tx, who, ActionErase, id, out.ErasedAt, out.Rows); err != nil {
		return out, err
	}
	// The queue is scrubbed before the commit, while the address is still
	// known: should Redis fail, nothing is erased and the erase can be
	// asked again. A task deleted for an erase that then fails to commit
	// loses no work: the reconciler enqueues it again.
	if s.Tasks != nil {
		n, err := s.Tasks.ScrubTasks(ctx, []string{person.Email})
		if err != nil {
			return out, fmt.Errorf("erase customer %d: scrub the queue (nothing was erased; try again): %w", id, err)
		}
		out.TasksRemoved = n
	}
	if err := tx.Commit(); err != nil {
		return out, fmt.Errorf("erase customer %d: %w", id, err)
	}
	if s.Mail != nil && person.Before {
		out.CapturedForgotten = s.Mail.Forget(nonEmpty(person.Email, person.Name))
	}
	return out, nil
}

// audit records one action on a customer, in tx.
func (s *Service) audit(ctx context.Context, tx *sqlx.Tx, who Actor, action string, customerID int64, at time.Time, counts map[string]int64) error {
	if who.Label == "" {
		return errors.New("record the audit: who acted is unknown")
	}
	var userID *int64
	if who.UserID > 0 {
		userID = &who.UserID
	}
	if counts == nil {
		counts = map[string]int64{}
	}
	b, err := json.Marshal(counts)
	if err != nil {
		return fmt.Errorf("record the %s of customer %d: %w", action, customerID, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO privacy_audit (at, action, customer_id, actor_id, actor, counts) VALUES ($1, $2, $3, $4, $5, $6)`,
		at, action, customerID, userID, who.Label, b); err != nil {
		return fmt.Errorf("record the %s of customer %d: %w", action, customerID, err)
	}
	return nil
}

// AuditEntry is one export or erase.
type AuditEntry struct {
	ID         int64           `db:"id" json:"id"`
	At         time.Time       `db:"at" json:"at"`
	Action     string          `db:"action" json:"action"`
	CustomerID int64           `db:"customer_id" json:"customer_id"`
	ActorID    *int64          `db:"actor_id" json:"actor_id,omitempty"`
	Actor      string          `db:"actor" json:"actor"`
	Counts     json.RawMessage `db:"counts" json:"counts"`
}

// Audit returns the latest exports and erases, newest first (limit 1–1000,
// default 200), of one customer when customerID is not 0.
func (s *Service) Audit(ctx context.Context, customerID int64, limit int) ([]AuditEntry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 200
	}
	out := []AuditEntry{}
	err := s.DB.SelectContext(ctx, &out, `SELECT id, at, action, customer_id, actor_id, actor, counts FROM privacy_audit
		WHERE $1 = 0 OR customer_id = $1 ORDER BY at DESC, id DESC LIMIT $2`, customerID, limit)
	if err != nil {
		return nil, fmt.Errorf("read the customers' data audit: %w", err)
	}
	return out, nil
}

// nonEmpty is the texts that are not blank.
func nonEmpty(texts ...string) []string {
	var out []string
	for _, t := range texts {
		if strings.TrimSpace(t) != "" {
			out = append(out, t)
		}
	}
	return out
}
