package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/invalid"
	"github.com/followup/followup/surveys"
)

// Action plan kinds, causes and states.
const (
	Corrective = "corrective"
	Preventive = "preventive"

	CauseRisk       = "risk"
	CauseTouchpoint = "touchpoint"
	CauseTeam       = "team"

	ActionPlanned    = "planned"
	ActionInProgress = "in_progress"
	ActionDone       = "done"
	ActionCancelled  = "cancelled"
)

// ActionStates lists the states of an action plan, in their usual order.
var ActionStates = []string{ActionPlanned, ActionInProgress, ActionDone, ActionCancelled}

// CauseKinds lists what an action plan can address.
var CauseKinds = []string{CauseRisk, CauseTouchpoint, CauseTeam}

// Cause is what an action plan addresses: a risk of dissatisfaction, a
// touchpoint or a team (as service events name them).
type Cause struct {
	Kind  string `json:"kind" db:"cause_kind"`
	Value string `json:"value" db:"cause_value"`
}

// ActionPlan is a corrective or preventive action, shared across
// departments, with one owner and a due date.
type ActionPlan struct {
	ID          int64  `json:"id" db:"id"`
	Title       string `json:"title" db:"title"`
	Description string `json:"description" db:"description"`
	Kind        string `json:"kind" db:"kind"`
	Cause       Cause  `json:"cause"`
	OwnerID     int64  `json:"owner_id" db:"owner_id"`
	Owner       string `json:"owner" db:"owner"`
	// StartsOn is when the action takes effect: effectiveness compares
	// the replies before and after it. DueOn is its deadline.
	StartsOn  string     `json:"starts_on" db:"starts_on"`
	DueOn     string     `json:"due_on" db:"due_on"`
	State     string     `json:"state" db:"state"`
	DoneAt    *time.Time `json:"done_at,omitempty" db:"done_at"`
	CreatedBy *int64     `json:"created_by,omitempty" db:"created_by"`
	CreatedAt time.Time  `json:"created_at" db:"created_at"`
	UpdatedAt time.Time  `json:"updated_at" db:"updated_at"`
	// Overdue is true when the due date has passed and the action is
	// neither done nor cancelled.
	Overdue bool `json:"overdue" db:"-"`
	// Effectiveness is filled when asked for.
	Effectiveness *Effectiveness `json:"effectiveness,omitempty" db:"-"`
	// Notes are its progress updates, the latest first; filled when one
	// plan is read.
	Notes []ActionNote `json:"notes,omitempty" db:"-"`
}

// Open reports whether the action is still to be done.
func (a ActionPlan) Open() bool { return a.State == ActionPlanned || a.State == ActionInProgress }

// ActionInput creates an action plan. StartsOn defaults to today; State to
// planned.
type ActionInput struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	Kind        string `json:"kind"`
	Cause       Cause  `json:"cause"`
	OwnerID     int64  `json:"owner_id"`
	StartsOn    string `json:"starts_on"`
	DueOn       string `json:"due_on"`
	State       string `json:"state"`
}

// ActionPatch changes some of an action plan's fields; nil leaves a field.
// Note, when not empty, is a progress note recorded with the change.
type ActionPatch struct {
	Title       *string `json:"title"`
	Description *string `json:"description"`
	State       *string `json:"state"`
	OwnerID     *int64  `json:"owner_id"`
	StartsOn    *string `json:"starts_on"`
	DueOn       *string `json:"due_on"`
	Note        *string `json:"note"`
}

// ActionFilter narrows a list of action plans; zero values match all.
type ActionFilter struct {
	State     string
	CauseKind string
	OwnerID   int64
	// Open keeps planned and in-progress actions only.
	Open bool
	// DueBefore keeps actions due before this date (YYYY-MM-DD).
	DueBefore string
}

const actionColumns = `a.id, a.title, a.description, a.kind, a.cause_kind, a.cause_value, a.owner_id,
       COALESCE(NULLIF(u.name, ''), u.email) AS owner, to_char(a.starts_on, 'YYYY-MM-DD') AS starts_on,
       to_char(a.due_on, 'YYYY-MM-DD') AS due_on, a.state, a.done_at, a.created_by, a.created_at, a.updated_at
FROM action_plans a JOIN users u ON u.id = a.owner_id`

func validTitle(t string) error {
	if strings.TrimSpace(t) == "" {
		return invalid.Field("title", "is required")
	}
	if utf8.RuneCountInString(t) > 200 || strings.ContainsAny(t, "\r\n") {
		return invalid.Field("title", "must be one line of at most 200 characters")
	}
	return nil
}

func validDate(field, v string) error {
	if _, err := time.Parse("2006-01-02", v); err != nil {
		return invalid.Field(field, "must be a date as YYYY-MM-DD")
	}
	return nil
}

// validate checks an action plan: nil, or invalid.Fields naming every
// field at fault, so the form and the API say all of them at once.
func (in *ActionInput) validate(today string) error {
	in.Title = strings.TrimSpace(in.Title)
	in.Cause.Value = strings.TrimSpace(in.Cause.Value)
	if in.StartsOn == "" {
		in.StartsOn = today
	}
	if in.State == "" {
		in.State = ActionPlanned
	}
	var fs invalid.Fields
	fs.AddError(validTitle(in.Title))
	if utf8.RuneCountInString(in.Description) > 5000 {
		fs.Add("description", "must be at most 5,000 characters")
	}
	if in.Kind != Corrective && in.Kind != Preventive {
		fs.Add("kind", "must be corrective or preventive")
	}
	if !slices.Contains(CauseKinds, in.Cause.Kind) {
		fs.Add("cause.kind", "must be risk, touchpoint or team")
	}
	switch {
	case in.Cause.Value == "" || utf8.RuneCountInString(in.Cause.Value) > 200:
		fs.Add("cause.value", "is required (at most 200 characters)")
	case in.Cause.Kind == CauseRisk && !surveys.IsRisk(surveys.Risk(in.Cause.Value)):
		fs.Add("cause.value", "must be one of the 13 risks (knowledge, attitude, relational, accompaniment, psychological, cognitive, financial, temporal, sensory, security, ethical, space, operational)")
	}
	if in.OwnerID <= 0 {
		fs.Add("owner_id", "is required: the id of the person who owns the action")
	}
	startOK, dueOK := validDate("starts_on", in.StartsOn), validDate("due_on", in.DueOn)
	fs.AddError(startOK)
	fs.AddError(dueOK)
	if startOK == nil && dueOK == nil && in.DueOn < in.StartsOn {
		fs.Add("due_on", "must not come before starts_on")
	}
	if !slices.Contains(ActionStates, in.State) {
		fs.Add("state", "must be planned, in_progress, done or cancelled")
	}
	return fs.Err()
}

// checkOwner refuses an owner who cannot sign in.
func checkOwner(ctx context.Context, q sqlx.QueryerContext, id int64) error {
	var ok bool
	if err := sqlx.GetContext(ctx, q, &ok, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND disabled_at IS NULL)`, id); err != nil {
		return fmt.Errorf("check owner: %w", err)
	}
	if !ok {
		return invalid.Field("owner_id", fmt.Sprintf("no active user has id %d", id))
	}
	return nil
}

// CreateAction records a new action plan and returns it. Only those who
// manage plans create them.
func (s *Store) CreateAction(ctx context.Context, in ActionInput, actor Actor, now time.Time, loc *time.Location) (ActionPlan, error) {
	if !actor.Manages {
		return ActionPlan{}, notAllowed("only a manager may create an action plan")
	}
	today := now.In(loc).Format("2006-01-02")
	if err := in.validate(today); err != nil {
		return ActionPlan{}, err
	}
	if err := checkOwner(ctx, s.db, in.OwnerID); err != nil {
		return ActionPlan{}, err
	}
	var by *int64
	if actor.UserID > 0 {
		by = &actor.UserID
	}
	var doneAt *time.Time
	if in.State == ActionDone {
		doneAt = &now
	}
	var id int64
	err := s.getNamed(ctx, &id, `INSERT INTO action_plans (title, description, kind, cause_kind, cause_value, owner_id,
		starts_on, due_on, state, done_at, created_by, created_at, updated_at)
		VALUES (:title, :description, :kind, :cause_kind, :cause_value, :owner_id, CAST(:starts_on AS date), CAST(:due_on AS date),
		        :state, :done_at, :created_by, :now, :now)
		RETURNING id`, map[string]any{"title": in.Title, "description": in.Description, "kind": in.Kind,
		"cause_kind": in.Cause.Kind, "cause_value": in.Cause.Value, "owner_id": in.OwnerID, "starts_on": in.StartsOn,
		"due_on": in.DueOn, "state": in.State, "done_at": doneAt, "created_by": by, "now": now})
	if err != nil {
		return ActionPlan{}, fmt.Errorf("create action plan: %w", err)
	}
	return s.Action(ctx, id, today)
}

// Action returns one action plan with its notes; today decides whether it
// is overdue.
func (s *Store) Action(ctx context.Context, id int64, today string) (ActionPlan, error) {
	a, err := action(ctx, s.db, id, today, "")
	if err != nil {
		return a, err
	}
	if a.Notes, err = actionNotes(ctx, s.db, id); err != nil {
		return a, err
	}
	return a, nil
}

// action reads one action plan through q; lock is appended to the query
// (FOR UPDATE OF a, in a transaction).
func action(ctx context.Context, q sqlx.QueryerContext, id int64, today, lock string) (ActionPlan, error) {
	var a actionRow
	err := sqlx.GetContext(ctx, q, &a, `SELECT `+actionColumns+` WHERE a.id = $1`+lock, id)
	if errors.Is(err, sql.ErrNoRows) {
		return ActionPlan{}, fmt.Errorf("action plan %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return ActionPlan{}, fmt.Errorf("action plan %d: %w", id, err)
	}
	return a.plan(today), nil
}

// Actions lists action plans matching f: open ones first by due date, then
// the others, the latest due first.
func (s *Store) Actions(ctx context.Context, f ActionFilter, today string) ([]ActionPlan, error) {
	if f.State != "" && !slices.Contains(ActionStates, f.State) {
		return nil, invalid.Field("state", "must be planned, in_progress, done or cancelled")
	}
	if f.CauseKind != "" && !slices.Contains(CauseKinds, f.CauseKind) {
		return nil, invalid.Field("cause_kind", "must be risk, touchpoint or team")
	}
	if f.DueBefore != "" {
		if err := validDate("due_before", f.DueBefore); err != nil {
			return nil, err
		}
	}
	var due *string
	if f.DueBefore != "" {
		due = &f.DueBefore
	}
	var rows []actionRow
	err := s.selectNamed(ctx, &rows, `SELECT `+actionColumns+`
		WHERE (:state = '' OR a.state = :state) AND (:cause_kind = '' OR a.cause_kind = :cause_kind)
		  AND (:owner_id = 0 OR a.owner_id = :owner_id) AND (NOT :open OR a.state IN ('planned', 'in_progress'))
		  AND (CAST(:due_before AS date) IS NULL OR a.due_on < CAST(:due_before AS date))
		ORDER BY a.state IN ('planned', 'in_progress') DESC,
		         CASE WHEN a.state IN ('planned', 'in_progress') THEN a.due_on END ASC,
		         a.due_on DESC, a.id
		LIMIT 500`, map[string]any{"state": f.State, "cause_kind": f.CauseKind, "owner_id": f.OwnerID, "open": f.Open, "due_before": due})
	if err != nil {
		return nil, fmt.Errorf("list action plans: %w", err)
	}
	out := make([]ActionPlan, len(rows))
	for i, r := range rows {
		out[i] = r.plan(today)
	}
	return out, nil
}

type actionRow struct {
	ID          int64      `db:"id"`
	Title       string     `db:"title"`
	Description string     `db:"description"`
	Kind        string     `db:"kind"`
	CauseKind   string     `db:"cause_kind"`
	CauseValue  string     `db:"cause_value"`
	OwnerID     int64      `db:"owner_id"`
	Owner       string     `db:"owner"`
	StartsOn    string     `db:"starts_on"`
	DueOn       string     `db:"due_on"`
	State       string     `db:"state"`
	DoneAt      *time.Time `db:"done_at"`
	CreatedBy   *int64     `db:"created_by"`
	CreatedAt   time.Time  `db:"created_at"`
	UpdatedAt   time.Time  `db:"updated_at"`
}

func (r actionRow) plan(today string) ActionPlan {
	a := ActionPlan{ID: r.ID, Title: r.Title, Description: r.Description, Kind: r.Kind, Cause: Cause{r.CauseKind, r.CauseValue},
		OwnerID: r.OwnerID, Owner: r.Owner, StartsOn: r.StartsOn, DueOn: r.DueOn, State: r.State, DoneAt: r.DoneAt,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	a.Overdue = a.Open() && a.DueOn < today
	return a
}
