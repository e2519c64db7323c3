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

	"github.com/followup/followup/surveys"
)

// Completed is what a reply completed later did to its complaint.
type Completed struct {
	ID       int64
	Priority Priority
	DueAt    time.Time
	// Raised is true when the priority rose (and the deadline came closer).
	Raised bool
	// Resolved is true when the complaint was already resolved: only its
	// trail records the new answers.
	Resolved bool
}

// ReplyCompleted updates the complaint of response responseID, inside tx,
// after the customer completed their reply and it was scored again (res).
// found is false when the response has no complaint. The complaint is kept,
// never duplicated, and changes only towards more care: the reasons,
// risks, escalations and form deviance of the new scoring are added, the
// severity and the priority only rise, and the deadline only comes closer
// (to the one the new priority gives from now). A resolved complaint is not
// reopened: its trail records the new answers for the team to see.
func (s *Store) ReplyCompleted(ctx context.Context, tx *sqlx.Tx, responseID int64, res surveys.Result, completed bool, now time.Time) (out Completed, found bool, err error) {
	var c struct {
		ID          int64          `db:"id"`
		State       string         `db:"state"`
		Priority    Priority       `db:"priority"`
		Severity    Severity       `db:"severity"`
		DueAt       time.Time      `db:"due_at"`
		Risks       pq.StringArray `db:"risks"`
		Escalations pq.StringArray `db:"escalations"`
		Form        pq.StringArray `db:"form_deviance"`
	}
	err = tx.GetContext(ctx, &c, `SELECT id, state, priority, severity, due_at, risks, escalations, form_deviance
		FROM complaints WHERE response_id = $1 FOR UPDATE`, responseID)
	if errors.Is(err, sql.ErrNoRows) {
		return out, false, nil
	}
	if err != nil {
		return out, false, fmt.Errorf("complaint of response %d: %w", responseID, err)
	}
	out = Completed{ID: c.ID, Priority: c.Priority, DueAt: c.DueAt, Resolved: c.State == StateResolved}
	ev := ReplyCompletedEvent{ResponseID: responseID, Completed: completed, Negative: res.Negative,
		FromPriority: c.Priority.String(), ToPriority: c.Priority.String(), Resolved: out.Resolved}
	if out.Resolved {
		return out, true, audit(ctx, tx, c.ID, System, ev, now)
	}
	facts := map[int64]Facts{}
	if err := s.loadFacts(ctx, tx, pq.Int64Array{responseID}, facts); err != nil {
		return out, true, err
	}
	cals, err := s.teamCalendars(ctx)
	if err != nil {
		return out, true, err
	}
	a := s.policy.ForTeam(cals, facts[responseID].Team).Assess(res, facts[responseID], now)
	severity := c.Severity
	if a.Severity.level() < severity.level() || severity == "" {
		severity = a.Severity
	}
	if a.Priority < c.Priority {
		out.Priority, out.Raised = a.Priority, true
		if a.DueAt.Before(c.DueAt) {
			out.DueAt = a.DueAt
		}
	}
	for _, k := range a.Escalations {
		if !slices.Contains(c.Escalations, string(k)) {
			c.Escalations = append(c.Escalations, string(k))
			ev.Escalations = append(ev.Escalations, k)
		}
	}
	for _, r := range res.Risks {
		if !slices.Contains(c.Risks, string(r)) {
			c.Risks = append(c.Risks, string(r))
		}
	}
	for _, f := range formDeviance(res.Signals) {
		if !slices.Contains(c.Form, f) {
			c.Form = append(c.Form, f)
		}
	}
	ev.ToPriority, ev.DueAt = out.Priority.String(), out.DueAt
	args := []any{c.ID, out.Priority, severity, out.DueAt, c.Risks, c.Escalations, c.Form, now}
	set := `priority = $2, severity = $3, due_at = $4, risks = $5, escalations = $6, form_deviance = $7, updated_at = $8`
	if res.Negative {
		// The reasons are the whole reply's: the first part's reasons are
		// still there when they still hold.
		reasons, err := json.Marshal(res.Reasons)
		if err != nil {
			return out, true, fmt.Errorf("encode reasons of response %d: %w", responseID, err)
		}
		set += `, reasons = $9`
		args = append(args, reasons)
	}
	if out.Raised {
		why, err := json.Marshal(a.Why)
		if err != nil {
			return out, true, fmt.Errorf("encode priority reasons of response %d: %w", responseID, err)
		}
		set += fmt.Sprintf(`, priority_reasons = $%d`, len(args)+1)
		args = append(args, why)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE complaints SET `+set+` WHERE id = $1`, args...); err != nil {
		return out, true, fmt.Errorf("update complaint %d after its reply was completed: %w", c.ID, err)
	}
	return out, true, audit(ctx, tx, c.ID, System, ev, now)
}
