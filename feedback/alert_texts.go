package feedback

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/followup/followup/complaints"
)

// The alerts' texts are for the team's chat and inbox: one line that says
// what, who, how urgent and by when, then the link.

func (l *Loop) openedAlert(c OpenedComplaint, now time.Time) (Alert, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s complaint #%d: %s", c.Priority, c.ID, nameOr(c.CustomerName))
	if len(c.Escalations) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(c.Escalations, ", "))
	}
	fmt.Fprintf(&b, ", due %s.", stamp(c.DueAt))
	if s := snippet(c.Comment, 160); s != "" {
		fmt.Fprintf(&b, " “%s”", s)
	}
	b.WriteString(" " + l.link(c.ID))
	a, err := NewAlert(fmt.Sprintf("complaint-opened:%d", c.ID), ComplaintOpenedAlert{Priority: c.Priority.String(), DueAt: c.DueAt,
		Escalations: nonNilStrings(c.Escalations), Customer: c.CustomerName})
	id := c.ID
	a.Audience, a.ComplaintID, a.Text, a.CreatedAt = AudienceCX, &id, b.String(), now
	return a, err
}

func (l *Loop) deadlineAlert(e complaints.DeadlineEvent, now time.Time) (Alert, error) {
	id := e.ComplaintID
	due := e.DueAt.Unix()
	data := DeadlineAlertData{DueAt: e.DueAt, FromPriority: e.From.String(), Priority: e.To.String(), NewDueAt: e.NewDueAt,
		Customer: e.CustomerName, OwnerID: e.OwnerID}
	var a Alert
	var err error
	switch e.Kind {
	case complaints.DeadlineWarned:
		a, err = NewAlert(fmt.Sprintf("deadline-warned:%d:%d", id, due), DeadlineWarnedAlert{data})
		a.Audience = AudienceOwner
		a.Text = fmt.Sprintf("Deadline near on %s complaint #%d (%s): due %s. %s", e.To, id, nameOr(e.CustomerName), stamp(e.DueAt), l.link(id))
	case complaints.DeadlinePromiseMissed:
		newDue := e.NewDueAt
		a, err = NewAlert(fmt.Sprintf("double-deviation:%d:promise:%d", id, due), DoubleDeviationAlert{Reason: complaints.DoubleDeviationPromise,
			Priority: e.To.String(), DueAt: e.DueAt, FromPriority: e.From.String(), NewDueAt: &newDue, Customer: e.CustomerName, OwnerID: e.OwnerID})
		a.Audience = AudienceManagers
		a.Text = fmt.Sprintf("Double deviation on complaint #%d (%s): the deadline promised to the customer (%s) passed unresolved. Now P1, due %s; the customer is told the new date. %s",
			id, nameOr(e.CustomerName), stamp(e.DueAt), stamp(e.NewDueAt), l.link(id))
	default:
		a, err = NewAlert(fmt.Sprintf("deadline-breached:%d:%d", id, due), DeadlineBreachedAlert{data})
		a.Audience = AudienceManagers
		a.Text = fmt.Sprintf("Deadline breached on complaint #%d (%s): due %s, still unresolved. Priority raised %s → %s. %s",
			id, nameOr(e.CustomerName), stamp(e.DueAt), e.From, e.To, l.link(id))
	}
	a.ComplaintID, a.CreatedAt = &id, now
	return a, err
}

func (l *Loop) link(id int64) string {
	return fmt.Sprintf("%s/cx/complaints/%d", strings.TrimRight(l.cfg.BaseURL, "/"), id)
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func nameOr(name string) string {
	if strings.TrimSpace(name) == "" {
		return "a customer"
	}
	return name
}

// snippet is the start of a comment on one line.
func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
