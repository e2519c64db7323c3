package staff

import (
	"strings"
	"time"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
)

// The complaint page speaks to agents in plain words, in their language:
// the codes stored with a reply are turned into sentences here (texts in
// templates' catalogue, keys cx.*), the audit trail by templates.EventWords.

// dimensionLabel names a score as the complaint page's score table does:
// "Outcome (distributive)".
func dimensionLabel(locale string, d surveys.Dimension) string {
	switch d {
	case surveys.Distributive, surveys.Procedural, surveys.Interactional, surveys.Overall:
		return templates.T(locale, "cx.dim."+string(d))
	}
	return humanCode(string(d))
}

// reasonText says in English why a reply was flagged as negative.
func reasonText(r surveys.Reason) string { return reasonWords("en", r, templates.SignalLabel) }

// reasonWords says in locale why a reply was flagged as negative; signal
// names a signal kind (the admins' names, else the built-in ones).
func reasonWords(locale string, r surveys.Reason, signal func(string) string) string {
	switch r.Kind {
	case surveys.ReasonLowScore:
		return templates.T(locale, "cx.reason.low_score", dimensionLabel(locale, r.Dimension), r.Score, r.Threshold)
	case surveys.ReasonDetractor:
		return templates.T(locale, "cx.reason.detractor", r.Score)
	case surveys.ReasonSignal:
		s := templates.T(locale, "cx.reason.signal", signal(string(r.Signal)))
		if r.Evidence != "" {
			s += templates.T(locale, "cx.reason.evidence", r.Evidence)
		}
		return s
	}
	return humanCode(r.Kind)
}

// choice is a form option: the stored value and its label.
type choice struct {
	Value, Label string
}

// devianceChoices labels deviance codes for the form.
func devianceChoices(locale string, codes []string) []choice {
	out := make([]choice, len(codes))
	for i, c := range codes {
		out[i] = choice{c, templates.DevianceLabel(locale, c)}
	}
	return out
}

// adviceText names the kind of compensation advised.
func adviceText(locale, kind string) string {
	switch kind {
	case complaints.AdviceApology, complaints.AdviceGesture, complaints.AdviceReimbursement:
		return templates.T(locale, "cx.advice."+kind)
	}
	return humanCode(kind)
}

// auditRow is one line of a complaint's history, in words.
type auditRow struct {
	When         time.Time
	Who          string
	What, Detail string
}

// auditRows turns a complaint's audit trail into sentences.
func auditRows(locale string, entries []complaints.AuditEntry) []auditRow {
	out := make([]auditRow, len(entries))
	for i, e := range entries {
		what, detail := templates.EventWords(locale, e.Event())
		out[i] = auditRow{When: e.CreatedAt, Who: e.Actor, What: what, Detail: detail}
	}
	return out
}

// convMessage is one message of a complaint's conversation: emails out
// (acknowledgement, reply, resolution) and any message in from the
// customer, in time order.
type convMessage struct {
	complaints.MessageInfo
	// At is when it was sent or received, else when it is due.
	At time.Time
	// In is a message from the customer (a kind other than ours).
	In bool
	// Pending is an email not sent yet.
	Pending bool
}

// conversation orders a complaint's messages in time, with their
// direction.
func conversation(d complaints.Detail) []convMessage {
	out := make([]convMessage, 0, len(d.Messages))
	for _, m := range d.Messages {
		c := convMessage{MessageInfo: m, At: m.SendAt}
		if m.SentAt != nil {
			c.At = *m.SentAt
		}
		switch m.Kind {
		case complaints.MessageAcknowledgement, complaints.MessageReply, complaints.MessageResolution:
			c.Pending = m.SentAt == nil
		default:
			c.In = true
			if m.Author == "" || m.Author == "followup" {
				c.Author = d.Customer.Name
			}
		}
		out = append(out, c)
	}
	// Stable: messages written at the same time keep their order.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].At.Before(out[j-1].At); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// humanCode turns a code such as "non_comprehension" into words.
func humanCode(code string) string {
	return strings.ReplaceAll(code, "_", " ")
}
