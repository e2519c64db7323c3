package feedback

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/complaints"
)

// The CX team's actions on a complaint, each in one transaction with its
// audit entry, then what it owes the customer dispatched. The rules are the
// complaints package's; the loop adds the emails and the recovery survey.

// Take makes by the complaint's owner.
func (l *Loop) Take(ctx context.Context, id int64, by complaints.Actor) error {
	return l.act(ctx, func(tx *sqlx.Tx, now time.Time) (Work, error) {
		return Work{}, l.complaints.Take(ctx, tx, id, by, now)
	})
}

// Assign gives the complaint to to.
func (l *Loop) Assign(ctx context.Context, id int64, to, by complaints.Actor) error {
	return l.act(ctx, func(tx *sqlx.Tx, now time.Time) (Work, error) {
		return Work{}, l.complaints.Assign(ctx, tx, id, to, by, now)
	})
}

// Note adds an internal note.
func (l *Loop) Note(ctx context.Context, id int64, text string, by complaints.Actor) error {
	return l.act(ctx, func(tx *sqlx.Tx, now time.Time) (Work, error) {
		return Work{}, l.complaints.Note(ctx, tx, id, text, by, now)
	})
}

// Compensate grants compensation, or asks a manager to approve it when it
// is above the advice or the person's limit (Granted.Pending, with why).
// currency may be empty: the customer's.
func (l *Loop) Compensate(ctx context.Context, id, cents int64, currency, note string, by complaints.Actor) (complaints.Granted, error) {
	var g complaints.Granted
	err := l.act(ctx, func(tx *sqlx.Tx, now time.Time) (Work, error) {
		var err error
		g, err = l.complaints.Compensate(ctx, tx, id, cents, currency, note, by, now)
		return Work{}, err
	})
	return g, err
}

// DecideGrant approves or refuses a waiting grant, with a reason: the
// agent who asked is told either way (an alert to them), and the customer,
// by email at once, only of an approved one (they were never promised a
// refused one).
func (l *Loop) DecideGrant(ctx context.Context, grantID int64, approve bool, reason string, by complaints.Actor) (complaints.Decided, error) {
	var d complaints.Decided
	err := l.act(ctx, func(tx *sqlx.Tx, now time.Time) (Work, error) {
		var err error
		d, err = l.complaints.DecideGrant(ctx, tx, grantID, approve, reason, by, now)
		if err != nil {
			return Work{}, err
		}
		var w Work
		if d.RequestedBy != nil {
			a, err := l.decisionAlert(d, by, now)
			if err != nil {
				return Work{}, err
			}
			if ok, err := l.alerts.Raise(ctx, tx, a); err != nil {
				return Work{}, err
			} else if ok {
				w.Alerts = append(w.Alerts, a.ID)
			}
		}
		if d.MessageID != 0 {
			w.Messages = append(w.Messages, Due{ID: d.MessageID, At: now})
		}
		return w, nil
	})
	return d, err
}

// SetDeviance records the deviance the agent faces.
func (l *Loop) SetDeviance(ctx context.Context, id int64, form []string, substance string, by complaints.Actor) error {
	return l.act(ctx, func(tx *sqlx.Tx, now time.Time) (Work, error) {
		return Work{}, l.complaints.SetDeviance(ctx, tx, id, form, substance, by, now)
	})
}

// Reply sends the customer an agent's email. A reply the check warns about
// (no concrete action, no date, template brackets left, not in the
// customer's language) is held back with a *ReplyWarnings error unless
// confirmed is true: the agent decides, but knowingly.
func (l *Loop) Reply(ctx context.Context, id int64, subject, body string, confirmed bool, by complaints.Actor) (int64, []complaints.Warning, error) {
	locale, err := l.complaints.CustomerLocale(ctx, id)
	if err != nil {
		return 0, nil, err
	}
	warnings := complaints.CheckReply(body, locale)
	if len(warnings) > 0 && !confirmed {
		return 0, warnings, &ReplyWarnings{Warnings: warnings}
	}
	var mid int64
	err = l.act(ctx, func(tx *sqlx.Tx, now time.Time) (Work, error) {
		var err error
		mid, err = l.complaints.Reply(ctx, tx, id, subject, body, by, now)
		return Work{Messages: []Due{{ID: mid, At: now}}}, err
	})
	return mid, warnings, err
}

// Resolve closes the complaint with what was done: the customer gets the
// resolution email now and the recovery survey after RecoveryDelay.
func (l *Loop) Resolve(ctx context.Context, id int64, summary string, by complaints.Actor) (complaints.Resolved, error) {
	var r complaints.Resolved
	err := l.act(ctx, func(tx *sqlx.Tx, now time.Time) (Work, error) {
		var err error
		r, err = l.complaints.Resolve(ctx, tx, id, summary, by, now.Add(l.cfg.RecoveryDelay), now)
		return Work{Messages: []Due{{ID: r.MessageID, At: now}}}, err
	})
	return r, err
}

// Reopen puts a resolved complaint back to work.
func (l *Loop) Reopen(ctx context.Context, id int64, reason string, by complaints.Actor) error {
	return l.act(ctx, func(tx *sqlx.Tx, now time.Time) (Work, error) {
		return Work{}, l.complaints.Reopen(ctx, tx, id, reason, by, now)
	})
}

func (l *Loop) act(ctx context.Context, fn func(tx *sqlx.Tx, now time.Time) (Work, error)) error {
	now := l.clock.Now()
	w, err := l.inTx(ctx, func(tx *sqlx.Tx) (Work, error) { return fn(tx, now) })
	if err != nil {
		return err
	}
	l.Dispatch(ctx, w)
	return nil
}
