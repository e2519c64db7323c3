package feedback

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/followup/followup/complaints"
)

// The alerts' texts are for the team's chat and inbox: one line that says
// what, who, how urgent and by when, then the link.

func (l *Loop) openedAlert(c OpenedComplaint, now time.Time) Alert {
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
	id := c.ID
	return Alert{ID: fmt.Sprintf("complaint-opened:%d", c.ID), Kind: "complaint_opened", Audience: AudienceCX,
		ComplaintID: &id, Text: b.String(), CreatedAt: now,
		Data: mustJSON(map[string]any{"priority": c.Priority.String(), "due_at": c.DueAt, "escalations": nonNilStrings(c.Escalations),
			"customer": c.CustomerName})}
}

func (l *Loop) deadlineAlert(e complaints.DeadlineEvent, now time.Time) Alert {
	id := e.ComplaintID
	due := e.DueAt.Unix()
	a := Alert{ComplaintID: &id, CreatedAt: now,
		Data: mustJSON(map[string]any{"due_at": e.DueAt, "from_priority": e.From.String(), "priority": e.To.String(),
			"new_due_at": e.NewDueAt, "customer": e.CustomerName, "owner_id": e.OwnerID})}
	switch e.Kind {
	case complaints.DeadlineWarned:
		a.ID, a.Kind, a.Audience = fmt.Sprintf("deadline-warned:%d:%d", id, due), "deadline_warned", AudienceOwner
		a.Text = fmt.Sprintf("Deadline near on %s complaint #%d (%s): due %s. %s", e.To, id, nameOr(e.CustomerName), stamp(e.DueAt), l.link(id))
	case complaints.DeadlinePromiseMissed:
		a.ID, a.Kind, a.Audience = fmt.Sprintf("double-deviation:%d:promise:%d", id, due), "double_deviation", AudienceManagers
		a.Text = fmt.Sprintf("Double deviation on complaint #%d (%s): the deadline promised to the customer (%s) passed unresolved. Now P1, due %s; the customer is told the new date. %s",
			id, nameOr(e.CustomerName), stamp(e.DueAt), stamp(e.NewDueAt), l.link(id))
	default:
		a.ID, a.Kind, a.Audience = fmt.Sprintf("deadline-breached:%d:%d", id, due), "deadline_breached", AudienceManagers
		a.Text = fmt.Sprintf("Deadline breached on complaint #%d (%s): due %s, still unresolved. Priority raised %s → %s. %s",
			id, nameOr(e.CustomerName), stamp(e.DueAt), e.From, e.To, l.link(id))
	}
	return a
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

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain values are encoded here
	}
	return b
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
