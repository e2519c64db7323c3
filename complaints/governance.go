package complaints

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/invalid"
)

// Compensation governance: an amount carries a currency; a grant above the
// advice's range or above the limit of the person's role waits for a
// manager's approval, and is never silently recorded. Only the owner of a
// complaint, or a manager, acts on it (notes excepted).

// Governance is the compensation policy: the currency and the limit per
// complaint of each role.
type Governance struct {
	// Currency is the ISO 4217 code used when the customer's is not known.
	Currency string
	// Limits is the most a person of each role grants on one complaint
	// (all grants together) without a manager's approval, in cents.
	Limits map[string]int64
}

// DefaultGovernance: euros; agents up to 150, managers and admins up to
// 1,000 on one complaint.
func DefaultGovernance() Governance {
	return Governance{Currency: "EUR", Limits: map[string]int64{"cx": 15000, "manager": 100000, "admin": 100000}}
}

// ManagerRoles may approve compensation and act on any complaint.
var ManagerRoles = []string{"manager", "admin"}

func isManager(a Actor) bool { return a.Role == "manager" || a.Role == "admin" }

// NotAllowedError is an action the person may not take (someone else's
// complaint, an approval by an agent): 403, with why.
type NotAllowedError struct{ Message string }

func (e *NotAllowedError) Error() string { return e.Message }

// mayAct refuses an action on a complaint someone else owns, unless by is
// a manager or followup itself. An unowned complaint is anyone's to take.
func mayAct(c current, by Actor) error {
	if by.ID == 0 || isManager(by) || c.OwnerID == nil || *c.OwnerID == by.ID {
		return nil
	}
	return &NotAllowedError{fmt.Sprintf("%s owns this complaint: only they or a manager can act on it; add a note, or ask a manager to reassign it", c.OwnerLabel)}
}

var currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)

// ValidCurrency reports whether code is an ISO 4217-shaped code (EUR, CAD).
func ValidCurrency(code string) bool { return currencyRE.MatchString(code) }

// Grant states.
const (
	GrantGranted  = "granted"  // within policy, recorded at once
	GrantPending  = "pending"  // waits for a manager
	GrantApproved = "approved" // a manager approved it
	GrantRefused  = "refused"  // a manager refused it
)

// Reasons a grant needs approval.
const (
	ApprovalAboveAdvice = "above_advice"
	ApprovalAboveLimit  = "above_limit"
)

// Decision is whether a grant is recorded at once or waits, and why.
type Decision struct {
	NeedsApproval bool
	// Reasons are ApprovalAboveAdvice and ApprovalAboveLimit, as they apply.
	Reasons []string
	// Why says it in a sentence for the agent and the manager.
	Why string
}

// Decide says whether by may grant cents more on a complaint advised adv,
// where committedCents are already granted or waiting. A manager grants
// within their own limit even above the advice (they are the approver); an
// agent needs approval above the advice's range or their limit.
func (g Governance) Decide(role string, adv Advice, committedCents, cents int64, currency string) Decision {
	total := committedCents + cents
	var d Decision
	var why []string
	limit := g.Limits[role]
	if total > limit {
		d.Reasons = append(d.Reasons, ApprovalAboveLimit)
		why = append(why, fmt.Sprintf("%s in all is above the %s limit of %s per complaint", Money(total, currency), role, Money(limit, currency)))
	}
	if total > adv.MaxCents && role != "manager" && role != "admin" {
		d.Reasons = append(d.Reasons, ApprovalAboveAdvice)
		if adv.MaxCents == 0 {
			why = append(why, "the advice is an apology, without compensation")
		} else {
			why = append(why, fmt.Sprintf("%s in all is above the advised range %s–%s", Money(total, currency), Money(adv.MinCents, currency), Money(adv.MaxCents, currency)))
		}
	}
	if len(d.Reasons) > 0 {
		d.NeedsApproval = true
		d.Why = strings.Join(why, "; ") + ": a manager must approve it"
	}
	return d
}

// Money writes cents in a currency: "150.00 EUR".
func Money(cents int64, currency string) string {
	return strings.TrimSpace(money(cents) + " " + currency)
}

// Grant is one compensation asked for a complaint.
type Grant struct {
	ID             int64          `db:"id" json:"id"`
	ComplaintID    int64          `db:"complaint_id" json:"complaint_id"`
	Cents          int64          `db:"cents" json:"cents"`
	Currency       string         `db:"currency" json:"currency"`
	Note           string         `db:"note" json:"note"`
	State          string         `db:"state" json:"state"`
	Reasons        pq.StringArray `db:"reasons" json:"reasons"`
	RequestedBy    string         `db:"requested_by" json:"requested_by"`
	RequestedByID  *int64         `db:"requested_by_id" json:"-"`
	RequestedAt    time.Time      `db:"requested_at" json:"requested_at"`
	DecidedBy      string         `db:"decided_by" json:"decided_by,omitempty"`
	DecidedAt      *time.Time     `db:"decided_at" json:"decided_at,omitempty"`
	DecisionReason string         `db:"decision_reason" json:"decision_reason,omitempty"`
	// For the managers' queue.
	CustomerName  string `db:"customer_name" json:"customer_name"`
	Team          string `db:"team" json:"team"`
	AdviceMin     int64  `db:"advice_min" json:"advice_min_cents"`
	AdviceMax     int64  `db:"advice_max" json:"advice_max_cents"`
	GrantedBefore int64  `db:"granted_before" json:"granted_before_cents"`
}

// Granted is the outcome of Compensate.
type Granted struct {
	GrantID  int64
	Pending  bool
	Why      string
	Currency string
	// TotalCents granted on the complaint so far (pending ones excluded).
	TotalCents int64
}

// SetGovernance sets the compensation policy (DefaultGovernance otherwise).
func (s *Store) SetGovernance(g Governance) { s.governance = g }

// Governance returns the compensation policy.
func (s *Store) Governance() Governance {
	if s.governance.Limits == nil {
		return DefaultGovernance()
	}
	return s.governance
}

// grantContext is what deciding a grant needs, read under the complaint's lock.
type grantContext struct {
	Advice    Advice
	Currency  string
	Committed int64
}

func (s *Store) grantContext(ctx context.Context, tx *sqlx.Tx, id int64) (grantContext, error) {
	var row struct {
		Advice    []byte         `db:"advice"`
		Currency  sql.NullString `db:"currency"`
		Committed int64          `db:"committed"`
	}
	if err := tx.GetContext(ctx, &row, `SELECT c.advice, cu.currency,
		c.compensation_granted_cents + COALESCE((SELECT sum(cents) FROM compensation_grants g WHERE g.complaint_id = c.id AND g.state = 'pending'), 0) AS committed
		FROM complaints c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`, id); err != nil {
		return grantContext{}, fmt.Errorf("read compensation context of complaint %d: %w", id, err)
	}
	gc := grantContext{Currency: s.Governance().Currency, Committed: row.Committed}
	if row.Currency.Valid && row.Currency.String != "" {
		gc.Currency = row.Currency.String
	}
	if len(row.Advice) > 0 {
		_ = unmarshal(row.Advice, &gc.Advice) // an advice that cannot be read is an apology: approval needed
	}
	return gc, nil
}

// Compensate asks to grant cents to the customer (in addition to what was
// granted before). Within the advice's range and the person's limit it is
// recorded at once; otherwise it waits for a manager's approval (Pending,
// with why). currency may be empty (the customer's); another one than the
// customer's is refused.
func (s *Store) Compensate(ctx context.Context, tx *sqlx.Tx, id int64, cents int64, currency, note string, by Actor, now time.Time) (Granted, error) {
	note = strings.TrimSpace(note)
	currency = strings.ToUpper(strings.TrimSpace(currency))
	switch {
	case cents <= 0:
		return Granted{}, invalid.Field("amount", "enter the amount granted, more than zero")
	case cents > MaxCentsAct:
		return Granted{}, invalid.Field("amount", "this amount is implausibly large; check it")
	case utf8.RuneCountInString(note) > 500:
		return Granted{}, invalid.Field("note", "keep the description under 500 characters")
	case currency != "" && !ValidCurrency(currency):
		return Granted{}, invalid.Field("currency", "a currency is a three-letter code such as EUR or CAD")
	}
	c, err := lock(ctx, tx, id)
	if err != nil {
		return Granted{}, err
	}
	if err := mayAct(c, by); err != nil {
		return Granted{}, err
	}
	gc, err := s.grantContext(ctx, tx, id)
	if err != nil {
		return Granted{}, err
	}
	if currency != "" && currency != gc.Currency {
		return Granted{}, invalid.Field("currency", fmt.Sprintf("this customer's compensation is in %s", gc.Currency))
	}
	if err := acted(ctx, tx, c, by, now); err != nil {
		return Granted{}, err
	}
	d := s.Governance().Decide(by.Role, gc.Advice, gc.Committed, cents, gc.Currency)
	if by.ID == 0 {
		d = Decision{} // followup itself grants nothing on its own; kept for completeness
	}
	out := Granted{Pending: d.NeedsApproval, Why: d.Why, Currency: gc.Currency}
	state := GrantGranted
	if d.NeedsApproval {
		state = GrantPending
	}
	reasons := d.Reasons
	if reasons == nil {
		reasons = []string{}
	}
	if err := tx.GetContext(ctx, &out.GrantID, `INSERT INTO compensation_grants (complaint_id, cents, currency, note, state, reasons, requested_by, requested_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, id, cents, gc.Currency, note, state, pq.StringArray(reasons), by.idOrNil(), now); err != nil {
		return Granted{}, fmt.Errorf("record compensation on complaint %d: %w", id, err)
	}
	if d.NeedsApproval {
		if err := tx.GetContext(ctx, &out.TotalCents, `SELECT compensation_granted_cents FROM complaints WHERE id = $1`, id); err != nil {
			return Granted{}, fmt.Errorf("read compensation of complaint %d: %w", id, err)
		}
		return out, audit(ctx, tx, id, by, CompensationRequestedEvent{GrantID: out.GrantID, Cents: cents, Currency: gc.Currency,
			Note: note, Reasons: reasons, Why: d.Why}, now)
	}
	if out.TotalCents, err = addGranted(ctx, tx, id, cents); err != nil {
		return Granted{}, err
	}
	return out, audit(ctx, tx, id, by, CompensationEvent{Cents: cents, Currency: gc.Currency, Note: note, TotalCents: out.TotalCents}, now)
}

func addGranted(ctx context.Context, tx *sqlx.Tx, id, cents int64) (total int64, err error) {
	if err := tx.GetContext(ctx, &total, `UPDATE complaints SET compensation_granted_cents = compensation_granted_cents + $2
		WHERE id = $1 RETURNING compensation_granted_cents`, id, cents); err != nil {
		return 0, fmt.Errorf("compensate complaint %d: %w", id, err)
	}
	return total, nil
}

// ErrGrantNotFound is a compensation request that does not exist.
var ErrGrantNotFound = errors.New("compensation request not found")

// Decided is the outcome of a manager's decision.
type Decided struct {
	ComplaintID int64
	// MessageID is the email telling the customer of an approved grant.
	MessageID int64
	// GrantID, Approved, Cents, Currency and Reason are the decision, told
	// to the person who asked (RequestedBy; nil when they are gone);
	// CustomerName is whom it was for.
	GrantID      int64
	Approved     bool
	Cents        int64
	Currency     string
	Reason       string
	RequestedBy  *int64
	CustomerName string
}

// DecideGrant approves or refuses a pending grant, with a reason. Only a
// manager decides, and not on their own request. An approved grant is added
// to the complaint and the customer is told by email (in their language);
// the agent reads the decision and its reason on the complaint's trail.
func (s *Store) DecideGrant(ctx context.Context, tx *sqlx.Tx, grantID int64, approve bool, reason string, by Actor, now time.Time) (Decided, error) {
	reason = clean(reason)
	if !isManager(by) {
		return Decided{}, &NotAllowedError{"only a manager approves or refuses compensation"}
	}
	if reason == "" {
		return Decided{}, invalid.Field("reason", "say why: the agent reads it")
	}
	if utf8.RuneCountInString(reason) > MaxNote {
		return Decided{}, invalid.Field("reason", fmt.Sprintf("keep the reason under %d characters", MaxNote))
	}
	var g struct {
		ComplaintID int64  `db:"complaint_id"`
		Cents       int64  `db:"cents"`
		Currency    string `db:"currency"`
		Note        string `db:"note"`
		State       string `db:"state"`
		RequestedBy *int64 `db:"requested_by"`
	}
	err := tx.GetContext(ctx, &g, `SELECT complaint_id, cents, currency, note, state, requested_by FROM compensation_grants WHERE id = $1`, grantID)
	if errors.Is(err, sql.ErrNoRows) {
		return Decided{}, fmt.Errorf("grant %d: %w", grantID, ErrGrantNotFound)
	}
	if err != nil {
		return Decided{}, fmt.Errorf("read compensation request %d: %w", grantID, err)
	}
	c, err := lock(ctx, tx, g.ComplaintID)
	if err != nil {
		return Decided{}, err
	}
	// Re-read under the complaint's lock: two managers deciding at once.
	if err := tx.GetContext(ctx, &g.State, `SELECT state FROM compensation_grants WHERE id = $1`, grantID); err != nil {
		return Decided{}, fmt.Errorf("read compensation request %d: %w", grantID, err)
	}
	switch {
	case g.State != GrantPending:
		return Decided{}, &ConflictError{fmt.Sprintf("this request was already %s", g.State)}
	case g.RequestedBy != nil && *g.RequestedBy == by.ID:
		return Decided{}, &NotAllowedError{"you asked for this compensation: another manager decides on it"}
	}
	state := GrantRefused
	if approve {
		state = GrantApproved
	}
	if _, err := tx.ExecContext(ctx, `UPDATE compensation_grants SET state = $2, decided_by = $3, decided_at = $4, decision_reason = $5 WHERE id = $1`,
		grantID, state, by.idOrNil(), now, reason); err != nil {
		return Decided{}, fmt.Errorf("decide compensation request %d: %w", grantID, err)
	}
	out := Decided{ComplaintID: c.ID, GrantID: grantID, Approved: approve, Cents: g.Cents, Currency: g.Currency, Reason: reason,
		RequestedBy: g.RequestedBy}
	if err := tx.GetContext(ctx, &out.CustomerName, `SELECT cu.name FROM complaints c JOIN customers cu ON cu.id = c.customer_id
		WHERE c.id = $1`, c.ID); err != nil {
		return Decided{}, fmt.Errorf("read the customer of complaint %d: %w", c.ID, err)
	}
	if !approve {
		return out, audit(ctx, tx, c.ID, by, CompensationRefusedEvent{GrantID: grantID, Cents: g.Cents, Currency: g.Currency, Reason: reason}, now)
	}
	total, err := addGranted(ctx, tx, c.ID, g.Cents)
	if err != nil {
		return Decided{}, err
	}
	var locale string
	if err := tx.GetContext(ctx, &locale, `SELECT cu.locale FROM complaints c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`, c.ID); err != nil {
		return Decided{}, fmt.Errorf("read the customer's language for complaint %d: %w", c.ID, err)
	}
	subject, body := compensationEmail(locale, g.Cents, g.Currency, g.Note)
	if out.MessageID, err = queueMessage(ctx, tx, c.ID, MessageReply, by, subject, body, now, now); err != nil {
		return Decided{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE compensation_grants SET message_id = $2 WHERE id = $1`, grantID, out.MessageID); err != nil {
		return Decided{}, fmt.Errorf("link compensation request %d to its email: %w", grantID, err)
	}
	return out, audit(ctx, tx, c.ID, by, CompensationApprovedEvent{GrantID: grantID, Cents: g.Cents, Currency: g.Currency,
		Reason: reason, TotalCents: total, MessageID: out.MessageID}, now)
}

// compensationEmail tells the customer what they are granted, in their
// language.
func compensationEmail(locale string, cents int64, currency, note string) (subject, body string) {
	amount := Money(cents, currency)
	if locale == "fr" {
		amount = strings.NewReplacer(",", "\u00a0", ".", ",").Replace(amount)
		body = fmt.Sprintf("Nous vous accordons un dédommagement de %s.", amount)
		if note != "" {
			body += "\n\n" + note
		}
		return "Votre dédommagement", body
	}
	body = fmt.Sprintf("We are granting you compensation of %s.", amount)
	if note != "" {
		body += "\n\n" + note
	}
	return "Your compensation", body
}

const grantsSelect = `SELECT g.id, g.complaint_id, g.cents, g.currency, g.note, g.state, g.reasons,
	COALESCE(NULLIF(r.name, ''), r.email, 'system') AS requested_by, g.requested_by AS requested_by_id, g.requested_at,
	COALESCE(NULLIF(d.name, ''), d.email, '') AS decided_by, g.decided_at, g.decision_reason,
	cu.name AS customer_name, c.team, COALESCE((c.advice->>'min_cents')::bigint, 0) AS advice_min,
	COALESCE((c.advice->>'max_cents')::bigint, 0) AS advice_max, c.compensation_granted_cents AS granted_before
	FROM compensation_grants g
	JOIN complaints c ON c.id = g.complaint_id
	JOIN customers cu ON cu.id = c.customer_id
	LEFT JOIN users r ON r.id = g.requested_by
	LEFT JOIN users d ON d.id = g.decided_by`

func (s *Store) grants(ctx context.Context, where string, args ...any) ([]Grant, error) {
	var out []Grant
	if err := s.db.SelectContext(ctx, &out, grantsSelect+" "+where, args...); err != nil {
		return nil, fmt.Errorf("list compensation requests: %w", err)
	}
	return out, nil
}

// PendingGrants is the managers' approval queue, oldest first.
func (s *Store) PendingGrants(ctx context.Context) ([]Grant, error) {
	return s.grants(ctx, `WHERE g.state = 'pending' ORDER BY g.requested_at, g.id`)
}

// Grants lists a complaint's compensation requests, newest first.
func (s *Store) Grants(ctx context.Context, complaintID int64) ([]Grant, error) {
	return s.grants(ctx, `WHERE g.complaint_id = $1 ORDER BY g.requested_at DESC, g.id DESC`, complaintID)
}

// CurrencyOf is the currency of a complaint's compensation: its customer's
// when known, else the configured one.
func (s *Store) CurrencyOf(ctx context.Context, complaintID int64) (string, error) {
	var cur sql.NullString
	if err := s.db.GetContext(ctx, &cur, `SELECT cu.currency FROM complaints c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`, complaintID); err != nil {
		return "", fmt.Errorf("read the currency of complaint %d: %w", complaintID, err)
	}
	if cur.Valid && cur.String != "" {
		return cur.String, nil
	}
	return s.Governance().Currency, nil
}
