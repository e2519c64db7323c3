package complaints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/followup/followup/scheduler"
	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/invalid"
)

// Actor is who acts on a complaint: a person of the CX team, or followup
// itself when ID is 0.
type Actor struct {
	ID    int64
	Email string
	Name  string
	// Role is the person's role (cx, manager, admin); an owner must hold one.
	Role string
}

// System is followup acting on its own (deadlines, recovery surveys).
var System = Actor{}

func (a Actor) label() string {
	if a.ID == 0 {
		return "system"
	}
	return a.Email
}

func (a Actor) idOrNil() *int64 {
	if a.ID == 0 {
		return nil
	}
	return &a.ID
}

// OwnerRoles are the roles that may own a complaint.
var OwnerRoles = []string{"cx", "manager", "admin"}

// ConflictError is an action the complaint's state does not allow now
// (resolving a resolved complaint, taking one someone else owns...).
type ConflictError struct{ Message string }

func (e *ConflictError) Error() string { return e.Message }

// Limits of what agents type.
const (
	MaxNote     = 5000
	MaxReply    = 10000
	MaxSubject  = 200
	MaxSummary  = 5000
	MaxCentsAct = 100_000_000 // a million in the currency: more is a typo
)

// current is the part of a complaint an action decides on, locked.
type current struct {
	ID            int64      `db:"id"`
	State         string     `db:"state"`
	OwnerID       *int64     `db:"owner_id"`
	OwnerLabel    string     `db:"owner_label"`
	Priority      Priority   `db:"priority"`
	CustomerID    int64      `db:"customer_id"`
	ReopenedCount int        `db:"reopened_count"`
	ResolvedAt    *time.Time `db:"resolved_at"`
}

// lock reads a complaint and locks it until tx ends: actions on one
// complaint happen one after the other.
func lock(ctx context.Context, tx *sqlx.Tx, id int64) (current, error) {
	var c current
	err := tx.GetContext(ctx, &c, `SELECT c.id, c.state, c.owner_id, COALESCE(NULLIF(u.name, ''), u.email, '') AS owner_label,
		c.priority, c.customer_id, c.reopened_count, c.resolved_at
		FROM complaints c LEFT JOIN users u ON u.id = c.owner_id WHERE c.id = $1 FOR UPDATE OF c`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("complaint %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("lock complaint %d: %w", id, err)
	}
	return c, nil
}

// audit writes one entry of a complaint's trail: e, done by by.
func audit(ctx context.Context, tx sqlx.ExecerContext, id int64, by Actor, e Event, now time.Time) error {
	raw, err := EncodeEvent(e)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO complaint_events (complaint_id, kind, actor, actor_id, data, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, e.Kind(), by.label(), by.idOrNil(), []byte(raw), now); err != nil {
		return fmt.Errorf("audit %s on complaint %d: %w", e.Kind(), id, err)
	}
	return nil
}

// acted records that someone worked on the complaint: its first action,
// and an owner when it had none (whoever acts on a complaint answers for
// it: it never surfs between people).
func acted(ctx context.Context, tx *sqlx.Tx, c current, by Actor, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE complaints SET first_action_at = COALESCE(first_action_at, $2), updated_at = $2,
		owner_id = COALESCE(owner_id, $3),
		state = CASE WHEN state = 'open' AND COALESCE(owner_id, $3) IS NOT NULL THEN 'in_progress' ELSE state END
		WHERE id = $1`, c.ID, now, by.idOrNil())
	if err != nil {
		return fmt.Errorf("record action on complaint %d: %w", c.ID, err)
	}
	if c.OwnerID == nil && by.idOrNil() != nil {
		// Ownership changes only on the record.
		return audit(ctx, tx, c.ID, by, TakenEvent{Owner: by.Email, ByActing: true}, now)
	}
	return nil
}

// Take makes by the owner of an unowned complaint. Taking one's own
// complaint again changes nothing; taking someone else's is refused (a
// reassignment goes through Assign, so it is deliberate and recorded).
func (s *Store) Take(ctx context.Context, tx *sqlx.Tx, id int64, by Actor, now time.Time) error {
	if err := canOwn(by, "owner"); err != nil {
		return err
	}
	c, err := lock(ctx, tx, id)
	if err != nil {
		return err
	}
	switch {
	case c.State == StateResolved:
		return &ConflictError{"this complaint is resolved: reopen it first"}
	case c.OwnerID != nil && *c.OwnerID == by.ID:
		return nil
	case c.OwnerID != nil:
		return &ConflictError{fmt.Sprintf("%s already owns this complaint: ask them, or assign it if you must take over", c.OwnerLabel)}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE complaints SET owner_id = $2, state = 'in_progress',
		first_action_at = COALESCE(first_action_at, $3), updated_at = $3 WHERE id = $1`, id, by.ID, now); err != nil {
		return fmt.Errorf("take complaint %d: %w", id, err)
	}
	return audit(ctx, tx, id, by, TakenEvent{Owner: by.Email}, now)
}

// Assign gives the complaint to one owner, replacing any other: there is
// exactly one owner at a time, and the trail records from whom to whom.
func (s *Store) Assign(ctx context.Context, tx *sqlx.Tx, id int64, to, by Actor, now time.Time) error {
	if to.ID == 0 {
		return invalid.Field("owner", "choose who will own this complaint")
	}
	if err := canOwn(to, "owner"); err != nil {
		return err
	}
	c, err := lock(ctx, tx, id)
	if err != nil {
		return err
	}
	if c.State == StateResolved {
		return &ConflictError{"this complaint is resolved: reopen it first"}
	}
	if err := mayAct(c, by); err != nil {
		return err
	}
	if c.OwnerID != nil && *c.OwnerID == to.ID {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE complaints SET owner_id = $2, state = 'in_progress',
		first_action_at = COALESCE(first_action_at, $3), updated_at = $3 WHERE id = $1`, id, to.ID, now); err != nil {
		return fmt.Errorf("assign complaint %d: %w", id, err)
	}
	if c.OwnerID != nil {
		return audit(ctx, tx, id, by, ReassignedEvent{Owner: to.Email, PreviousOwner: c.OwnerLabel}, now)
	}
	return audit(ctx, tx, id, by, AssignedEvent{Owner: to.Email}, now)
}

func canOwn(a Actor, field string) error {
	if a.ID == 0 || !slices.Contains(OwnerRoles, a.Role) {
		return invalid.Field(field, "only people of the CX team, managers and admins can own a complaint")
	}
	return nil
}

// Note adds an internal note to the trail.
func (s *Store) Note(ctx context.Context, tx *sqlx.Tx, id int64, text string, by Actor, now time.Time) error {
	text = clean(text)
	if text == "" {
		return invalid.Field("text", "write the note")
	}
	if utf8.RuneCountInString(text) > MaxNote {
		return invalid.Field("text", fmt.Sprintf("keep the note under %d characters", MaxNote))
	}
	c, err := lock(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := acted(ctx, tx, c, by, now); err != nil {
		return err
	}
	return audit(ctx, tx, id, by, NoteEvent{Text: text}, now)
}

// Resolved is what resolving a complaint set in motion.
type Resolved struct {
	// MessageID is the resolution email to the customer.
	MessageID int64
	// RecoveryInvitationID is the recovery survey, when one was planned.
	RecoveryInvitationID int64
}

// Resolve closes the complaint with a summary of what was done: the
// customer is told concretely (the resolution email, queued) and, after
// recoveryAt, asked whether the recovery worked (the recovery survey).
func (s *Store) Resolve(ctx context.Context, tx *sqlx.Tx, id int64, summary string, by Actor, recoveryAt, now time.Time) (Resolved, error) {
	summary = clean(summary)
	switch n := utf8.RuneCountInString(summary); {
	case n < 10:
		return Resolved{}, invalid.Field("summary", "say what was done for the customer: they receive it by email")
	case n > MaxSummary:
		return Resolved{}, invalid.Field("summary", fmt.Sprintf("keep the summary under %d characters", MaxSummary))
	}
	c, err := lock(ctx, tx, id)
	if err != nil {
		return Resolved{}, err
	}
	if c.State == StateResolved {
		return Resolved{}, &ConflictError{"this complaint is already resolved"}
	}
	if err := mayAct(c, by); err != nil {
		return Resolved{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE complaints SET state = 'resolved', resolved_at = $2, resolution = $3,
		owner_id = COALESCE(owner_id, $4), first_action_at = COALESCE(first_action_at, $2), recovery_outcome = '', updated_at = $2
		WHERE id = $1`, id, now, summary, by.idOrNil()); err != nil {
		return Resolved{}, fmt.Errorf("resolve complaint %d: %w", id, err)
	}
	var out Resolved
	if out.MessageID, err = queueMessage(ctx, tx, id, MessageResolution, by, "", summary, now, now); err != nil {
		return Resolved{}, err
	}
	recovery := scheduler.RecoverySurvey{ComplaintID: id, CustomerID: c.CustomerID, ResolvedAt: now, SendAt: recoveryAt}
	if out.RecoveryInvitationID, err = s.invitations.ScheduleRecovery(ctx, tx, recovery, now); err != nil {
		return Resolved{}, err
	}
	e := ResolvedEvent{Summary: summary}
	if out.RecoveryInvitationID != 0 {
		e.RecoverySurveyAt = &recoveryAt
	}
	return out, audit(ctx, tx, id, by, e, now)
}

// Reopen puts a resolved complaint back in the queue with a fresh deadline
// for its priority; the recovery survey not sent yet is withdrawn.
func (s *Store) Reopen(ctx context.Context, tx *sqlx.Tx, id int64, reason string, by Actor, now time.Time) error {
	reason = clean(reason)
	if reason == "" {
		return invalid.Field("reason", "say why the complaint is reopened")
	}
	if utf8.RuneCountInString(reason) > MaxNote {
		return invalid.Field("reason", fmt.Sprintf("keep the reason under %d characters", MaxNote))
	}
	c, err := lock(ctx, tx, id)
	if err != nil {
		return err
	}
	if c.State != StateResolved {
		return &ConflictError{"only a resolved complaint can be reopened"}
	}
	if err := mayAct(c, by); err != nil {
		return err
	}
	p, err := s.policyOf(ctx, tx, id)
	if err != nil {
		return err
	}
	due := p.Deadline(c.Priority, now)
	if err := s.reopen(ctx, tx, id, c.Priority, due, now); err != nil {
		return err
	}
	return audit(ctx, tx, id, by, ReopenedEvent{Reason: reason, DueAt: due}, now)
}

// reopen moves a resolved complaint back to work at priority, due at due,
// and withdraws its recovery survey not sent yet.
func (s *Store) reopen(ctx context.Context, tx *sqlx.Tx, id int64, p Priority, due, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE complaints SET state = CASE WHEN owner_id IS NULL THEN 'open' ELSE 'in_progress' END,
		resolved_at = NULL, reopened_count = reopened_count + 1, priority = $2, due_at = $3,
		deadline_warned_at = NULL, deadline_breached_at = NULL, promised_due_at = NULL, updated_at = $4
		WHERE id = $1`, id, p, due, now); err != nil {
		return fmt.Errorf("reopen complaint %d: %w", id, err)
	}
	return s.invitations.WithdrawRecovery(ctx, tx, id, now)
}

// Deviance kinds (DOMAIN.md): form is how the customer behaves, substance
// what they claim.
var (
	FormDeviances      = []string{"incivility", "non_comprehension", "non_cooperation", "pretension", "threat"}
	SubstanceDeviances = []string{"inadmissible", "fraud", "injustice", "disproportion", "improbability"}
)

// SetDeviance records the deviance the agent faces on this complaint: form
// kinds (some are read from the comment when it opens) and the substance
// one, if any ("" for none).
func (s *Store) SetDeviance(ctx context.Context, tx *sqlx.Tx, id int64, form []string, substance string, by Actor, now time.Time) error {
	form = slices.Compact(slices.Sorted(slices.Values(form)))
	for _, f := range form {
		if !slices.Contains(FormDeviances, f) {
			return invalid.Field("form", fmt.Sprintf("%q is not a form deviance (%s)", f, strings.Join(FormDeviances, ", ")))
		}
	}
	if substance != "" && !slices.Contains(SubstanceDeviances, substance) {
		return invalid.Field("substance", fmt.Sprintf("%q is not a substance deviance (%s)", substance, strings.Join(SubstanceDeviances, ", ")))
	}
	c, err := lock(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := mayAct(c, by); err != nil {
		return err
	}
	if form == nil {
		form = []string{}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE complaints SET form_deviance = $2, substance_deviance = $3, updated_at = $4 WHERE id = $1`,
		id, pq.StringArray(form), substance, now); err != nil {
		return fmt.Errorf("set deviance of complaint %d: %w", id, err)
	}
	if err := acted(ctx, tx, c, by, now); err != nil {
		return err
	}
	return audit(ctx, tx, id, by, DevianceEvent{Form: form, Substance: substance}, now)
}

// Reply queues an agent's email to the customer. The caller has shown the
// agent the reply check's warnings (CheckReply).
func (s *Store) Reply(ctx context.Context, tx *sqlx.Tx, id int64, subject, body string, by Actor, now time.Time) (int64, error) {
	subject, body = strings.TrimSpace(subject), clean(body)
	switch {
	case body == "":
		return 0, invalid.Field("body", "write the reply")
	case utf8.RuneCountInString(body) > MaxReply:
		return 0, invalid.Field("body", fmt.Sprintf("keep the reply under %d characters", MaxReply))
	case strings.ContainsAny(subject, "\r\n") || utf8.RuneCountInString(subject) > MaxSubject:
		return 0, invalid.Field("subject", fmt.Sprintf("the subject is one line of at most %d characters", MaxSubject))
	}
	c, err := lock(ctx, tx, id)
	if err != nil {
		return 0, err
	}
	if err := mayAct(c, by); err != nil {
		return 0, err
	}
	if err := acted(ctx, tx, c, by, now); err != nil {
		return 0, err
	}
	mid, err := queueMessage(ctx, tx, id, MessageReply, by, subject, body, now, now)
	if err != nil {
		return 0, err
	}
	return mid, audit(ctx, tx, id, by, ReplyEvent{MessageID: mid, Subject: subject, Body: body}, now)
}

// clean trims what an agent typed and gives it plain line breaks (forms
// send CRLF).
func clean(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }
