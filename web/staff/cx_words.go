package staff

import (
	"fmt"
	"strings"
	"time"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/templates"
)

// The complaint page speaks to agents in plain words: the codes stored with
// a reply are turned into sentences here, the audit trail by
// templates.EventWords.

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

// devianceChoices labels deviance codes for the form.
func devianceChoices(codes []string) []choice {
	out := make([]choice, len(codes))
	for i, c := range codes {
		out[i] = choice{c, templates.DevianceLabel("en", c)}
	}
	return out
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
		what, detail := templates.EventWords("en", e.Event())
		out[i] = auditRow{When: e.CreatedAt, Who: e.Actor, What: what, Detail: detail}
	}
	return out
}

// humanCode turns a code such as "non_comprehension" into words.
func humanCode(code string) string {
	return strings.ReplaceAll(code, "_", " ")
}
