package complaints

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/businesshours"
	"github.com/followup/followup/internal/prepared"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

// States of a complaint.
const (
	StateOpen       = "open"
	StateInProgress = "in_progress"
	StateResolved   = "resolved"
)

// States lists the complaint states.
var States = []string{StateOpen, StateInProgress, StateResolved}

// ErrNotFound is a complaint that does not exist.
var ErrNotFound = errors.New("complaint not found")

// Complaint is a negative reply the CX team must act on, as the queue shows it.
type Complaint struct {
	ID            int64           `db:"id" json:"id"`
	ResponseID    int64           `db:"response_id" json:"response_id"`
	CustomerID    int64           `db:"customer_id" json:"customer_id"`
	CustomerName  string          `db:"customer_name" json:"customer_name"`
	CustomerEmail string          `db:"customer_email" json:"customer_email"`
	State         string          `db:"state" json:"state"`
	Priority      Priority        `db:"priority" json:"-"`
	Severity      Severity        `db:"severity" json:"severity"`
	OpenedAt      time.Time       `db:"opened_at" json:"opened_at"`
	DueAt         time.Time       `db:"due_at" json:"due_at"`
	Overdue       bool            `db:"overdue" json:"overdue"`
	Reasons       json.RawMessage `db:"reasons" json:"reasons"`
	Escalations   pq.StringArray  `db:"escalations" json:"escalations"`
	Risks         pq.StringArray  `db:"risks" json:"risks"`
	Comment       string          `db:"comment" json:"comment"`
	Distributive  *float64        `db:"score_distributive" json:"score_distributive"`
	Procedural    *float64        `db:"score_procedural" json:"score_procedural"`
	Interactional *float64        `db:"score_interactional" json:"score_interactional"`
	Overall       *float64        `db:"score_overall" json:"score_overall"`
	// Work on the complaint.
	OwnerID                  *int64         `db:"owner_id" json:"owner_id"`
	OwnerName                string         `db:"owner_name" json:"owner_name"`
	Team                     string         `db:"team" json:"team"`
	FirstActionAt            *time.Time     `db:"first_action_at" json:"first_action_at"`
	AcknowledgedAt           *time.Time     `db:"acknowledged_at" json:"acknowledged_at"`
	PromisedDueAt            *time.Time     `db:"promised_due_at" json:"promised_due_at"`
	ResolvedAt               *time.Time     `db:"resolved_at" json:"resolved_at"`
	Resolution               string         `db:"resolution" json:"resolution"`
	CompensationGrantedCents int64          `db:"compensation_granted_cents" json:"compensation_granted_cents"`
	ReopenedCount            int            `db:"reopened_count" json:"reopened_count"`
	DoubleDeviation          bool           `db:"double_deviation" json:"double_deviation"`
	DoubleDeviationReason    string         `db:"double_deviation_reason" json:"double_deviation_reason,omitempty"`
	DeadlineWarnedAt         *time.Time     `db:"deadline_warned_at" json:"deadline_warned_at"`
	DeadlineBreachedAt       *time.Time     `db:"deadline_breached_at" json:"deadline_breached_at"`
	RecoveryOutcome          string         `db:"recovery_outcome" json:"recovery_outcome"`
	FormDeviance             pq.StringArray `db:"form_deviance" json:"form_deviance"`
	SubstanceDeviance        string         `db:"substance_deviance" json:"substance_deviance"`
	// The customer as the queue shows them: reference, annual value (in
	// their currency when known), segment as the data gives it.
	CustomerRef        string `db:"customer_ref" json:"customer_ref"`
	CustomerValueCents int64  `db:"customer_value_cents" json:"customer_annual_value_cents"`
	CustomerSegment    string `db:"customer_segment" json:"customer_segment"`
	CustomerCurrency   string `db:"customer_currency" json:"customer_currency,omitempty"`
	// LastActivityAt is the latest change to the complaint or email about
	// it (its opening when nothing happened since).
	LastActivityAt time.Time `db:"last_activity_at" json:"last_activity_at"`
	// CustomerReplied: the customer's email is the conversation's last
	// word (no reply or resolution of ours since); it awaits an answer.
	CustomerReplied bool `db:"customer_replied" json:"customer_replied"`
}

// MarshalJSON shows the priority as "P1".."P4".
func (c Complaint) MarshalJSON() ([]byte, error) {
	type plain Complaint
	return json.Marshal(struct {
		plain
		Priority string `json:"priority"`
	}{plain(c), c.Priority.String()})
}

// Store reads and writes complaints.
type Store struct {
	db     *sqlx.DB
	policy Policy
	stmts  *prepared.Cache
	// invitations plans and withdraws recovery surveys: the scheduler
	// package owns invitations and their send queue.
	invitations *scheduler.Store
	// governance is the compensation policy (SetGovernance).
	governance Governance
	// teams are the teams' own calendars (SetTeamCalendars), nil for none.
	teams TeamCalendars
}

// SetTeamCalendars gives the store the teams' own calendars: a complaint's
// deadlines, warnings and the promise to its customer count the business
// hours of its team's calendar, else of the policy's Calendar.
func (s *Store) SetTeamCalendars(t TeamCalendars) { s.teams = t }

// teamCalendars returns the teams' own calendars, none without a source.
func (s *Store) teamCalendars(ctx context.Context) (map[string]*businesshours.Calendar, error) {
	if s.teams == nil {
		return nil, nil
	}
	cals, err := s.teams.TeamCalendars(ctx)
	if err != nil {
		return nil, fmt.Errorf("team calendars: %w", err)
	}
	return cals, nil
}

// policyOf returns the policy for the complaint id's team, read inside tx.
func (s *Store) policyOf(ctx context.Context, tx *sqlx.Tx, id int64) (Policy, error) {
	cals, err := s.teamCalendars(ctx)
	if err != nil || len(cals) == 0 {
		return s.policy, err
	}
	var team string
	if err := tx.GetContext(ctx, &team, `SELECT team FROM complaints WHERE id = $1`, id); err != nil {
		return s.policy, fmt.Errorf("team of complaint %d: %w", id, err)
	}
	return s.policy.ForTeam(cals, team), nil
}

// NewStore returns a Store applying policy.
func NewStore(db *sqlx.DB, policy Policy) *Store {
	return &Store{db: db, policy: policy, stmts: prepared.New(db), invitations: scheduler.NewStore(db)}
}

// Policy returns the policy the store assesses complaints with.
func (s *Store) Policy() Policy { return s.policy }

// Opened is the outcome of Open.
type Opened struct {
	ID       int64
	Priority Priority
	DueAt    time.Time
	// Created is false when the response already had its complaint.
	Created    bool
	Assessment Assessment
}

const openComplaintsSQL = `WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(response_id bigint, customer_id bigint, priority smallint,
        severity text, due_at timestamptz, reasons jsonb, priority_reasons jsonb, advice jsonb, risks text[],
        escalations text[], form_deviance text[], audit jsonb)
), c AS (
    INSERT INTO complaints (response_id, customer_id, priority, severity, opened_at, due_at, reasons, priority_reasons,
        advice, risks, escalations, form_deviance, team)
    SELECT DISTINCT ON (response_id) response_id, customer_id, priority, severity, $2, due_at, coalesce(reasons, '[]'),
        coalesce(priority_reasons, '[]'), advice, coalesce(risks, '{}'), coalesce(escalations, '{}'), coalesce(form_deviance, '{}'),
        -- the team that served the customer answers for the complaint
        coalesce((SELECT e.team FROM responses r JOIN invitations i ON i.id = r.invitation_id
            JOIN service_events e ON e.id = i.event_id WHERE r.id = input.response_id), '')
    FROM input ORDER BY response_id
    ON CONFLICT (response_id) DO NOTHING
    RETURNING id, response_id
), audit AS (
    INSERT INTO complaint_events (complaint_id, kind, actor, data, created_at)
    SELECT c.id, 'opened', 'system', (SELECT i.audit FROM input i WHERE i.response_id = c.response_id LIMIT 1), $2 FROM c
)
SELECT response_id, id FROM c`

// ToOpen is a negative reply whose complaint to open.
type ToOpen struct {
	Response surveys.Response
	Result   surveys.Result
	// Facts, when the caller has them, spare reading them again.
	Facts *Facts
}

// Open opens the complaint of one negative response inside tx; see OpenMany.
func (s *Store) Open(ctx context.Context, tx *sqlx.Tx, resp surveys.Response, res surveys.Result, now time.Time) (Opened, error) {
	out, err := s.OpenMany(ctx, tx, []ToOpen{{Response: resp, Result: res}}, now)
	if err != nil {
		return Opened{}, err
	}
	return out[0], nil
}

// OpenMany opens the complaints of negative responses inside tx, each
// assessed by the store's policy with the customer's value and the event's
// prejudice, in one statement with their audit entries. The unique response
// id makes it exactly once: a response that already has its complaint, even
// one opened concurrently, gets it back with Created false. Results are in
// the order of items.
func (s *Store) OpenMany(ctx context.Context, tx *sqlx.Tx, items []ToOpen, now time.Time) ([]Opened, error) {
	var ids pq.Int64Array
	facts := map[int64]Facts{}
	for _, it := range items {
		if it.Facts != nil {
			facts[it.Response.ID] = *it.Facts
		} else {
			ids = append(ids, it.Response.ID)
		}
	}
	if err := s.loadFacts(ctx, tx, ids, facts); err != nil {
		return nil, err
	}
	cals, err := s.teamCalendars(ctx)
	if err != nil {
		return nil, err
	}
	type row struct {
		ResponseID  int64                `json:"response_id"`
		CustomerID  int64                `json:"customer_id"`
		Priority    Priority             `json:"priority"`
		Severity    Severity             `json:"severity"`
		DueAt       time.Time            `json:"due_at"`
		Reasons     []surveys.Reason     `json:"reasons"`
		Why         []Explanation        `json:"priority_reasons"`
		Advice      Advice               `json:"advice"`
		Risks       []surveys.Risk       `json:"risks"`
		Escalations []surveys.SignalKind `json:"escalations"`
		Form        []string             `json:"form_deviance"`
		Audit       OpenedEvent          `json:"audit"`
	}
	batch := make([]row, len(items))
	out := make([]Opened, len(items))
	for i, it := range items {
		f, ok := facts[it.Response.ID]
		if !ok {
			return nil, fmt.Errorf("open complaint for response %d: %w", it.Response.ID, surveys.ErrNotFound)
		}
		a := s.policy.ForTeam(cals, f.Team).Assess(it.Result, f, now)
		out[i] = Opened{Priority: a.Priority, DueAt: a.DueAt, Assessment: a}
		batch[i] = row{ResponseID: it.Response.ID, CustomerID: it.Response.CustomerID, Priority: a.Priority, Severity: a.Severity,
			DueAt: a.DueAt, Reasons: it.Result.Reasons, Why: a.Why, Advice: a.Advice, Risks: it.Result.Risks, Escalations: a.Escalations,
			Form: formDeviance(it.Result.Signals),
			// The reasons stay on the complaint row, which never changes
			// them: the audit entry says what was decided.
			Audit: OpenedEvent{Priority: a.Priority.String(), Severity: a.Severity, DueAt: a.DueAt,
				Escalations: a.Escalations}}
	}
	raw, err := json.Marshal(batch)
	if err != nil {
		return nil, fmt.Errorf("encode %d complaints: %w", len(items), err)
	}
	created := map[int64]int64{}
	st, err := s.stmts.In(ctx, tx, openComplaintsSQL)
	if err != nil {
		return nil, fmt.Errorf("open %d complaints: %w", len(items), err)
	}
	rows, err := st.QueryxContext(ctx, string(raw), now)
	if err != nil {
		return nil, fmt.Errorf("open %d complaints: %w", len(items), err)
	}
	for rows.Next() {
		var resp, id int64
		if err := rows.Scan(&resp, &id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("open %d complaints: %w", len(items), err)
		}
		created[resp] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("open %d complaints: %w", len(items), err)
	}
	seen := map[int64]bool{}
	for i, it := range items {
		if id, ok := created[it.Response.ID]; ok && !seen[it.Response.ID] {
			seen[it.Response.ID] = true
			out[i].ID, out[i].Created = id, true
			continue
		}
		o := &out[i]
		*o = Opened{}
		// Opened earlier, or concurrently: a new statement sees it.
		err := tx.QueryRowxContext(ctx, `SELECT id, priority, due_at FROM complaints WHERE response_id = $1`, it.Response.ID).Scan(&o.ID, &o.Priority, &o.DueAt)
		if err != nil {
			return nil, fmt.Errorf("existing complaint of response %d: %w", it.Response.ID, err)
		}
	}
	return out, nil
}

// formDeviance is the form deviance a comment shows (threats, incivility).
func formDeviance(signals []surveys.Signal) []string {
	var out []string
	for _, sg := range signals {
		if sg.Kind.FormDeviance() && !slices.Contains(out, string(sg.Kind)) {
			out = append(out, string(sg.Kind))
		}
	}
	return out
}

// loadFacts reads the facts of responses ids into facts.
func (s *Store) loadFacts(ctx context.Context, tx *sqlx.Tx, ids pq.Int64Array, facts map[int64]Facts) error {
	if len(ids) == 0 {
		return nil
	}
	st, err := s.stmts.In(ctx, tx, `SELECT r.id, cu.annual_value_cents, e.prejudice_cents, COALESCE(e.team, '')
		FROM responses r
		JOIN customers cu ON cu.id = r.customer_id
		JOIN invitations i ON i.id = r.invitation_id
		LEFT JOIN service_events e ON e.id = i.event_id
		WHERE r.id = ANY ($1)`)
	if err != nil {
		return fmt.Errorf("facts of %d responses: %w", len(ids), err)
	}
	rows, err := st.QueryxContext(ctx, ids)
	if err != nil {
		return fmt.Errorf("facts of %d responses: %w", len(ids), err)
	}
	for rows.Next() {
		var id int64
		var f Facts
		if err := rows.Scan(&id, &f.AnnualValueCents, &f.PrejudiceCents, &f.Team); err != nil {
			rows.Close()
			return fmt.Errorf("facts of %d responses: %w", len(ids), err)
		}
		facts[id] = f
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("facts of %d responses: %w", len(ids), err)
	}
	return nil
}

const selectComplaints = `SELECT c.id, c.response_id, c.customer_id, cu.name AS customer_name, cu.email AS customer_email,
	c.state, c.priority, c.severity, c.opened_at, c.due_at, (c.state <> 'resolved' AND c.due_at < $1) AS overdue,
	c.reasons, c.escalations, c.risks, r.comment,
	r.score_distributive, r.score_procedural, r.score_interactional, r.score_overall,
	c.owner_id, COALESCE(NULLIF(o.name, ''), o.email, '') AS owner_name, c.team, c.first_action_at, c.acknowledged_at,
	c.promised_due_at, c.resolved_at, c.resolution, c.compensation_granted_cents, c.reopened_count, c.double_deviation,
	c.double_deviation_reason, c.deadline_warned_at, c.deadline_breached_at, c.recovery_outcome, c.form_deviance, c.substance_deviance,
	cu.external_ref AS customer_ref, cu.annual_value_cents AS customer_value_cents, cu.segment AS customer_segment,
	COALESCE(cu.currency, '') AS customer_currency, ` + lastActivitySQL + ` AS last_activity_at,
	` + customerRepliedSQL + ` AS customer_replied
FROM complaints c
JOIN customers cu ON cu.id = c.customer_id
JOIN responses r ON r.id = c.response_id
LEFT JOIN users o ON o.id = c.owner_id`

// lastActivitySQL is when complaint c last changed: its newest trail entry
// or email, else its opening.
const lastActivitySQL = `GREATEST(c.opened_at,
	(SELECT e.created_at FROM complaint_events e WHERE e.complaint_id = c.id ORDER BY e.id DESC LIMIT 1),
	(SELECT m.created_at FROM complaint_messages m WHERE m.complaint_id = c.id ORDER BY m.id DESC LIMIT 1))`

// customerRepliedSQL is true when complaint c's conversation ends with the
// customer's email: of the customer's emails and our replies and
// resolutions (acknowledgements and auto-replies aside), the newest is
// theirs.
const customerRepliedSQL = `COALESCE((SELECT m.kind = 'customer_reply' FROM complaint_messages m
	WHERE m.complaint_id = c.id AND m.kind IN ('reply', 'resolution', 'customer_reply') ORDER BY m.id DESC LIMIT 1), false)`

// Get returns one complaint as the queue shows it.
func (s *Store) Get(ctx context.Context, id int64, now time.Time) (Complaint, error) {
	var c Complaint
	err := s.db.GetContext(ctx, &c, selectComplaints+` WHERE c.id = $2`, now, id)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("complaint %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return c, fmt.Errorf("get complaint %d: %w", id, err)
	}
	return c, nil
}

// CustomerLocale returns the language ("en" or "fr") of a complaint's
// customer, the one replies must be written in.
func (s *Store) CustomerLocale(ctx context.Context, id int64) (string, error) {
	var locale string
	err := s.db.GetContext(ctx, &locale, `SELECT cu.locale FROM complaints c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("complaint %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("locale of complaint %d's customer: %w", id, err)
	}
	return locale, nil
}

// OwnerOf returns the id of a complaint's owner, 0 when it has none.
func (s *Store) OwnerOf(ctx context.Context, id int64) (int64, error) {
	var owner sql.NullInt64
	err := s.db.GetContext(ctx, &owner, `SELECT owner_id FROM complaints WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("complaint %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("owner of complaint %d: %w", id, err)
	}
	return owner.Int64, nil
}
