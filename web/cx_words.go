package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
)

// The complaint page speaks to agents in plain words: the codes stored with
// a reply and in the audit trail are turned into sentences here.

// dimensionWords name a score as the complaint page's score table does.
var dimensionWords = map[surveys.Dimension]string{
	surveys.Distributive:  "Outcome (distributive)",
	surveys.Procedural:    "Process (procedural)",
	surveys.Interactional: "Treatment (interactional)",
	surveys.Overall:       "Overall",
}

// reasonText says why a reply was flagged as negative.
func reasonText(r surveys.Reason) string {
	switch r.Kind {
	case surveys.ReasonLowScore:
		name := dimensionWords[r.Dimension]
		if name == "" {
			name = humanCode(string(r.Dimension))
		}
		return fmt.Sprintf("%s score %.0f/100, under the survey's threshold of %.0f", name, r.Score, r.Threshold)
	case surveys.ReasonDetractor:
		return fmt.Sprintf("Rated %.0f out of 10: a detractor (0 to 6)", r.Score)
	case surveys.ReasonSignal:
		s := "Comment: the customer " + templates.SignalLabel(string(r.Signal))
		if r.Evidence != "" {
			s += ": “" + r.Evidence + "”"
		}
		return s
	}
	return humanCode(r.Kind)
}

// choice is a form option: the stored value and its label.
type choice struct {
	Value, Label string
}

var devianceWords = map[string]string{
	"incivility": "Incivility", "non_comprehension": "Non-comprehension", "non_cooperation": "Non-cooperation",
	"pretension": "Pretension", "threat": "Threats",
	"inadmissible": "Inadmissible claim", "fraud": "Fraud", "injustice": "Injustice",
	"disproportion": "Disproportionate claim", "improbability": "Improbable claim",
}

// devianceChoices labels deviance codes for the form.
func devianceChoices(codes []string) []choice {
	out := make([]choice, len(codes))
	for i, c := range codes {
		out[i] = choice{c, devianceText(c)}
	}
	return out
}

func devianceText(code string) string {
	if w, ok := devianceWords[code]; ok {
		return w
	}
	return humanCode(code)
}

var adviceWords = map[string]string{
	complaints.AdviceApology:       "An apology",
	complaints.AdviceGesture:       "A goodwill gesture",
	complaints.AdviceReimbursement: "Reimbursement of the prejudice",
}

// adviceText names the kind of compensation advised.
func adviceText(kind string) string {
	if w, ok := adviceWords[kind]; ok {
		return w
	}
	return humanCode(kind)
}

var messageWords = map[string]string{
	complaints.MessageAcknowledgement: "Acknowledgement",
	complaints.MessageReply:           "Reply",
	complaints.MessageResolution:      "Resolution",
}

// auditRow is one line of a complaint's history, in words.
type auditRow struct {
	When         time.Time
	Who          string
	What, Detail string
}

// auditRows turns a complaint's audit trail into sentences.
func auditRows(entries []complaints.AuditEntry) []auditRow {
	out := make([]auditRow, len(entries))
	for i, e := range entries {
		what, detail := auditText(e.Kind, e.Data)
		out[i] = auditRow{When: e.CreatedAt, Who: e.Actor, What: what, Detail: detail}
	}
	return out
}

// auditText says what an audit entry records: a title and its details.
func auditText(kind string, raw json.RawMessage) (what, detail string) {
	d := auditData{}
	_ = json.Unmarshal(raw, &d) // an entry without data has no details
	switch kind {
	case "opened":
		parts := []string{d.str("priority"), with(d.str("severity"), "", " severity"), with(d.when("due_at"), "due ", "")}
		if esc := d.list("escalations"); len(esc) > 0 {
			words := make([]string, len(esc))
			for i, e := range esc {
				words[i] = templates.SignalLabel(e)
			}
			parts = append(parts, "escalated: the customer "+strings.Join(words, ", "))
		}
		return "Complaint opened", joinNonEmpty(parts, " · ")
	case "acknowledged":
		return "Acknowledgement emailed to the customer", with(d.when("promised_due_at"), "contact promised by ", "")
	case "taken":
		if d.bool("by_acting") {
			return "Taken", "owner: " + d.str("owner") + ", by acting on it first"
		}
		return "Taken", "owner: " + d.str("owner")
	case "assigned":
		return "Assigned", "to " + d.str("owner")
	case "reassigned":
		return "Reassigned", "from " + d.str("previous_owner") + " to " + d.str("owner")
	case "note":
		return "Internal note", excerpt(d.str("text"))
	case "reply":
		s := excerpt(d.str("body"))
		if subj := d.str("subject"); subj != "" {
			s = "“" + subj + "”: " + s
		}
		return "Reply written to the customer", s
	case "compensation":
		s := templates.Money(d.num("cents"))
		if note := d.str("note"); note != "" {
			s += " (" + note + ")"
		}
		return "Compensation granted", s + " · " + templates.Money(d.num("total_cents")) + " granted in all"
	case "resolved":
		s := excerpt(d.str("summary"))
		if _, ok := d["recovery_survey_at"]; ok {
			s += " · recovery survey on " + d.when("recovery_survey_at")
		}
		return "Resolved", s
	case "reopened":
		return "Reopened", joinNonEmpty([]string{excerpt(d.str("reason")), with(d.when("due_at"), "new deadline ", "")}, " · ")
	case "deviance":
		form, substance := d.list("form"), d.str("substance")
		if len(form) == 0 && substance == "" {
			return "Deviance cleared", "none recorded"
		}
		var parts []string
		if len(form) > 0 {
			words := make([]string, len(form))
			for i, f := range form {
				words[i] = strings.ToLower(devianceText(f))
			}
			parts = append(parts, "form: "+strings.Join(words, ", "))
		}
		if substance != "" {
			parts = append(parts, "substance: "+strings.ToLower(devianceText(substance)))
		}
		return "Deviance recorded", strings.Join(parts, " · ")
	case "deadline_warned":
		return "Deadline approaching", "due " + d.when("due_at") + " · the owner was alerted"
	case "deadline_breached":
		s := "was due " + d.when("due_at")
		if from, to := d.str("from_priority"), d.str("to_priority"); from != "" && from != to {
			s += " · priority raised from " + from + " to " + to
		}
		if d.bool("promised") {
			s += " · the customer had been promised this date"
		}
		return "Deadline missed", s
	case "double_deviation":
		why := "the deadline promised to the customer" + with(d.when("missed_due_at"), " (", ")") + " passed"
		if d.str("reason") == complaints.DoubleDeviationRecovery {
			why = "the recovery survey came back negative"
		}
		parts := []string{why, "top priority (P1)", with(d.when("due_at"), "new deadline ", "")}
		if d.bool("reopened") {
			parts = append(parts, "reopened")
		}
		return "Double deviation: a manager is alerted", joinNonEmpty(parts, " · ")
	case "recovery_positive":
		return "Recovery confirmed", "the customer's recovery survey came back positive"
	case string(complaints.EventCommentCorrected):
		s := correctionText(d.str("correction"))
		if d.bool("opened") {
			s += " · this correction opened the complaint"
		} else {
			s += " · the complaint is unchanged"
		}
		return "Comment reading corrected", s
	}
	// Emails to the customer: <kind>_sent, <kind>_skipped, <kind>_failed.
	for _, state := range []string{complaints.MessageSent, complaints.MessageSkipped, complaints.MessageFailed} {
		if msg, ok := strings.CutSuffix(kind, "_"+state); ok && messageWords[msg] != "" {
			what := messageWords[msg] + " email " + map[string]string{
				complaints.MessageSent: "sent", complaints.MessageSkipped: "not sent", complaints.MessageFailed: "failed"}[state]
			return what, d.str("reason")
		}
	}
	return humanCode(kind), d.plain()
}

// auditData is an audit entry's free-form data.
type auditData map[string]any

func (d auditData) str(k string) string {
	switch v := d[k].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

func (d auditData) num(k string) int64 {
	if v, ok := d[k].(float64); ok {
		return int64(v)
	}
	return 0
}

func (d auditData) bool(k string) bool {
	v, _ := d[k].(bool)
	return v
}

func (d auditData) list(k string) []string {
	vs, _ := d[k].([]any)
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// when formats a stored time as the page shows times (UTC, to the minute).
func (d auditData) when(k string) string {
	s := d.str(k)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
}

// plain lists the data of an entry this page has no words for.
func (d auditData) plain() string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = humanCode(k) + ": " + d.str(k)
	}
	return strings.Join(parts, " · ")
}

// humanCode turns a code such as "non_comprehension" into words.
func humanCode(code string) string {
	return strings.ReplaceAll(code, "_", " ")
}

// excerpt keeps the start of a long text, on one line.
func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const max = 240
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

// with frames a value, or gives "" when there is none.
func with(v, before, after string) string {
	if v == "" {
		return ""
	}
	return before + v + after
}

func joinNonEmpty(parts []string, sep string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
