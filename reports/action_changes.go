package reports

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/invalid"
)

// Actor is who changes action plans. Plans are shared across departments:
// those who manage them (Manages: the managers) create, change and delete
// any plan; anyone else may only progress the plans they own — move their
// state and add notes.
type Actor struct {
	UserID  int64
	Manages bool
}

// ErrNotAllowed is a change the actor may not make; the error's text says
// why, for the person who tried.
var ErrNotAllowed = errors.New("not allowed")

type notAllowed string

func (e notAllowed) Error() string        { return string(e) }
func (e notAllowed) Is(target error) bool { return target == ErrNotAllowed }

// ActionNote is one progress update of an action plan: a note, a change of
// state, or both.
type ActionNote struct {
	ID       int64  `json:"id" db:"id"`
	AuthorID *int64 `json:"author_id,omitempty" db:"author_id"`
	Author   string `json:"author" db:"author"`
	Body     string `json:"body" db:"body"`
	// State is the state the plan was moved to, empty when it did not
	// change.
	State     string    `json:"state,omitempty" db:"state"`
	CreatedAt time.Time `json:"created_at" db:"created_at"`
}

// maxNote bounds a progress note (the table checks it too).
const maxNote = 2000

// apply returns the plan as it would be with the patch's fields set.
func (p ActionPatch) apply(cur ActionPlan) (ActionInput, error) {
	in := ActionInput{Title: cur.Title, Description: cur.Description, Kind: cur.Kind, Cause: cur.Cause, OwnerID: cur.OwnerID,
		StartsOn: cur.StartsOn, DueOn: cur.DueOn, State: cur.State}
	if p.Title != nil {
		in.Title = *p.Title
	}
	if p.Description != nil {
		in.Description = *p.Description
	}
	if p.State != nil {
		in.State = *p.State
		if in.State == "" {
			return in, invalid.Field("state", "must be planned, in_progress, done or cancelled")
		}
	}
	if p.OwnerID != nil {
		in.OwnerID = *p.OwnerID
	}
	if p.StartsOn != nil {
		in.StartsOn = *p.StartsOn
		if in.StartsOn == "" {
			return in, invalid.Field("starts_on", "must be a date as YYYY-MM-DD")
		}
	}
	if p.DueOn != nil {
		in.DueOn = *p.DueOn
	}
	return in, nil
}

// UpdateAction applies p to action plan id on behalf of actor, and records
// a progress update when the state changes or p carries a note. Marking it
// done records when. An actor who does not manage plans may change only
// the state of a plan they own, and add notes to it: anything else is
// ErrNotAllowed, checked under the plan's row lock so a reassignment
// cannot slip in between.
func (s *Store) UpdateAction(ctx context.Context, id int64, p ActionPatch, actor Actor, now time.Time, loc *time.Location) (ActionPlan, error) {
	today := now.In(loc).Format("2006-01-02")
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return ActionPlan{}, fmt.Errorf("update action plan %d: %w", id, err)
	}
	defer func() { _ = tx.Rollback() }()
	cur, err := action(ctx, tx, id, today, " FOR UPDATE OF a")
	if err != nil {
		return cur, err
	}
	if !actor.Manages && cur.OwnerID != actor.UserID {
		return cur, notAllowed(fmt.Sprintf("only its owner (%s) or a manager may change this action plan", cur.Owner))
	}
	in, err := p.apply(cur)
	if err != nil {
		return cur, err
	}
	if err := in.validate(today); err != nil {
		return cur, err
	}
	// An owner sending the plan back as it is (an API client echoing what
	// it read) changes nothing beyond the state: that is allowed.
	if !actor.Manages && (in.Title != cur.Title || in.Description != cur.Description || in.OwnerID != cur.OwnerID ||
		in.StartsOn != cur.StartsOn || in.DueOn != cur.DueOn) {
		return cur, notAllowed("as its owner you may change the state and add progress notes; only a manager may change the title, description, owner or dates")
	}
	var note string
	if p.Note != nil {
		note = strings.TrimSpace(*p.Note)
		if utf8.RuneCountInString(note) > maxNote {
			return cur, invalid.Field("note", fmt.Sprintf("must be at most %d characters", maxNote))
		}
	}
	if in.OwnerID != cur.OwnerID {
		if err := checkOwner(ctx, tx, in.OwnerID); err != nil {
			return cur, err
		}
	}
	_, err = sqlx.NamedExecContext(ctx, tx, `UPDATE action_plans SET title = :title, description = :description, state = :state,
		owner_id = :owner_id, starts_on = CAST(:starts_on AS date), due_on = CAST(:due_on AS date),
		done_at = CASE WHEN :state = 'done' THEN COALESCE(done_at, :now) END, updated_at = :now
		WHERE id = :id`, map[string]any{"id": id, "title": in.Title, "description": in.Description, "state": in.State,
		"owner_id": in.OwnerID, "starts_on": in.StartsOn, "due_on": in.DueOn, "now": now})
	if err != nil {
		return cur, fmt.Errorf("update action plan %d: %w", id, err)
	}
	var moved string
	if in.State != cur.State {
		moved = in.State
	}
	if note != "" || moved != "" {
		var author *int64
		if actor.UserID > 0 {
			author = &actor.UserID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO action_plan_notes (action_plan_id, author_id, body, state, created_at)
			VALUES ($1, $2, $3, $4, $5)`, id, author, note, moved, now); err != nil {
			return cur, fmt.Errorf("note on action plan %d: %w", id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return cur, fmt.Errorf("update action plan %d: %w", id, err)
	}
	return s.Action(ctx, id, today)
}

// DeleteAction deletes action plan id and its notes. Only those who manage
// plans delete them; an action that did not happen is better cancelled,
// which keeps its history.
func (s *Store) DeleteAction(ctx context.Context, id int64, actor Actor) error {
	if !actor.Manages {
		return notAllowed("only a manager may delete an action plan")
	}
	res, err := s.db.ExecContext(ctx, `DELETE FROM action_plans WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete action plan %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete action plan %d: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("action plan %d: %w", id, ErrNotFound)
	}
	return nil
}

// actionNotes lists a plan's progress updates, the latest first.
func actionNotes(ctx context.Context, q sqlx.QueryerContext, id int64) ([]ActionNote, error) {
	notes := []ActionNote{}
	err := sqlx.SelectContext(ctx, q, &notes, `SELECT n.id, n.author_id, COALESCE(NULLIF(u.name, ''), u.email, '') AS author,
		n.body, n.state, n.created_at
		FROM action_plan_notes n LEFT JOIN users u ON u.id = n.author_id
		WHERE n.action_plan_id = $1
		ORDER BY n.id DESC
		LIMIT 500`, id)
	if err != nil {
		return nil, fmt.Errorf("notes of action plan %d: %w", id, err)
	}
	return notes, nil
}
