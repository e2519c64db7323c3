package feedback

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/complaints"
)

// Dispatcher hands what a committed transaction owes to the workers:
// alerts to deliver and emails to send. Implementations use deterministic
// task ids, so dispatching twice queues once; what is not dispatched (Redis
// down) is found again by the reconciler from PostgreSQL.
type Dispatcher interface {
	EnqueueAlert(ctx context.Context, id string) error
	EnqueueComplaintMessage(ctx context.Context, id int64, delay time.Duration) error
}

// LoopConfig tunes the internal loop.
type LoopConfig struct {
	// AckDelay is how long after a complaint opens its acknowledgement goes
	// out: long enough for an agent on duty to take it, so the email can
	// name them; short enough that the customer hears from us within
	// minutes. Default 2 minutes.
	AckDelay time.Duration
	// RecoveryDelay is how long after resolution the recovery survey goes
	// out. Default 3 days.
	RecoveryDelay time.Duration
	// WarnShare is the share of a priority's allowed time left when the
	// owner is warned (default a quarter).
	WarnShare float64
	// BaseURL prefixes links to complaints in alerts.
	BaseURL string
}

// Loop is the internal loop: everything that must happen around a
// complaint, in the same transaction as the change that calls for it (the
// CX alert when it opens, the acknowledgement to the customer, escalations
// when deadlines pass or the recovery fails), then dispatched after commit.
type Loop struct {
	db         *sqlx.DB
	complaints *complaints.Store
	alerts     *Store
	dispatch   Dispatcher
	clock      clock.Clock
	log        *slog.Logger
	cfg        LoopConfig
}

// NewLoop returns a Loop.
func NewLoop(db *sqlx.DB, cs *complaints.Store, alerts *Store, d Dispatcher, clk clock.Clock, log *slog.Logger, cfg LoopConfig) *Loop {
	if cfg.AckDelay < 0 {
		cfg.AckDelay = 0
	}
	if cfg.RecoveryDelay <= 0 {
		cfg.RecoveryDelay = 72 * time.Hour
	}
	if cfg.WarnShare <= 0 || cfg.WarnShare >= 1 {
		cfg.WarnShare = complaints.DefaultWarnShare
	}
	if clk == nil {
		clk = clock.Real{}
	}
	return &Loop{db: db, complaints: cs, alerts: alerts, dispatch: d, clock: clk, log: log, cfg: cfg}
}

// Config returns the loop's settings.
func (l *Loop) Config() LoopConfig { return l.cfg }

// Work is what a committed transaction leaves to deliver.
type Work struct {
	Alerts   []string
	Messages []Due
}

// Due is an email to send at a time.
type Due struct {
	ID int64
	At time.Time
}

// Dispatch enqueues w. A failure is logged, not returned: the rows are
// committed and the reconciler will enqueue them again.
func (l *Loop) Dispatch(ctx context.Context, w Work) {
	if l.dispatch == nil {
		return
	}
	for _, id := range w.Alerts {
		if err := l.dispatch.EnqueueAlert(ctx, id); err != nil {
			l.log.Warn("alert not enqueued; the reconciler will", "alert", id, "err", err)
		}
	}
	now := l.clock.Now()
	for _, m := range w.Messages {
		if err := l.dispatch.EnqueueComplaintMessage(ctx, m.ID, m.At.Sub(now)); err != nil {
			l.log.Warn("complaint email not enqueued; the reconciler will", "message", m.ID, "err", err)
		}
	}
}

// OpenedComplaint is a complaint just opened, as the alert tells it.
type OpenedComplaint struct {
	ID           int64
	Priority     complaints.Priority
	DueAt        time.Time
	Escalations  []string
	CustomerName string
	Comment      string
}

// Opened does, inside the transaction that opened complaints, what the
// internal loop owes each: an alert to the CX team, and the acknowledgement
// to the customer (unless its survey spares mild cases).
func (l *Loop) Opened(ctx context.Context, tx *sqlx.Tx, list []OpenedComplaint, now time.Time) (Work, error) {
	var w Work
	if len(list) == 0 {
		return w, nil
	}
	alerts := make([]Alert, len(list))
	ids := make([]int64, len(list))
	for i, c := range list {
		a, err := l.openedAlert(c, now)
		if err != nil {
			return w, err
		}
		alerts[i], ids[i] = a, c.ID
	}
	created, err := l.alerts.RaiseMany(ctx, tx, alerts)
	if err != nil {
		return w, err
	}
	w.Alerts = created
	acks, err := l.complaints.AcknowledgeOpened(ctx, tx, ids, now.Add(l.cfg.AckDelay), now)
	if err != nil {
		return w, err
	}
	for _, id := range ids {
		if mid, ok := acks.Queued[id]; ok {
			w.Messages = append(w.Messages, Due{ID: mid, At: now.Add(l.cfg.AckDelay)})
		}
	}
	return w, nil
}

// Recovered records, inside the transaction that stores the reply, the
// customer's answer to a recovery survey. A negative answer is a double
// deviation: the complaint reopens at P1, flagged; a manager is alerted and
// the customer gets a new acknowledgement with the new deadline.
func (l *Loop) Recovered(ctx context.Context, tx *sqlx.Tx, complaintID, responseID int64, negative bool, customerName string, now time.Time) (Work, error) {
	var w Work
	r, err := l.complaints.RecordRecovery(ctx, tx, complaintID, responseID, negative, now)
	if err != nil || !r.DoubleDeviation {
		return w, err
	}
	a, err := NewAlert(fmt.Sprintf("double-deviation:%d:recovery:%d", complaintID, responseID), DoubleDeviationAlert{
		Reason: complaints.DoubleDeviationRecovery, Priority: complaints.P1.String(), DueAt: r.DueAt, ResponseID: responseID,
		Customer: customerName})
	if err != nil {
		return w, err
	}
	a.Audience, a.ComplaintID, a.CreatedAt = AudienceManagers, &complaintID, now
	a.Text = fmt.Sprintf("Double deviation on complaint #%d (%s): the recovery survey came back negative. Reopened at P1, due %s. %s",
		complaintID, customerName, stamp(r.DueAt), l.link(complaintID))
	if ok, err := l.alerts.Raise(ctx, tx, a); err != nil {
		return w, err
	} else if ok {
		w.Alerts = append(w.Alerts, a.ID)
	}
	mid, err := l.complaints.QueueAcknowledgement(ctx, tx, complaintID, now.Add(l.cfg.AckDelay), now)
	if err != nil {
		return w, err
	}
	w.Messages = append(w.Messages, Due{ID: mid, At: now.Add(l.cfg.AckDelay)})
	return w, nil
}

// CheckDeadlines warns owners of near deadlines and escalates breached
// ones (see complaints.CheckDeadlines), raising their alerts and, for a
// missed promise, queueing a new acknowledgement in the same transaction,
// then dispatches them. It returns what it did.
func (l *Loop) CheckDeadlines(ctx context.Context) ([]complaints.DeadlineEvent, error) {
	now := l.clock.Now()
	var events []complaints.DeadlineEvent
	w, err := l.inTx(ctx, func(tx *sqlx.Tx) (Work, error) {
		var w Work
		var err error
		events, err = l.complaints.CheckDeadlines(ctx, tx, now, l.cfg.WarnShare)
		if err != nil {
			return w, err
		}
		alerts := make([]Alert, len(events))
		for i, e := range events {
			if alerts[i], err = l.deadlineAlert(e, now); err != nil {
				return w, err
			}
		}
		if w.Alerts, err = l.alerts.RaiseMany(ctx, tx, alerts); err != nil {
			return w, err
		}
		// A missed promise: the customer is told, with an apology, who
		// will contact them and by when (the new deadline), once; a
		// further miss is escalated inside the team by its alert only.
		for _, e := range events {
			if e.Kind != complaints.DeadlinePromiseMissed || e.Apologised {
				continue
			}
			mid, err := l.complaints.QueueAcknowledgement(ctx, tx, e.ComplaintID, now, now)
			if err != nil {
				return w, err
			}
			w.Messages = append(w.Messages, Due{ID: mid, At: now})
		}
		return w, nil
	})
	if err != nil {
		return nil, err
	}
	l.Dispatch(ctx, w)
	return events, nil
}

// inTx runs fn in a transaction and returns its work once committed.
func (l *Loop) inTx(ctx context.Context, fn func(tx *sqlx.Tx) (Work, error)) (Work, error) {
	tx, err := l.db.BeginTxx(ctx, nil)
	if err != nil {
		return Work{}, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	w, err := fn(tx)
	if err != nil {
		return Work{}, err
	}
	if err := tx.Commit(); err != nil {
		return Work{}, fmt.Errorf("commit: %w", err)
	}
	return w, nil
}

// ErrNeedsConfirmation is a reply with warnings the agent has not
// confirmed (see ReplyWarnings).
var ErrNeedsConfirmation = errors.New("the reply has warnings to confirm")

// ReplyWarnings is a reply held back until the agent confirms it.
type ReplyWarnings struct {
	Warnings []complaints.Warning
}

func (e *ReplyWarnings) Error() string { return ErrNeedsConfirmation.Error() }

// Unwrap makes errors.Is(err, ErrNeedsConfirmation) true.
func (e *ReplyWarnings) Unwrap() error { return ErrNeedsConfirmation }
