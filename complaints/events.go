package complaints

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/followup/followup/surveys"
)

// A complaint's audit trail (table complaint_events) is a list of typed
// events: each kind is a constant below with its payload struct, stored as
// the row's kind and its JSON data. Only this package writes the trail and
// decodes it (AuditEntry.Event); package templates turns each kind into
// words. Adding a kind means a constant, a payload, a case in DecodeEvent
// and its words, and TestEventsRoundTrip and the templates' words test fail
// until all four exist. The JSON keys are the stored rows' contract: rows
// written before a change must still decode, so keys are only ever added.

// EventKind names a kind of audit entry, as stored in complaint_events.kind.
type EventKind string

// The kinds of audit entries.
const (
	EventOpened           EventKind = "opened"
	EventAcknowledged     EventKind = "acknowledged"
	EventTaken            EventKind = "taken"
	EventAssigned         EventKind = "assigned"
	EventReassigned       EventKind = "reassigned"
	EventNote             EventKind = "note"
	EventReply            EventKind = "reply"
	EventCompensation     EventKind = "compensation"
	EventResolved         EventKind = "resolved"
	EventReopened         EventKind = "reopened"
	EventDeviance         EventKind = "deviance"
	EventDeadlineWarned   EventKind = "deadline_warned"
	EventDeadlineBreached EventKind = "deadline_breached"
	EventDoubleDeviation  EventKind = "double_deviation"
	EventRecoveryPositive EventKind = "recovery_positive"
	// EventCommentCorrected is an agent's correction of the reading of the
	// complaint's comment (see the corrections package).
	EventCommentCorrected EventKind = "comment_corrected"
	// EventReplyCompleted is the customer coming back through their link
	// to answer more of the survey whose reply opened the complaint.
	EventReplyCompleted EventKind = "reply_completed"
	// EventCompensationRequested is a grant above the advice or the
	// person's limit, waiting for a manager.
	EventCompensationRequested EventKind = "compensation_requested"
	// EventCompensationApproved is a manager approving a waiting grant.
	EventCompensationApproved EventKind = "compensation_approved"
	// EventCompensationRefused is a manager refusing a waiting grant.
	EventCompensationRefused EventKind = "compensation_refused"
	// EventCustomerEmailed is the customer's email reply landing on the
	// complaint's conversation.
	EventCustomerEmailed EventKind = "customer_emailed"
)

// MessageEventKind is the kind of the entry recording that an email to the
// customer (MessageAcknowledgement, MessageReply, MessageResolution) reached
// state (MessageSent, MessageSkipped, MessageFailed): "reply_sent",
// "acknowledgement_skipped"… A sent acknowledgement is EventAcknowledged
// instead, since it carries a promise.
func MessageEventKind(message, state string) EventKind { return EventKind(message + "_" + state) }

// messageKinds are the emails whose fate the trail records.
var messageKinds = []string{MessageAcknowledgement, MessageReply, MessageResolution}

// EventKinds lists every kind this package writes, in the order of a
// complaint's life; a test checks that each decodes and has words.
var EventKinds = func() []EventKind {
	out := []EventKind{EventOpened, EventAcknowledged, EventTaken, EventAssigned, EventReassigned, EventNote, EventReply,
		EventCompensation, EventResolved, EventReopened, EventDeviance, EventDeadlineWarned, EventDeadlineBreached,
		EventDoubleDeviation, EventRecoveryPositive, EventCommentCorrected, EventReplyCompleted,
		EventCompensationRequested, EventCompensationApproved, EventCompensationRefused, EventCustomerEmailed}
	for _, m := range messageKinds {
		for _, s := range []string{MessageSent, MessageSkipped, MessageFailed} {
			if m == MessageAcknowledgement && s == MessageSent {
				continue // recorded as EventAcknowledged
			}
			out = append(out, MessageEventKind(m, s))
		}
	}
	return out
}()

// Event is the payload of one audit entry.
type Event interface {
	// Kind is the entry's kind, stored beside the payload.
	Kind() EventKind
}

// OpenedEvent: the complaint was opened, with what was decided. The
// reasons stay on the complaint row, which never changes them.
type OpenedEvent struct {
	// Priority is "P1" to "P4".
	Priority    string               `json:"priority"`
	Severity    Severity             `json:"severity"`
	DueAt       time.Time            `json:"due_at"`
	Escalations []surveys.SignalKind `json:"escalations"`
}

// AcknowledgedEvent: the acknowledgement reached the customer, promising
// contact by PromisedDueAt.
type AcknowledgedEvent struct {
	MessageID     int64     `json:"message_id"`
	PromisedDueAt time.Time `json:"promised_due_at"`
}

// MessageSentEvent: an email other than the acknowledgement reached the
// customer. Message is its kind, carried by the entry's kind.
type MessageSentEvent struct {
	Message   string `json:"-"`
	MessageID int64  `json:"message_id"`
}

// MessageSettledEvent: an email will not be sent (State is MessageSkipped
// or MessageFailed), and why. MessageID is 0 when no email was ever queued
// (a mild complaint spared its acknowledgement).
type MessageSettledEvent struct {
	Message   string `json:"-"`
	State     string `json:"-"`
	MessageID int64  `json:"message_id,omitempty"`
	Reason    string `json:"reason"`
}

// TakenEvent: someone became the owner of an unowned complaint; ByActing
// when by acting on it rather than taking it.
type TakenEvent struct {
	Owner    string `json:"owner"`
	ByActing bool   `json:"by_acting,omitempty"`
}

// AssignedEvent: an unowned complaint was given to Owner.
type AssignedEvent struct {
	Owner string `json:"owner"`
}

// ReassignedEvent: the complaint went from PreviousOwner to Owner.
type ReassignedEvent struct {
	Owner         string `json:"owner"`
	PreviousOwner string `json:"previous_owner"`
}

// NoteEvent is an internal note.
type NoteEvent struct {
	Text string `json:"text"`
}

// ReplyEvent: an agent wrote to the customer (the email is MessageID).
type ReplyEvent struct {
	MessageID int64  `json:"message_id"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
}

// CompensationEvent: Cents were granted, TotalCents in all so far, in
// Currency (empty on entries written before currencies).
type CompensationEvent struct {
	Cents      int64  `json:"cents"`
	Currency   string `json:"currency,omitempty"`
	Note       string `json:"note"`
	TotalCents int64  `json:"total_cents"`
}

// CompensationRequestedEvent: Cents were asked for (request GrantID) but
// wait for a manager's approval, for Reasons (ApprovalAboveAdvice,
// ApprovalAboveLimit) said in Why.
type CompensationRequestedEvent struct {
	GrantID  int64    `json:"grant_id"`
	Cents    int64    `json:"cents"`
	Currency string   `json:"currency"`
	Note     string   `json:"note"`
	Reasons  []string `json:"reasons"`
	Why      string   `json:"why"`
}

// CompensationApprovedEvent: a manager approved request GrantID, for
// Reason; TotalCents are granted in all, and the customer is told by email
// MessageID.
type CompensationApprovedEvent struct {
	GrantID    int64  `json:"grant_id"`
	Cents      int64  `json:"cents"`
	Currency   string `json:"currency"`
	Reason     string `json:"reason"`
	TotalCents int64  `json:"total_cents"`
	MessageID  int64  `json:"message_id"`
}

// CompensationRefusedEvent: a manager refused request GrantID, for Reason.
type CompensationRefusedEvent struct {
	GrantID  int64  `json:"grant_id"`
	Cents    int64  `json:"cents"`
	Currency string `json:"currency"`
	Reason   string `json:"reason"`
}

// ResolvedEvent: the complaint was resolved; RecoverySurveyAt is set when a
// recovery survey was planned.
type ResolvedEvent struct {
	Summary          string     `json:"summary"`
	RecoverySurveyAt *time.Time `json:"recovery_survey_at,omitempty"`
}

// ReopenedEvent: a resolved complaint went back to work, due at DueAt.
type ReopenedEvent struct {
	Reason string    `json:"reason"`
	DueAt  time.Time `json:"due_at"`
}

// DevianceEvent: the deviance the agent faces (FormDeviances, and one of
// SubstanceDeviances or ""); both empty clears it.
type DevianceEvent struct {
	Form      []string `json:"form"`
	Substance string   `json:"substance"`
}

// DeadlineWarnedEvent: little time is left before DueAt; the owner was told.
type DeadlineWarnedEvent struct {
	DueAt time.Time `json:"due_at"`
}

// DeadlineBreachedEvent: DueAt passed unresolved; the priority rose from
// FromPriority to ToPriority ("P1" to "P4"). Promised when the customer
// had been promised that date.
type DeadlineBreachedEvent struct {
	DueAt        time.Time `json:"due_at"`
	FromPriority string    `json:"from_priority"`
	ToPriority   string    `json:"to_priority"`
	Promised     bool      `json:"promised"`
}

// DoubleDeviationEvent: the recovery itself failed (Reason is
// DoubleDeviationPromise or DoubleDeviationRecovery); the complaint is P1,
// due at DueAt. A missed promise gives MissedDueAt; a negative recovery
// survey gives its ResponseID, the priorities and whether it Reopened.
type DoubleDeviationEvent struct {
	Reason       string     `json:"reason"`
	MissedDueAt  *time.Time `json:"missed_due_at,omitempty"`
	ResponseID   int64      `json:"response_id,omitempty"`
	FromPriority string     `json:"from_priority,omitempty"`
	ToPriority   string     `json:"to_priority,omitempty"`
	DueAt        time.Time  `json:"due_at"`
	Reopened     bool       `json:"reopened"`
}

// RecoveryPositiveEvent: the recovery survey (reply ResponseID) came back
// positive.
type RecoveryPositiveEvent struct {
	ResponseID int64 `json:"response_id"`
}

// CommentCorrectedEvent: an agent corrected the reading of the comment.
// Correction is the corrections package's kind (not_complaint,
// missed_public, missed_legal, missed_leave); Opened when the correction is
// what opened the complaint.
type CommentCorrectedEvent struct {
	Correction string `json:"correction"`
	Opened     bool   `json:"opened,omitempty"`
}

// ReplyCompletedEvent: the customer answered more of the survey (reply
// ResponseID; Completed when every scale question is now answered) and the
// reply was scored again, Negative or not. The priority went from
// FromPriority to ToPriority (the same when it did not rise), due at DueAt;
// Escalations are the signals the new answers added. Resolved when the
// complaint was already resolved: nothing else changed, it was not
// reopened.
type ReplyCompletedEvent struct {
	ResponseID   int64                `json:"response_id"`
	Completed    bool                 `json:"completed"`
	Negative     bool                 `json:"negative"`
	FromPriority string               `json:"from_priority"`
	ToPriority   string               `json:"to_priority"`
	DueAt        time.Time            `json:"due_at,omitempty"`
	Escalations  []surveys.SignalKind `json:"escalations,omitempty"`
	Resolved     bool                 `json:"resolved,omitempty"`
}

// CustomerEmailedEvent: the customer replied by email (message MessageID
// of the conversation). Reopened when it reopened the resolved complaint;
// Late when it came after the reopening period (kept, not reopened). The
// priority went FromPriority → ToPriority, due at DueAt, on the new
// Escalations its words showed.
type CustomerEmailedEvent struct {
	MessageID    int64                `json:"message_id"`
	Reopened     bool                 `json:"reopened,omitempty"`
	Late         bool                 `json:"late,omitempty"`
	FromPriority string               `json:"from_priority"`
	ToPriority   string               `json:"to_priority"`
	DueAt        time.Time            `json:"due_at,omitempty"`
	Escalations  []surveys.SignalKind `json:"escalations,omitempty"`
}

// UnknownEvent is an entry of a kind this version does not know (written
// by a later one, or by hand), with its data as stored.
type UnknownEvent struct {
	Name string
	Data map[string]any
}

// Kind implements Event.
func (OpenedEvent) Kind() EventKind { return EventOpened }

// Kind implements Event.
func (AcknowledgedEvent) Kind() EventKind { return EventAcknowledged }

// Kind implements Event.
func (e MessageSentEvent) Kind() EventKind { return MessageEventKind(e.Message, MessageSent) }

// Kind implements Event.
func (e MessageSettledEvent) Kind() EventKind { return MessageEventKind(e.Message, e.State) }

// Kind implements Event.
func (TakenEvent) Kind() EventKind { return EventTaken }

// Kind implements Event.
func (AssignedEvent) Kind() EventKind { return EventAssigned }

// Kind implements Event.
func (ReassignedEvent) Kind() EventKind { return EventReassigned }

// Kind implements Event.
func (NoteEvent) Kind() EventKind { return EventNote }

// Kind implements Event.
func (ReplyEvent) Kind() EventKind { return EventReply }

// Kind implements Event.
func (CompensationEvent) Kind() EventKind { return EventCompensation }

// Kind implements Event.
func (ResolvedEvent) Kind() EventKind { return EventResolved }

// Kind implements Event.
func (ReopenedEvent) Kind() EventKind { return EventReopened }

// Kind implements Event.
func (DevianceEvent) Kind() EventKind { return EventDeviance }

// Kind implements Event.
func (DeadlineWarnedEvent) Kind() EventKind { return EventDeadlineWarned }

// Kind implements Event.
func (DeadlineBreachedEvent) Kind() EventKind { return EventDeadlineBreached }

// Kind implements Event.
func (DoubleDeviationEvent) Kind() EventKind { return EventDoubleDeviation }

// Kind implements Event.
func (RecoveryPositiveEvent) Kind() EventKind { return EventRecoveryPositive }

// Kind implements Event.
func (CommentCorrectedEvent) Kind() EventKind { return EventCommentCorrected }

// Kind implements Event.
func (ReplyCompletedEvent) Kind() EventKind { return EventReplyCompleted }

// Kind implements Event.
func (CustomerEmailedEvent) Kind() EventKind { return EventCustomerEmailed }

// Kind implements Event.
func (CompensationRequestedEvent) Kind() EventKind { return EventCompensationRequested }

// Kind implements Event.
func (CompensationApprovedEvent) Kind() EventKind { return EventCompensationApproved }

// Kind implements Event.
func (CompensationRefusedEvent) Kind() EventKind { return EventCompensationRefused }

// Kind implements Event.
func (e UnknownEvent) Kind() EventKind { return EventKind(e.Name) }

// MarshalJSON stores the data as it was read.
func (e UnknownEvent) MarshalJSON() ([]byte, error) { return json.Marshal(e.Data) }

// EncodeEvent is the data stored with an entry of e's kind.
func EncodeEvent(e Event) (json.RawMessage, error) {
	raw, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode %s entry: %w", e.Kind(), err)
	}
	return raw, nil
}

// DecodeEvent reads the data stored with an entry of kind. A kind it does
// not know gives an UnknownEvent. Empty or null data gives the kind's zero
// payload. On an error the event is still what could be read: fields of a
// wrong type stay empty, the others are filled.
func DecodeEvent(kind string, raw json.RawMessage) (Event, error) {
	switch EventKind(kind) {
	case EventOpened:
		return decodeAs(raw, OpenedEvent{})
	case EventAcknowledged:
		return decodeAs(raw, AcknowledgedEvent{})
	case EventTaken:
		return decodeAs(raw, TakenEvent{})
	case EventAssigned:
		return decodeAs(raw, AssignedEvent{})
	case EventReassigned:
		return decodeAs(raw, ReassignedEvent{})
	case EventNote:
		return decodeAs(raw, NoteEvent{})
	case EventReply:
		return decodeAs(raw, ReplyEvent{})
	case EventCompensation:
		return decodeAs(raw, CompensationEvent{})
	case EventResolved:
		return decodeAs(raw, ResolvedEvent{})
	case EventReopened:
		return decodeAs(raw, ReopenedEvent{})
	case EventDeviance:
		return decodeAs(raw, DevianceEvent{})
	case EventDeadlineWarned:
		return decodeAs(raw, DeadlineWarnedEvent{})
	case EventDeadlineBreached:
		return decodeAs(raw, DeadlineBreachedEvent{})
	case EventDoubleDeviation:
		return decodeAs(raw, DoubleDeviationEvent{})
	case EventRecoveryPositive:
		return decodeAs(raw, RecoveryPositiveEvent{})
	case EventCommentCorrected:
		return decodeAs(raw, CommentCorrectedEvent{})
	case EventReplyCompleted:
		return decodeAs(raw, ReplyCompletedEvent{})
	case EventCustomerEmailed:
		return decodeAs(raw, CustomerEmailedEvent{})
	case EventCompensationRequested:
		return decodeAs(raw, CompensationRequestedEvent{})
	case EventCompensationApproved:
		return decodeAs(raw, CompensationApprovedEvent{})
	case EventCompensationRefused:
		return decodeAs(raw, CompensationRefusedEvent{})
	}
	for _, m := range messageKinds {
		switch state, _ := strings.CutPrefix(kind, m+"_"); {
		case !strings.HasPrefix(kind, m+"_"):
		case state == MessageSent:
			return decodeAs(raw, MessageSentEvent{Message: m})
		case state == MessageSkipped || state == MessageFailed:
			return decodeAs(raw, MessageSettledEvent{Message: m, State: state})
		}
	}
	u := UnknownEvent{Name: kind}
	if err := unmarshal(raw, &u.Data); err != nil {
		return u, fmt.Errorf("decode %s entry: %w", kind, err)
	}
	return u, nil
}

// decodeAs reads raw into the payload e, which may carry what the kind
// told (an email's kind and state).
func decodeAs[E Event](raw json.RawMessage, e E) (Event, error) {
	if err := unmarshal(raw, &e); err != nil {
		return e, fmt.Errorf("decode %s entry: %w", e.Kind(), err)
	}
	return e, nil
}

// unmarshal reads raw into v; nothing stored reads as the zero value.
func unmarshal(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return nil
	}
	return json.Unmarshal(raw, v)
}

// Event decodes the entry. Data that does not fit its kind's payload (a
// row altered by hand) is read as far as it fits; data that cannot be read
// at all gives an UnknownEvent with whatever keys it has, so the trail
// always shows something.
func (a AuditEntry) Event() Event {
	e, err := DecodeEvent(a.Kind, a.Data)
	var typeErr *json.UnmarshalTypeError
	if err == nil || errors.As(err, &typeErr) {
		return e
	}
	u := UnknownEvent{Name: a.Kind}
	_ = unmarshal(a.Data, &u.Data) // not even an object: no details to show
	return u
}
