package feedback

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/complaints"
)

// CustomerEmailed records the customer's email on complaint id's
// conversation (see complaints.Store.CustomerEmailed) and, for a reply
// that is new, alerts the complaint's owner (or the team when it has none)
// in the same transaction. An auto-reply alerts no one.
func (l *Loop) CustomerEmailed(ctx context.Context, id int64, e complaints.CustomerEmail, reopenWithin time.Duration) (complaints.Emailed, error) {
	var out complaints.Emailed
	err := l.act(ctx, func(tx *sqlx.Tx, now time.Time) (Work, error) {
		var err error
		if out, err = l.complaints.CustomerEmailed(ctx, tx, id, e, reopenWithin, now); err != nil || !out.New || e.AutoReply {
			return Work{}, err
		}
		a, err := l.customerRepliedAlert(out, e.Body, now)
		if err != nil {
			return Work{}, err
		}
		var w Work
		if ok, err := l.alerts.Raise(ctx, tx, a); err != nil {
			return w, err
		} else if ok {
			w.Alerts = append(w.Alerts, a.ID)
		}
		return w, nil
	})
	return out, err
}

func (l *Loop) customerRepliedAlert(e complaints.Emailed, body string, now time.Time) (Alert, error) {
	esc := make([]string, len(e.Escalations))
	for i, k := range e.Escalations {
		esc[i] = string(k)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s replied by email on complaint #%d", nameOr(e.CustomerName), e.ComplaintID)
	if e.Reopened {
		b.WriteString(", which was resolved: reopened")
	}
	if e.FromPriority != e.Priority {
		fmt.Fprintf(&b, ", priority %s → %s", e.FromPriority, e.Priority)
	}
	if len(esc) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(esc, ", "))
	}
	b.WriteString(".")
	if s := snippet(body, 160); s != "" {
		fmt.Fprintf(&b, " “%s”", s)
	}
	b.WriteString(" " + l.link(e.ComplaintID))
	a, err := NewAlert(fmt.Sprintf("customer-replied:%d:%d", e.ComplaintID, e.MessageID), CustomerRepliedAlert{MessageID: e.MessageID,
		Customer: e.CustomerName, Reopened: e.Reopened, FromPriority: e.FromPriority.String(), Priority: e.Priority.String(),
		Escalations: esc, OwnerID: e.OwnerID})
	id := e.ComplaintID
	a.Audience, a.ComplaintID, a.Text, a.CreatedAt = AudienceOwner, &id, b.String(), now
	return a, err
}
