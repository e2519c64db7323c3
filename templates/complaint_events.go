package templates

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/followup/followup/complaints"
)

// A complaint's audit trail in words: one function per kind of event
// (complaints.EventKinds), each in English and French. The staff pages show
// the English; every kind has both, which TestEventWords checks.

// EventWords says what an audit entry records, in locale ("en" or "fr";
// English otherwise): a title and its details. An event of a kind this
// version does not know is told in plain words from its data.
func EventWords(locale string, e complaints.Event) (what, detail string) {
	w, _ := eventWords(lang(locale), e)
	return w.what, w.detail
}

// words are an event's title and details.
type words struct{ what, detail string }

// eventWords dispatches to the kind's words; known is false for an event
// of a kind without words of its own.
func eventWords(l lang, e complaints.Event) (w words, known bool) {
	switch e := e.(type) {
	case complaints.OpenedEvent:
		return openedWords(l, e), true
	case complaints.AcknowledgedEvent:
		return acknowledgedWords(l, e), true
	case complaints.MessageSentEvent:
		return messageSentWords(l, e)
	case complaints.MessageSettledEvent:
		return messageSettledWords(l, e)
	case complaints.TakenEvent:
		return takenWords(l, e), true
	case complaints.AssignedEvent:
		return assignedWords(l, e), true
	case complaints.ReassignedEvent:
		return reassignedWords(l, e), true
	case complaints.NoteEvent:
		return noteWords(l, e), true
	case complaints.ReplyEvent:
		return replyWords(l, e), true
	case complaints.CompensationEvent:
		return compensationWords(l, e), true
	case complaints.CompensationRequestedEvent:
		return compensationRequestedWords(l, e), true
	case complaints.CompensationApprovedEvent:
		return compensationApprovedWords(l, e), true
	case complaints.CompensationRefusedEvent:
		return compensationRefusedWords(l, e), true
	case complaints.ResolvedEvent:
		return resolvedWords(l, e), true
	case complaints.ReopenedEvent:
		return reopenedWords(l, e), true
	case complaints.DevianceEvent:
		return devianceWords(l, e), true
	case complaints.DeadlineWarnedEvent:
		return deadlineWarnedWords(l, e), true
	case complaints.DeadlineBreachedEvent:
		return deadlineBreachedWords(l, e), true
	case complaints.DoubleDeviationEvent:
		return doubleDeviationWords(l, e), true
	case complaints.RecoveryPositiveEvent:
		return recoveryPositiveWords(l), true
	case complaints.CommentCorrectedEvent:
		return commentCorrectedWords(l, e), true
	case complaints.ReplyCompletedEvent:
		return replyCompletedWords(l, e), true
	case complaints.CustomerEmailedEvent:
		return customerEmailedWords(l, e), true
	case complaints.UnknownEvent:
		return unknownWords(e), false
	case nil:
		return words{}, false
	}
	return words{what: humanCode(string(e.Kind()))}, false
}

func openedWords(l lang, e complaints.OpenedEvent) words {
	parts := []string{e.Priority, l.severity(e.Severity),
		with(l.when(e.DueAt), l.pick("due ", "échéance "), "")}
	if len(e.Escalations) > 0 {
		labels := make([]string, len(e.Escalations))
		for i, s := range e.Escalations {
			labels[i] = signalWords(string(l), string(s))
		}
		parts = append(parts, l.pick("escalated: the customer ", "escaladée : le client ")+strings.Join(labels, ", "))
	}
	return words{l.pick("Complaint opened", "Réclamation ouverte"), joinNonEmpty(parts, " · ")}
}

// severityFR names the severities in French (the English is the code).
var severityFR = map[complaints.Severity]string{
	complaints.Critical: "critique", complaints.Major: "majeure", complaints.Moderate: "modérée", complaints.Minor: "mineure",
}

// severity says "major severity", or "" when none was recorded.
func (l lang) severity(s complaints.Severity) string {
	if s == "" {
		return ""
	}
	if fr, ok := severityFR[s]; ok && l.known() == "fr" {
		return "gravité " + fr
	}
	return l.pick(string(s)+" severity", "gravité "+string(s))
}

func acknowledgedWords(l lang, e complaints.AcknowledgedEvent) words {
	return words{l.pick("Acknowledgement emailed to the customer", "Accusé de réception envoyé au client"),
		with(l.when(e.PromisedDueAt), l.pick("contact promised by ", "contact promis avant le "), "")}
}

// messageWords name the emails to the customer about their complaint.
var messageWords = map[lang]map[string]string{
	"en": {
		complaints.MessageAcknowledgement: "Acknowledgement email",
		complaints.MessageReply:           "Reply email",
		complaints.MessageResolution:      "Resolution email",
	},
	"fr": {
		complaints.MessageAcknowledgement: "Courriel d'accusé de réception",
		complaints.MessageReply:           "Courriel de réponse",
		complaints.MessageResolution:      "Courriel de résolution",
	},
}

func messageSentWords(l lang, e complaints.MessageSentEvent) (words, bool) {
	name, ok := messageWords[l.known()][e.Message]
	if !ok {
		return words{what: humanCode(string(e.Kind()))}, false
	}
	return words{what: name + l.pick(" sent", " envoyé")}, true
}

func messageSettledWords(l lang, e complaints.MessageSettledEvent) (words, bool) {
	name, ok := messageWords[l.known()][e.Message]
	if !ok {
		return words{humanCode(string(e.Kind())), e.Reason}, false
	}
	state := l.pick(" failed", " en échec")
	if e.State == complaints.MessageSkipped {
		state = l.pick(" not sent", " non envoyé")
	}
	return words{name + state, e.Reason}, true
}

func takenWords(l lang, e complaints.TakenEvent) words {
	detail := l.pick("owner: ", "responsable : ") + e.Owner
	if e.ByActing {
		detail += l.pick(", by acting on it first", ", en agissant la première")
	}
	return words{l.pick("Taken", "Prise en charge"), detail}
}

func assignedWords(l lang, e complaints.AssignedEvent) words {
	return words{l.pick("Assigned", "Attribuée"), l.pick("to ", "à ") + e.Owner}
}

func reassignedWords(l lang, e complaints.ReassignedEvent) words {
	return words{l.pick("Reassigned", "Réattribuée"), l.pick("from ", "de ") + e.PreviousOwner + l.pick(" to ", " à ") + e.Owner}
}

func noteWords(l lang, e complaints.NoteEvent) words {
	return words{l.pick("Internal note", "Note interne"), excerpt(e.Text)}
}

func replyWords(l lang, e complaints.ReplyEvent) words {
	s := excerpt(e.Body)
	if e.Subject != "" {
		s = "“" + e.Subject + "”" + l.pick(": ", " : ") + s
	}
	return words{l.pick("Reply written to the customer", "Réponse écrite au client"), s}
}

func compensationWords(l lang, e complaints.CompensationEvent) words {
	s := l.amount(e.Cents, e.Currency)
	if e.Note != "" {
		s += " (" + e.Note + ")"
	}
	return words{l.pick("Compensation granted", "Compensation accordée"),
		s + " · " + l.amount(e.TotalCents, e.Currency) + l.pick(" granted in all", " accordés en tout")}
}

// approvalReasonsFR names why a grant waits, in French.
var approvalReasonsFR = map[string]string{
	complaints.ApprovalAboveAdvice: "au-dessus de la fourchette conseillée",
	complaints.ApprovalAboveLimit:  "au-dessus du plafond du rôle",
}

var approvalReasonsEN = map[string]string{
	complaints.ApprovalAboveAdvice: "above the advised range",
	complaints.ApprovalAboveLimit:  "above the role's limit",
}

func compensationRequestedWords(l lang, e complaints.CompensationRequestedEvent) words {
	s := l.amount(e.Cents, e.Currency)
	if e.Note != "" {
		s += " (" + e.Note + ")"
	}
	why := make([]string, 0, len(e.Reasons))
	for _, r := range e.Reasons {
		why = append(why, l.pick(approvalReasonsEN[r], approvalReasonsFR[r]))
	}
	return words{l.pick("Compensation waiting for a manager's approval", "Compensation en attente de l'accord d'un responsable"),
		joinNonEmpty([]string{s, strings.Join(why, ", ")}, " · ")}
}

func compensationApprovedWords(l lang, e complaints.CompensationApprovedEvent) words {
	return words{l.pick("Compensation approved by a manager", "Compensation approuvée par un responsable"),
		joinNonEmpty([]string{l.amount(e.Cents, e.Currency), excerpt(e.Reason),
			l.amount(e.TotalCents, e.Currency) + l.pick(" granted in all; the customer is told by email", " accordés en tout ; le client est prévenu par courriel")}, " · ")}
}

func compensationRefusedWords(l lang, e complaints.CompensationRefusedEvent) words {
	return words{l.pick("Compensation refused by a manager", "Compensation refusée par un responsable"),
		joinNonEmpty([]string{l.amount(e.Cents, e.Currency), excerpt(e.Reason)}, " · ")}
}

func resolvedWords(l lang, e complaints.ResolvedEvent) words {
	s := excerpt(e.Summary)
	if e.RecoverySurveyAt != nil {
		s += l.pick(" · recovery survey on ", " · enquête de rattrapage le ") + l.when(*e.RecoverySurveyAt)
	}
	return words{l.pick("Resolved", "Résolue"), s}
}

func reopenedWords(l lang, e complaints.ReopenedEvent) words {
	return words{l.pick("Reopened", "Rouverte"),
		joinNonEmpty([]string{excerpt(e.Reason), with(l.when(e.DueAt), l.pick("new deadline ", "nouvelle échéance "), "")}, " · ")}
}

func devianceWords(l lang, e complaints.DevianceEvent) words {
	if len(e.Form) == 0 && e.Substance == "" {
		return words{l.pick("Deviance cleared", "Déviance levée"), l.pick("none recorded", "aucune relevée")}
	}
	var parts []string
	if len(e.Form) > 0 {
		labels := make([]string, len(e.Form))
		for i, f := range e.Form {
			labels[i] = strings.ToLower(DevianceLabel(string(l), f))
		}
		parts = append(parts, l.pick("form: ", "forme : ")+strings.Join(labels, ", "))
	}
	if e.Substance != "" {
		parts = append(parts, l.pick("substance: ", "fond : ")+strings.ToLower(DevianceLabel(string(l), e.Substance)))
	}
	return words{l.pick("Deviance recorded", "Déviance relevée"), strings.Join(parts, " · ")}
}

func deadlineWarnedWords(l lang, e complaints.DeadlineWarnedEvent) words {
	return words{l.pick("Deadline approaching", "Échéance proche"),
		l.pick("due ", "échéance ") + l.when(e.DueAt) + l.pick(" · the owner was alerted", " · le responsable a été alerté")}
}

func deadlineBreachedWords(l lang, e complaints.DeadlineBreachedEvent) words {
	s := l.pick("was due ", "était due le ") + l.when(e.DueAt)
	if e.FromPriority != "" && e.FromPriority != e.ToPriority {
		s += l.pick(" · priority raised from ", " · priorité relevée de ") + e.FromPriority + l.pick(" to ", " à ") + e.ToPriority
	}
	if e.Promised {
		s += l.pick(" · the customer had been promised this date", " · cette date avait été promise au client")
	}
	return words{l.pick("Deadline missed", "Échéance dépassée"), s}
}

func doubleDeviationWords(l lang, e complaints.DoubleDeviationEvent) words {
	var missed string
	if e.MissedDueAt != nil {
		missed = l.when(*e.MissedDueAt)
	}
	why := l.pick("the deadline promised to the customer", "l'échéance promise au client") + with(missed, " (", ")") +
		l.pick(" passed", " est passée")
	if e.Reason == complaints.DoubleDeviationRecovery {
		why = l.pick("the recovery survey came back negative", "l'enquête de rattrapage est revenue négative")
	}
	parts := []string{why, l.pick("top priority (P1)", "priorité maximale (P1)"),
		with(l.when(e.DueAt), l.pick("new deadline ", "nouvelle échéance "), "")}
	if e.Reopened {
		parts = append(parts, l.pick("reopened", "rouverte"))
	}
	return words{l.pick("Double deviation: a manager is alerted", "Double déviation : un manager est alerté"), joinNonEmpty(parts, " · ")}
}

func recoveryPositiveWords(l lang) words {
	return words{l.pick("Recovery confirmed", "Rattrapage confirmé"),
		l.pick("the customer's recovery survey came back positive", "l'enquête de rattrapage du client est revenue positive")}
}

func commentCorrectedWords(l lang, e complaints.CommentCorrectedEvent) words {
	s := CorrectionLabel(string(l), e.Correction)
	if e.Opened {
		s += l.pick(" · this correction opened the complaint", " · cette correction a ouvert la réclamation")
	} else {
		s += l.pick(" · the complaint is unchanged", " · la réclamation est inchangée")
	}
	return words{l.pick("Comment reading corrected", "Lecture du commentaire corrigée"), s}
}

func replyCompletedWords(l lang, e complaints.ReplyCompletedEvent) words {
	what := l.pick("The customer answered more of the survey", "Le client a répondu à d'autres questions")
	if e.Completed {
		what = l.pick("The customer completed their reply", "Le client a complété sa réponse")
	}
	var parts []string
	switch {
	case e.Resolved:
		parts = append(parts, l.pick("the complaint was already resolved: not reopened, read the new answers",
			"la réclamation était déjà résolue : non rouverte, lisez les nouvelles réponses"))
	case e.FromPriority != e.ToPriority:
		parts = append(parts, l.pick("priority raised ", "priorité relevée ")+e.FromPriority+" → "+e.ToPriority,
			with(l.when(e.DueAt), l.pick("due ", "échéance "), ""))
	default:
		parts = append(parts, l.pick("scored again, priority unchanged", "notée à nouveau, priorité inchangée"))
	}
	if !e.Negative {
		parts = append(parts, l.pick("the new answers are not negative", "les nouvelles réponses ne sont pas négatives"))
	}
	if len(e.Escalations) > 0 {
		labels := make([]string, len(e.Escalations))
		for i, s := range e.Escalations {
			labels[i] = signalWords(string(l), string(s))
		}
		parts = append(parts, l.pick("escalated: the customer ", "escaladée : le client ")+strings.Join(labels, ", "))
	}
	return words{what, joinNonEmpty(parts, " · ")}
}

// unknownWords tell an event of a kind without words: its kind and its
// data in plain words, never as JSON.
func unknownWords(e complaints.UnknownEvent) words {
	keys := make([]string, 0, len(e.Data))
	for k := range e.Data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = humanCode(k) + ": " + plainValue(e.Data[k])
	}
	return words{humanCode(e.Name), strings.Join(parts, " · ")}
}

// plainValue says a decoded JSON value in words: lists joined by commas,
// objects as their keys and values.
func plainValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []any:
		out := make([]string, len(v))
		for i, x := range v {
			out[i] = plainValue(x)
		}
		return strings.Join(out, ", ")
	case map[string]any:
		return unknownWords(complaints.UnknownEvent{Data: v}).detail
	default:
		return fmt.Sprint(v)
	}
}

// lang is a locale of the trail's words: "fr", or English for any other.
type lang string

// known is the locale whose words are used.
func (l lang) known() lang {
	if l == "fr" {
		return l
	}
	return "en"
}

// pick gives the English or the French.
func (l lang) pick(en, fr string) string {
	if l.known() == "fr" {
		return fr
	}
	return en
}

// when formats a time as the staff pages show times (UTC, to the minute);
// the zero time, a date that was not recorded, is "".
func (l lang) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
}

// money formats an amount in cents: 25.50, or 25,50 in French.
// amount is money with its currency when known: "25,50 EUR".
func (l lang) amount(cents int64, currency string) string {
	if currency == "" {
		return l.money(cents)
	}
	return l.money(cents) + " " + currency
}

func (l lang) money(cents int64) string {
	s := Money(cents)
	if l.known() == "fr" {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
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

func customerEmailedWords(l lang, e complaints.CustomerEmailedEvent) words {
	var parts []string
	switch {
	case e.Reopened:
		parts = append(parts, l.pick("the resolved complaint was reopened", "la réclamation résolue a été rouverte"))
	case e.Late:
		parts = append(parts, l.pick("resolved too long ago to reopen: read the email", "résolue depuis trop longtemps pour être rouverte : lisez le message"))
	}
	if e.FromPriority != e.ToPriority {
		parts = append(parts, l.pick("priority raised ", "priorité relevée ")+e.FromPriority+" → "+e.ToPriority,
			with(l.when(e.DueAt), l.pick("due ", "échéance "), ""))
	}
	if len(e.Escalations) > 0 {
		labels := make([]string, len(e.Escalations))
		for i, s := range e.Escalations {
			labels[i] = signalWords(string(l), string(s))
		}
		parts = append(parts, l.pick("escalated: the customer ", "escaladée : le client ")+strings.Join(labels, ", "))
	}
	return words{l.pick("The customer replied by email", "Le client a répondu par email"), joinNonEmpty(parts, " · ")}
}
