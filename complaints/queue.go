package complaints

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/followup/followup/customers"
)

// Filter selects complaints for the queue.
type Filter struct {
	// States keeps complaints in these states; empty means not resolved.
	States []string
	// Priorities keeps these priorities; empty means all.
	Priorities []Priority
	// Overdue, when set, keeps complaints past (true) or within (false)
	// their deadline.
	Overdue *bool
	// OwnerID keeps the complaints of one owner ("mine").
	OwnerID int64
	// Unassigned keeps complaints nobody owns.
	Unassigned bool
	// Team keeps one team's complaints.
	Team string
	// Risk keeps complaints showing this risk of dissatisfaction.
	Risk string
	// Signal keeps complaints whose comment carries this signal (public,
	// legal, threat...).
	Signal string
	// DoubleDeviation keeps the complaints whose recovery failed.
	DoubleDeviation bool
	// CustomerReplied keeps the complaints whose customer wrote last and
	// awaits an answer (see Complaint.CustomerReplied).
	CustomerReplied bool
	// Customer keeps the complaints of customers found by this search:
	// their exact external reference, or part of their name or email
	// (customers.SearchSQL).
	Customer string
	// Sort orders the list: SortUrgency (the default), SortAge, SortValue
	// or SortActivity.
	Sort string
	// Limit bounds the list (1–1000, default 100).
	Limit int
}

// Orders of the queue.
const (
	// SortUrgency: overdue first, then by priority and deadline.
	SortUrgency = "urgency"
	// SortAge: the oldest complaint first.
	SortAge = "age"
	// SortValue: the customer worth the most a year first.
	SortValue = "value"
	// SortActivity: the complaint left alone the longest first.
	SortActivity = "activity"
)

// Sorts lists the queue's orders.
var Sorts = []string{SortUrgency, SortAge, SortValue, SortActivity}

const urgencyOrder = "(c.state <> 'resolved' AND c.due_at < $1) DESC, c.priority, c.due_at, c.id"

// orderBy is the ORDER BY of f's sort.
func (f Filter) orderBy() string {
	switch f.Sort {
	case SortAge:
		return "c.opened_at, c.id"
	case SortValue:
		return "cu.annual_value_cents DESC, " + urgencyOrder
	case SortActivity:
		return lastActivitySQL + ", c.id"
	}
	return urgencyOrder
}

// where writes f as SQL conditions on c (complaints) and r (responses);
// args start with now.
func (f Filter) where(args []any) ([]string, []any) {
	var where []string
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "$?", fmt.Sprintf("$%d", len(args))))
	}
	if len(f.States) == 0 {
		where = append(where, "c.state <> 'resolved'")
	} else {
		add("c.state = ANY ($?)", pq.Array(f.States))
	}
	if len(f.Priorities) > 0 {
		ps := make([]int64, len(f.Priorities))
		for i, p := range f.Priorities {
			ps[i] = int64(p)
		}
		add("c.priority = ANY ($?)", pq.Array(ps))
	}
	if f.Overdue != nil {
		if *f.Overdue {
			where = append(where, "c.state <> 'resolved' AND c.due_at < $1")
		} else {
			where = append(where, "NOT (c.state <> 'resolved' AND c.due_at < $1)")
		}
	}
	if f.OwnerID != 0 {
		add("c.owner_id = $?", f.OwnerID)
	}
	if f.Unassigned {
		where = append(where, "c.owner_id IS NULL")
	}
	if f.Team != "" {
		add("c.team = $?", f.Team)
	}
	if f.Risk != "" {
		add("$? = ANY (c.risks)", f.Risk)
	}
	if f.Signal != "" {
		add("r.signals @> jsonb_build_array(jsonb_build_object('kind', $?::text))", f.Signal)
	}
	if f.DoubleDeviation {
		where = append(where, "c.double_deviation")
	}
	if f.CustomerReplied {
		where = append(where, customerRepliedSQL)
	}
	if f.Customer != "" {
		args = append(args, f.Customer, customers.SearchPart(f.Customer))
		where = append(where, customers.SearchSQL(fmt.Sprintf("$%d", len(args)-1), fmt.Sprintf("$%d", len(args))))
	}
	return where, args
}

// List returns complaints matching f, most urgent first (overdue ones, then
// by priority, then by deadline) unless f sorts otherwise. Overdue is
// judged at now.
func (s *Store) List(ctx context.Context, f Filter, now time.Time) ([]Complaint, error) {
	where, args := f.where([]any{now})
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	args = append(args, f.Limit)
	q := selectComplaints + " WHERE " + strings.Join(where, " AND ") +
		fmt.Sprintf(" ORDER BY %s LIMIT $%d", f.orderBy(), len(args))
	out := []Complaint{}
	if err := s.db.SelectContext(ctx, &out, q, args...); err != nil {
		return nil, fmt.Errorf("list complaints: %w", err)
	}
	return out, nil
}

// ListOpen returns the complaints not yet resolved, most urgent first.
func (s *Store) ListOpen(ctx context.Context, limit int, now time.Time) ([]Complaint, error) {
	return s.List(ctx, Filter{Limit: limit}, now)
}

// Counts are the sizes of the queue's usual views.
type Counts struct {
	Open            int `db:"open" json:"open"`
	Overdue         int `db:"overdue" json:"overdue"`
	Mine            int `db:"mine" json:"mine"`
	Unassigned      int `db:"unassigned" json:"unassigned"`
	DoubleDeviation int `db:"double_deviation" json:"double_deviation"`
	CustomerReplied int `db:"customer_replied" json:"customer_replied"`
	P1              int `db:"p1" json:"p1"`
	P2              int `db:"p2" json:"p2"`
	P3              int `db:"p3" json:"p3"`
	P4              int `db:"p4" json:"p4"`
	ResolvedToday   int `db:"resolved_today" json:"resolved_today"`
}

// Count counts the complaints not resolved by view, for the person ownerID
// ("mine"), and those resolved since the start of now's day.
func (s *Store) Count(ctx context.Context, ownerID int64, now time.Time) (Counts, error) {
	var c Counts
	err := s.db.GetContext(ctx, &c, `SELECT
		count(*) FILTER (WHERE state <> 'resolved') AS open,
		count(*) FILTER (WHERE state <> 'resolved' AND due_at < $1) AS overdue,
		count(*) FILTER (WHERE state <> 'resolved' AND owner_id = $2) AS mine,
		count(*) FILTER (WHERE state <> 'resolved' AND owner_id IS NULL) AS unassigned,
		count(*) FILTER (WHERE state <> 'resolved' AND double_deviation) AS double_deviation,
		count(*) FILTER (WHERE state <> 'resolved' AND `+customerRepliedSQL+`) AS customer_replied,
		count(*) FILTER (WHERE state <> 'resolved' AND priority = 1) AS p1,
		count(*) FILTER (WHERE state <> 'resolved' AND priority = 2) AS p2,
		count(*) FILTER (WHERE state <> 'resolved' AND priority = 3) AS p3,
		count(*) FILTER (WHERE state <> 'resolved' AND priority = 4) AS p4,
		count(*) FILTER (WHERE state = 'resolved' AND resolved_at >= date_trunc('day', $1::timestamptz)) AS resolved_today
		FROM complaints c WHERE state <> 'resolved' OR resolved_at >= date_trunc('day', $1::timestamptz)`, now, ownerID)
	if err != nil {
		return c, fmt.Errorf("count complaints: %w", err)
	}
	return c, nil
}

// Teams lists the teams that have complaints, for the queue's filter.
func (s *Store) Teams(ctx context.Context) ([]string, error) {
	out := []string{}
	err := s.db.SelectContext(ctx, &out, `SELECT DISTINCT team FROM complaints WHERE team <> '' ORDER BY team`)
	if err != nil {
		return nil, fmt.Errorf("complaint teams: %w", err)
	}
	return out, nil
}
