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
		told := "the customer is told the new date, with an apology"
		if e.Apologised {
			// The customer had their apology for an earlier miss: this
			// one is the team's to fix, not another email.
			told = "the customer already had an apology and a new date and is not emailed again: escalated inside the team"
		}
		a.Text = fmt.Sprintf("Double deviation on complaint #%d (%s): the deadline promised to the customer (%s) passed unresolved. Now P1, due %s; %s. %s",
			id, nameOr(e.CustomerName), stamp(e.DueAt), stamp(e.NewDueAt), told, l.link(id))
	default:
		a, err = NewAlert(fmt.Sprintf("deadline-breached:%d:%d", id, due), DeadlineBreachedAlert{data})
		a.Audience = AudienceManagers
		a.Text = fmt.Sprintf("Deadline breached on complaint #%d (%s): due %s, still unresolved. Priority raised %s → %s. %s",
			id, nameOr(e.CustomerName), stamp(e.DueAt), e.From, e.To, l.link(id))
	}
	a.ComplaintID, a.CreatedAt = &id, now
	return a, err
}

// decisionAlert tells the agent who asked for compensation what a manager
// decided, and why.
func (l *Loop) decisionAlert(d complaints.Decided, by complaints.Actor, now time.Time) (Alert, error) {
	id := d.ComplaintID
	manager := by.Name
	if manager == "" {
		manager = by.Email
	}
	a, err := NewAlert(fmt.Sprintf("compensation-decided:%d", d.GrantID), CompensationDecidedAlert{GrantID: d.GrantID, Approved: d.Approved,
		Cents: d.Cents, Currency: d.Currency, Reason: d.Reason, DecidedBy: manager, RequesterID: d.RequestedBy, Customer: d.CustomerName})
	amount := complaints.Money(d.Cents, d.Currency)
	if d.Approved {
		a.Text = fmt.Sprintf("%s approved the compensation of %s you asked for on complaint #%d (%s): “%s”. It is recorded and the customer is emailed. %s",
			manager, amount, id, nameOr(d.CustomerName), d.Reason, l.link(id))
	} else {
		a.Text = fmt.Sprintf("%s refused the compensation of %s you asked for on complaint #%d (%s): “%s”. Nothing is recorded and the customer is not told. %s",
			manager, amount, id, nameOr(d.CustomerName), d.Reason, l.link(id))
	}
	a.Audience, a.ComplaintID, a.CreatedAt = AudienceRequester, &id, now
	return a, err
}

// MaxSubject is the longest an alert's subject gets, in characters: a line
// read at a glance in an inbox.
const MaxSubject = 100

// Subject is the alert as one short line for an inbox: the priority, the
// customer and the reason in a few words ("P1 · Zoé Tremblay · New
// complaint #52 (public, threat)"); the whole text and the link are the
// email's body. An alert with no complaint (a barometer breach) or of a
// kind this version does not know is the first line of its text, without
// links.
func (a Alert) Subject() string {
	p, err := a.Payload()
	if err != nil {
		p = UnknownAlert{Name: a.Kind}
	}
	ref := ""
	if a.ComplaintID != nil {
		ref = fmt.Sprintf("#%d", *a.ComplaintID)
	}
	var priority, customer, reason string
	switch p := p.(type) {
	case ComplaintOpenedAlert:
		priority, customer, reason = p.Priority, p.Customer, "New complaint "+ref
		if len(p.Escalations) > 0 {
			reason += " (" + strings.Join(p.Escalations, ", ") + ")"
		}
	case DeadlineWarnedAlert:
		priority, customer, reason = p.Priority, p.Customer, "Deadline near on "+ref
	case DeadlineBreachedAlert:
		priority, customer, reason = p.Priority, p.Customer, "Deadline breached on "+ref
		if p.FromPriority != "" && p.FromPriority != p.Priority {
			reason += " (was " + p.FromPriority + ")"
		}
	case DoubleDeviationAlert:
		priority, customer, reason = p.Priority, p.Customer, "Double deviation on "+ref
		switch p.Reason {
		case complaints.DoubleDeviationPromise:
			reason += ": promise missed"
		case complaints.DoubleDeviationRecovery:
			reason += ": recovery survey negative"
		}
	case CompensationDecidedAlert:
		customer, reason = p.Customer, "Compensation refused on "+ref
		if p.Approved {
			reason = "Compensation approved on " + ref
		}
	default:
		first, _, _ := strings.Cut(a.Text, "\n")
		var words []string
		for _, w := range strings.Fields(first) {
			if !strings.HasPrefix(w, "http://") && !strings.HasPrefix(w, "https://") {
				words = append(words, w)
			}
		}
		return shorten(strings.Join(words, " "), MaxSubject)
	}
	parts := make([]string, 0, 3)
	for _, s := range []string{priority, shorten(customer, 40), reason} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return shorten(strings.Join(parts, " · "), MaxSubject)
}

// shorten keeps s on one line of at most n characters, cut after a whole
// word when it can be, with "…" when it was cut.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	if i := strings.LastIndexByte(string(r), ' '); i > len(string(r))/2 {
		return string(r)[:i] + "…"
	}
	return strings.TrimSpace(string(r)) + "…"
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
