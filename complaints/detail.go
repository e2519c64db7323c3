package complaints

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lib/pq"
)

// Detail is everything a CX agent needs to act on one complaint: the reply
// with its scores, signals and evidence, the risks, why this priority, the
// compensation advice, the customer and their whole history.
type Detail struct {
	Complaint
	PriorityReasons json.RawMessage `json:"priority_reasons"`
	Advice          json.RawMessage `json:"advice"`
	Reply           Reply           `json:"reply"`
	Customer        CustomerCard    `json:"customer"`
	// Event is the service the reply was about, when known.
	Event   *HistoryEvent `json:"event"`
	History History       `json:"history"`
	// Audit is the complaint's own trail.
	Audit []AuditEntry `json:"audit"`
	// Messages are the conversation: the emails the customer got about
	// the complaint and those they sent, with their files.
	Messages []MessageInfo `json:"messages"`
	// Strategy is the suggested way to deal with the complaint's deviance.
	Strategy Strategy `json:"deviance_strategy"`
}

// Reply is the customer's answer behind a complaint.
type Reply struct {
	ID            int64           `db:"id" json:"id"`
	SubmittedAt   time.Time       `db:"submitted_at" json:"submitted_at"`
	Locale        string          `db:"locale" json:"locale"`
	SurveySlug    string          `db:"survey_slug" json:"survey_slug"`
	SurveyVersion int             `db:"survey_version" json:"survey_version"`
	Answers       json.RawMessage `db:"answers" json:"answers"`
	Comment       string          `db:"comment" json:"comment"`
	Distributive  *float64        `db:"score_distributive" json:"score_distributive"`
	Procedural    *float64        `db:"score_procedural" json:"score_procedural"`
	Interactional *float64        `db:"score_interactional" json:"score_interactional"`
	Overall       *float64        `db:"score_overall" json:"score_overall"`
	NPS           *int            `db:"nps" json:"nps"`
	NPSCategory   *string         `db:"nps_category" json:"nps_category"`
	Reasons       json.RawMessage `db:"reasons" json:"reasons"`
	Signals       json.RawMessage `db:"signals" json:"signals"`
	Risks         pq.StringArray  `db:"risks" json:"risks"`
	RiskEvidence  json.RawMessage `db:"risk_evidence" json:"risk_evidence"`
	EventID       *int64          `db:"event_id" json:"-"`
	// Attachments are the files sent with the reply when it came by email
	// (a reply to the survey email).
	Attachments []AttachmentInfo `db:"-" json:"attachments"`
}

// CustomerCard is who the customer is.
type CustomerCard struct {
	ID               int64  `db:"id" json:"id"`
	ExternalRef      string `db:"external_ref" json:"external_ref"`
	Name             string `db:"name" json:"name"`
	Email            string `db:"email" json:"email"`
	Locale           string `db:"locale" json:"locale"`
	Segment          string `db:"segment" json:"segment"`
	TimeZone         string `db:"time_zone" json:"time_zone"`
	AnnualValueCents int64  `db:"annual_value_cents" json:"annual_value_cents"`
	// Currency is the customer's billing currency, empty when unknown.
	Currency   string     `db:"currency" json:"currency,omitempty"`
	OptedOutAt *time.Time `db:"opted_out_at" json:"opted_out_at,omitempty"`
}

// History is what happened with the customer before and around this
// complaint, newest first.
type History struct {
	Events      []HistoryEvent      `json:"events"`
	Invitations []HistoryInvitation `json:"invitations"`
	Replies     []HistoryReply      `json:"replies"`
	// Complaints are the customer's other complaints.
	Complaints []HistoryComplaint `json:"complaints"`
}

// HistoryEvent is a service the customer received.
type HistoryEvent struct {
	ID             int64           `db:"id" json:"id"`
	ExternalID     string          `db:"external_id" json:"external_id"`
	Kind           string          `db:"kind" json:"kind"`
	Channel        string          `db:"channel" json:"channel"`
	Touchpoint     string          `db:"touchpoint" json:"touchpoint"`
	Team           string          `db:"team" json:"team"`
	OccurredAt     time.Time       `db:"occurred_at" json:"occurred_at"`
	PrejudiceCents *int64          `db:"prejudice_cents" json:"prejudice_cents"`
	Attributes     json.RawMessage `db:"attributes" json:"attributes"`
}

// HistoryInvitation is a survey sent, or meant to be sent, to the customer.
type HistoryInvitation struct {
	ID           int64      `db:"id" json:"id"`
	Campaign     string     `db:"campaign" json:"campaign"`
	EventID      *int64     `db:"event_id" json:"event_id"`
	State        string     `db:"state" json:"state"`
	ScheduledFor time.Time  `db:"scheduled_for" json:"scheduled_for"`
	SentAt       *time.Time `db:"sent_at" json:"sent_at"`
	AnsweredAt   *time.Time `db:"answered_at" json:"answered_at"`
	Reason       string     `db:"reason" json:"reason,omitempty"`
}

// HistoryReply is one of the customer's replies.
type HistoryReply struct {
	ID          int64     `db:"id" json:"id"`
	SubmittedAt time.Time `db:"submitted_at" json:"submitted_at"`
	Overall     *float64  `db:"score_overall" json:"score_overall"`
	// The scores per dimension of justice, 0–100, when scored.
	Distributive  *float64 `db:"score_distributive" json:"score_distributive"`
	Procedural    *float64 `db:"score_procedural" json:"score_procedural"`
	Interactional *float64 `db:"score_interactional" json:"score_interactional"`
	NPS           *int     `db:"nps" json:"nps"`
	Negative      *bool    `db:"negative" json:"negative"`
	Comment       string   `db:"comment" json:"comment"`
}

// HistoryComplaint is one of the customer's other complaints.
type HistoryComplaint struct {
	ID         int64      `db:"id" json:"id"`
	ResponseID int64      `db:"response_id" json:"response_id"`
	State      string     `db:"state" json:"state"`
	Priority   Priority   `db:"priority" json:"-"`
	OpenedAt   time.Time  `db:"opened_at" json:"opened_at"`
	DueAt      time.Time  `db:"due_at" json:"due_at"`
	ResolvedAt *time.Time `db:"resolved_at" json:"resolved_at"`
	// CompensationGrantedCents is what the customer was granted for it.
	CompensationGrantedCents int64 `db:"compensation_granted_cents" json:"compensation_granted_cents"`
	// Resolution is what was done, as the customer was told.
	Resolution string `db:"resolution" json:"resolution"`
}

// MarshalJSON shows the priority as "P1".."P4".
func (h HistoryComplaint) MarshalJSON() ([]byte, error) {
	type plain HistoryComplaint
	return json.Marshal(struct {
		plain
		Priority string `json:"priority"`
	}{plain(h), h.Priority.String()})
}

// AuditEntry is one change to the complaint.
type AuditEntry struct {
	Kind      string          `db:"kind" json:"kind"`
	Actor     string          `db:"actor" json:"actor"`
	Data      json.RawMessage `db:"data" json:"data"`
	CreatedAt time.Time       `db:"created_at" json:"created_at"`
}

// MarshalJSON keeps the queue fields flat beside the detail's.
func (d Detail) MarshalJSON() ([]byte, error) {
	base, err := json.Marshal(d.Complaint)
	if err != nil {
		return nil, err
	}
	type rest struct {
		PriorityReasons json.RawMessage `json:"priority_reasons"`
		Advice          json.RawMessage `json:"advice"`
		Reply           Reply           `json:"reply"`
		Customer        CustomerCard    `json:"customer"`
		Event           *HistoryEvent   `json:"event"`
		History         History         `json:"history"`
		Audit           []AuditEntry    `json:"audit"`
		Messages        []MessageInfo   `json:"messages"`
		Strategy        Strategy        `json:"deviance_strategy"`
	}
	more, err := json.Marshal(rest{d.PriorityReasons, d.Advice, d.Reply, d.Customer, d.Event, d.History, d.Audit, d.Messages, d.Strategy})
	if err != nil {
		return nil, err
	}
	return append(append(base[:len(base)-1], ','), more[1:]...), nil
}

// Detail returns one complaint with its reply, assessment, customer and
// history, read in one repeatable-read transaction so the parts agree.
func (s *Store) Detail(ctx context.Context, id int64, now time.Time) (Detail, error) {
	c, err := s.Get(ctx, id, now)
	if err != nil {
		return Detail{}, err
	}
	d := Detail{Complaint: c}
	tx, err := s.db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return Detail{}, fmt.Errorf("complaint %d detail: %w", id, err)
	}
	defer tx.Rollback()
	steps := []step{
		{"assessment", func() error {
			return tx.QueryRowxContext(ctx, `SELECT priority_reasons, advice FROM complaints WHERE id = $1`, id).Scan(&d.PriorityReasons, &d.Advice)
		}},
		{"reply", func() error {
			return tx.GetContext(ctx, &d.Reply, `SELECT r.id, r.submitted_at, r.locale, s.slug AS survey_slug, v.version AS survey_version,
				r.answers, r.comment, r.score_distributive, r.score_procedural, r.score_interactional, r.score_overall,
				r.nps, r.nps_category, r.reasons, r.signals, r.risks, r.risk_evidence, i.event_id
				FROM responses r
				JOIN invitations i ON i.id = r.invitation_id
				JOIN survey_versions v ON v.id = r.survey_version_id
				JOIN surveys s ON s.id = v.survey_id
				WHERE r.id = $1`, c.ResponseID)
		}},
		{"customer", func() error {
			return tx.GetContext(ctx, &d.Customer, `SELECT id, external_ref, name, email, locale, segment, time_zone, annual_value_cents,
				COALESCE(currency, '') AS currency, opted_out_at FROM customers WHERE id = $1`, c.CustomerID)
		}},
		{"audit", func() error {
			return tx.SelectContext(ctx, &d.Audit, `SELECT kind, actor, data, created_at FROM complaint_events
				WHERE complaint_id = $1 ORDER BY id`, id)
		}},
		{"messages", func() error {
			// The customer wrote the emails that came in.
			return tx.SelectContext(ctx, &d.Messages, `SELECT m.id, m.kind, m.direction, m.state, m.subject, m.body, m.send_at, m.sent_at, m.reason,
				CASE WHEN m.direction = 'in' THEN COALESCE(NULLIF(cu.name, ''), cu.email)
				ELSE COALESCE(NULLIF(a.name, ''), a.email, 'followup') END AS author
				FROM complaint_messages m LEFT JOIN users a ON a.id = m.author_id
				JOIN complaints co ON co.id = m.complaint_id JOIN customers cu ON cu.id = co.customer_id
				WHERE m.complaint_id = $1 ORDER BY m.id`, id)
		}},
		{"attachments", func() error { return attachMessages(ctx, tx, id, d.Messages) }},
		{"reply attachments", func() error { return attachReply(ctx, tx, &d.Reply) }},
	}
	steps = append(steps, historySteps(ctx, tx, &d.History, c.CustomerID, id)...)
	for _, st := range steps {
		if err := st.run(); err != nil {
			return Detail{}, fmt.Errorf("complaint %d %s: %w", id, st.what, err)
		}
	}
	if d.Reply.EventID != nil {
		for i := range d.History.Events {
			if d.History.Events[i].ID == *d.Reply.EventID {
				d.Event = &d.History.Events[i]
			}
		}
	}
	nonNil(&d.History)
	if d.Audit == nil {
		d.Audit = []AuditEntry{}
	}
	if d.Messages == nil {
		d.Messages = []MessageInfo{}
	}
	if d.Strategy, err = s.DevianceStrategy(ctx, tx, d.FormDeviance, d.SubstanceDeviance, now); err != nil {
		return Detail{}, fmt.Errorf("complaint %d: %w", id, err)
	}
	if d.FormDeviance == nil {
		d.FormDeviance = []string{}
	}
	return d, nil
}

func nonNil(h *History) {
	if h.Events == nil {
		h.Events = []HistoryEvent{}
	}
	if h.Invitations == nil {
		h.Invitations = []HistoryInvitation{}
	}
	if h.Replies == nil {
		h.Replies = []HistoryReply{}
	}
	if h.Complaints == nil {
		h.Complaints = []HistoryComplaint{}
	}
}
