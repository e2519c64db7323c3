package feedback

import (
	"encoding/json"
	"fmt"
	"time"
)

// An alert's data (alerts.data, and the webhook body's "data") is the JSON
// of a typed payload, one per kind; this file is where they are encoded
// and decoded. The keys are a contract with webhook receivers and with
// the rows already stored: keys are only ever added.

// AlertKind names a kind of alert, as stored in alerts.kind and sent to
// webhooks.
type AlertKind string

// The kinds of alerts.
const (
	AlertComplaintOpened  AlertKind = "complaint_opened"
	AlertDeadlineWarned   AlertKind = "deadline_warned"
	AlertDeadlineBreached AlertKind = "deadline_breached"
	AlertDoubleDeviation  AlertKind = "double_deviation"
	// AlertBarometerBreach is raised by package reports when an indicator
	// of the barometer leaves its range.
	AlertBarometerBreach AlertKind = "barometer_breach"
	// AlertWorkStalled is raised by the reconciler when work has waited in
	// PostgreSQL past its expected time; the admins are told.
	AlertWorkStalled AlertKind = "work_stalled"
	// AlertCompensationDecided tells the agent who asked a manager for
	// compensation what the manager decided, and why.
	AlertCompensationDecided AlertKind = "compensation_decided"
	// AlertCustomerReplied: the customer replied by email to a complaint's
	// email; its owner (or the team, when it has none) is told.
	AlertCustomerReplied AlertKind = "customer_replied"
)

// AlertKinds lists every kind of alert; a test checks each round-trips.
var AlertKinds = []AlertKind{AlertComplaintOpened, AlertDeadlineWarned, AlertDeadlineBreached, AlertDoubleDeviation,
	AlertBarometerBreach, AlertWorkStalled, AlertCompensationDecided, AlertCustomerReplied}

// AlertPayload is the data of one kind of alert.
type AlertPayload interface {
	// AlertKind is the alert's kind, stored beside the payload.
	AlertKind() AlertKind
}

// ComplaintOpenedAlert: a complaint was opened; the CX team is told.
type ComplaintOpenedAlert struct {
	// Priority is "P1" to "P4".
	Priority    string    `json:"priority"`
	DueAt       time.Time `json:"due_at"`
	Escalations []string  `json:"escalations"`
	Customer    string    `json:"customer"`
}

// DeadlineAlertData is what the deadline check found on a complaint: its
// deadline DueAt, its priority before (FromPriority) and after (Priority),
// its deadline afterwards (NewDueAt), and who to tell.
type DeadlineAlertData struct {
	DueAt        time.Time `json:"due_at"`
	FromPriority string    `json:"from_priority"`
	Priority     string    `json:"priority"`
	NewDueAt     time.Time `json:"new_due_at"`
	Customer     string    `json:"customer"`
	OwnerID      *int64    `json:"owner_id"`
}

// DeadlineWarnedAlert: little time is left; the owner is told.
type DeadlineWarnedAlert struct{ DeadlineAlertData }

// DeadlineBreachedAlert: the deadline passed unresolved; managers are told.
type DeadlineBreachedAlert struct{ DeadlineAlertData }

// DoubleDeviationAlert: the recovery itself failed; managers are told.
// Reason is complaints.DoubleDeviationPromise or DoubleDeviationRecovery
// (empty in alerts of a missed promise raised before it was recorded).
// Priority is P1 and DueAt the deadline the complaint had when the alert
// was raised: for a missed promise, the deadline missed, with the new one
// in NewDueAt; for a negative recovery survey, the new one, with the reply
// in ResponseID.
type DoubleDeviationAlert struct {
	Reason       string     `json:"reason,omitempty"`
	Priority     string     `json:"priority"`
	DueAt        time.Time  `json:"due_at"`
	FromPriority string     `json:"from_priority,omitempty"`
	NewDueAt     *time.Time `json:"new_due_at,omitempty"`
	Customer     string     `json:"customer,omitempty"`
	OwnerID      *int64     `json:"owner_id,omitempty"`
	ResponseID   int64      `json:"response_id,omitempty"`
}

// BarometerBreachAlert: an indicator of the barometer (Indicator, over the
// last WindowHours, on Sample replies) is Value, out of its range (Op and
// Threshold); BreachID is the breach recorded.
type BarometerBreachAlert struct {
	Indicator   string  `json:"indicator"`
	Value       float64 `json:"value"`
	Op          string  `json:"op"`
	Threshold   float64 `json:"threshold"`
	Sample      int     `json:"sample"`
	WindowHours float64 `json:"window_hours"`
	BreachID    int64   `json:"breach_id"`
}

// WorkStalledAlert: work of one kind (Work: send_batches, responses,
// alerts, complaint_emails) has waited since WaitingSince, WaitedSeconds
// when seen, past the ExpectedSeconds it should take.
type WorkStalledAlert struct {
	Work            string    `json:"work"`
	WaitingSince    time.Time `json:"waiting_since"`
	WaitedSeconds   int64     `json:"waited_seconds"`
	ExpectedSeconds int64     `json:"expected_seconds"`
}

// CompensationDecidedAlert: a manager (DecidedBy) approved or refused the
// compensation (Cents in Currency) that RequesterID asked for GrantID, with
// Reason; Customer is whom it was for.
type CompensationDecidedAlert struct {
	GrantID     int64  `json:"grant_id"`
	Approved    bool   `json:"approved"`
	Cents       int64  `json:"cents"`
	Currency    string `json:"currency"`
	Reason      string `json:"reason"`
	DecidedBy   string `json:"decided_by"`
	RequesterID *int64 `json:"requester_id"`
	Customer    string `json:"customer"`
}

// Recipient is the person the alert is for: the agent who asked.
func (a CompensationDecidedAlert) Recipient() *int64 { return a.RequesterID }

// CustomerRepliedAlert: the customer replied by email to the complaint
// (message MessageID of its conversation); Reopened when that reopened it,
// the priority going FromPriority → Priority.
type CustomerRepliedAlert struct {
	MessageID    int64    `json:"message_id"`
	Customer     string   `json:"customer"`
	Reopened     bool     `json:"reopened"`
	FromPriority string   `json:"from_priority"`
	Priority     string   `json:"priority"`
	Escalations  []string `json:"escalations"`
	OwnerID      *int64   `json:"owner_id"`
}

// UnknownAlert is an alert of a kind this version does not know, with its
// data as stored.
type UnknownAlert struct {
	Name string
	Data map[string]any
}

// AlertKind implements AlertPayload.
func (ComplaintOpenedAlert) AlertKind() AlertKind { return AlertComplaintOpened }

// AlertKind implements AlertPayload.
func (DeadlineWarnedAlert) AlertKind() AlertKind { return AlertDeadlineWarned }

// AlertKind implements AlertPayload.
func (DeadlineBreachedAlert) AlertKind() AlertKind { return AlertDeadlineBreached }

// AlertKind implements AlertPayload.
func (DoubleDeviationAlert) AlertKind() AlertKind { return AlertDoubleDeviation }

// AlertKind implements AlertPayload.
func (BarometerBreachAlert) AlertKind() AlertKind { return AlertBarometerBreach }

// AlertKind implements AlertPayload.
func (WorkStalledAlert) AlertKind() AlertKind { return AlertWorkStalled }

// AlertKind implements AlertPayload.
func (CompensationDecidedAlert) AlertKind() AlertKind { return AlertCompensationDecided }

// AlertKind implements AlertPayload.
func (CustomerRepliedAlert) AlertKind() AlertKind { return AlertCustomerReplied }

// AlertKind implements AlertPayload.
func (a UnknownAlert) AlertKind() AlertKind { return AlertKind(a.Name) }

// MarshalJSON stores the data as it was read.
func (a UnknownAlert) MarshalJSON() ([]byte, error) { return json.Marshal(a.Data) }

// NewAlert is the alert id with p's kind and data; the caller sets the
// rest (audience, complaint, text, time).
func NewAlert(id string, p AlertPayload) (Alert, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return Alert{}, fmt.Errorf("encode %s alert %s: %w", p.AlertKind(), id, err)
	}
	return Alert{ID: id, Kind: string(p.AlertKind()), Data: raw}, nil
}

// Payload decodes the alert's data by its kind; see DecodeAlert.
func (a Alert) Payload() (AlertPayload, error) { return DecodeAlert(a.Kind, a.Data) }

// DecodeAlert reads the data of an alert of kind. A kind it does not know
// gives an UnknownAlert; empty data gives the kind's zero payload.
func DecodeAlert(kind string, raw json.RawMessage) (AlertPayload, error) {
	switch AlertKind(kind) {
	case AlertComplaintOpened:
		return decodeAlertAs(raw, ComplaintOpenedAlert{})
	case AlertDeadlineWarned:
		return decodeAlertAs(raw, DeadlineWarnedAlert{})
	case AlertDeadlineBreached:
		return decodeAlertAs(raw, DeadlineBreachedAlert{})
	case AlertDoubleDeviation:
		return decodeAlertAs(raw, DoubleDeviationAlert{})
	case AlertBarometerBreach:
		return decodeAlertAs(raw, BarometerBreachAlert{})
	case AlertWorkStalled:
		return decodeAlertAs(raw, WorkStalledAlert{})
	case AlertCompensationDecided:
		return decodeAlertAs(raw, CompensationDecidedAlert{})
	case AlertCustomerReplied:
		return decodeAlertAs(raw, CustomerRepliedAlert{})
	}
	u := UnknownAlert{Name: kind}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &u.Data); err != nil {
			return u, fmt.Errorf("decode %s alert: %w", kind, err)
		}
	}
	return u, nil
}

func decodeAlertAs[P AlertPayload](raw json.RawMessage, p P) (AlertPayload, error) {
	if len(raw) == 0 {
		return p, nil
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, fmt.Errorf("decode %s alert: %w", p.AlertKind(), err)
	}
	return p, nil
}
