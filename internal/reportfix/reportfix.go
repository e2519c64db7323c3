package reportfix

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/surveys"
)

// Fixture writes report rows into one schema.
type Fixture struct {
	t  testing.TB
	DB *sqlx.DB
	// Survey is the built-in questionnaire every reply answers.
	Survey *surveys.Survey
	// Recovery is the campaign of recovery follow-ups.
	Recovery  int64
	campaigns map[string]int64
	n         int
}

// New prepares db: the built-in survey and the recovery campaign.
func New(t testing.TB, db *sqlx.DB) *Fixture {
	t.Helper()
	sv, err := surveys.NewStore(db).EnsureDefault(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f := &Fixture{t: t, DB: db, Survey: sv, campaigns: map[string]int64{}}
	f.Recovery = f.campaign("recovery follow-up", "recovery")
	return f
}

// Score is a score that may be missing.
func Score(v float64) *float64 { return &v }

// Reply describes a scored reply to a service survey (or, with
// RecoveryOf, to the recovery follow-up of a complaint).
type Reply struct {
	At                          time.Time
	Touchpoint, Channel, Team   string
	Campaign, Segment, Customer string
	// NoEvent is a reply to a survey sent to an audience, not after an event.
	NoEvent                                          bool
	Distributive, Procedural, Interactional, Overall *float64
	Negative                                         bool
	Risks                                            []string
	Answers                                          map[string]any
	// Unscored leaves the reply as stored but not scored yet.
	Unscored bool
	// RecoveryOf makes it the recovery follow-up of this complaint.
	RecoveryOf int64
}

// Send describes a survey sent (and not answered).
type Send struct {
	At                        time.Time
	Touchpoint, Channel, Team string
	Campaign, Segment         string
	NoEvent                   bool
}

func (f *Fixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.DB.Exec(query, args...); err != nil {
		f.t.Fatalf("fixture: %v\n%s", err, query)
	}
}

func (f *Fixture) id(query string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.DB.Get(&id, query, args...); err != nil {
		f.t.Fatalf("fixture: %v\n%s", err, query)
	}
	return id
}

func (f *Fixture) campaign(name, kind string) int64 {
	if id, ok := f.campaigns[name]; ok {
		return id
	}
	id := f.id(`INSERT INTO campaigns (name, survey_id, state, trigger_kind) VALUES ($1, $2, 'active', $3) RETURNING id`,
		name, f.Survey.ID, kind)
	f.campaigns[name] = id
	return id
}

// invitation writes a customer, an event and an invitation sent at sentAt.
func (f *Fixture) invitation(s Send, complaintID int64) (invitationID, customerID int64) {
	f.n++
	if s.Campaign == "" {
		s.Campaign = "after service"
	}
	campaign := f.campaign(s.Campaign, "event")
	if complaintID != 0 {
		campaign = f.Recovery
	}
	customerID = f.id(`INSERT INTO customers (external_ref, email, name, segment) VALUES ($1, $2, $3, $4) RETURNING id`,
		fmt.Sprintf("c%d", f.n), fmt.Sprintf("c%d@x.test", f.n), fmt.Sprintf("Customer %d", f.n), s.Segment)
	var event *int64
	if !s.NoEvent && complaintID == 0 {
		e := f.id(`INSERT INTO service_events (external_id, customer_id, kind, channel, touchpoint, team, occurred_at)
			VALUES ($1, $2, 'delivery', $3, $4, $5, $6) RETURNING id`,
			fmt.Sprintf("e%d", f.n), customerID, s.Channel, s.Touchpoint, s.Team, s.At.Add(-2*time.Hour))
		event = &e
	}
	var complaint *int64
	var occurrence *time.Time
	if complaintID != 0 {
		complaint, occurrence = &complaintID, &s.At
	}
	invitationID = f.id(`INSERT INTO invitations (campaign_id, customer_id, event_id, survey_version_id, state, scheduled_for,
			sent_at, complaint_id, occurrence)
		VALUES ($1, $2, $3, $4, 'sent', $5, $5, $6, $7) RETURNING id`,
		campaign, customerID, event, f.Survey.VersionID, s.At, complaint, occurrence)
	return invitationID, customerID
}

// Sent writes a survey sent at s.At and never answered.
func (f *Fixture) Sent(s Send) {
	f.t.Helper()
	f.invitation(s, 0)
}

// Reply writes a reply submitted at r.At to a survey sent an hour before,
// and returns the response's id.
func (f *Fixture) Reply(r Reply) int64 {
	f.t.Helper()
	inv, cust := f.invitation(Send{At: r.At.Add(-time.Hour), Touchpoint: r.Touchpoint, Channel: r.Channel, Team: r.Team,
		Campaign: r.Campaign, Segment: r.Segment, NoEvent: r.NoEvent}, r.RecoveryOf)
	f.exec(`UPDATE invitations SET state = 'answered', answered_at = $2 WHERE id = $1`, inv, r.At)
	answers := r.Answers
	if answers == nil {
		answers = map[string]any{}
	}
	a, _ := json.Marshal(answers)
	var scored *time.Time
	if !r.Unscored {
		scored = &r.At
	}
	risks := pq.StringArray(r.Risks)
	if risks == nil {
		risks = pq.StringArray{}
	}
	return f.id(`INSERT INTO responses (invitation_id, customer_id, survey_version_id, locale, answers, submitted_at, scored_at,
			score_distributive, score_procedural, score_interactional, score_overall, negative, risks)
		VALUES ($1, $2, $3, 'en', $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		inv, cust, f.Survey.VersionID, a, r.At, scored, r.Distributive, r.Procedural, r.Interactional, r.Overall,
		r.Negative && !r.Unscored, risks)
}

// Complaint describes a complaint opened from a reply; the columns are
// those the CX team's work fills.
type Complaint struct {
	Response       int64
	Priority       int
	OpenedAt       time.Time
	DueAt          time.Time
	Risks          []string
	State          string
	AcknowledgedAt *time.Time
	ResolvedAt     *time.Time
	BreachedAt     *time.Time
	OwnerID        *int64
	DoubleDev      string // '' or recovery_negative or promise_missed
	Recovery       string // '' or positive or negative
	Compensation   int64
	// Spared is a mild case its survey spares the acknowledgement.
	Spared bool
}

// Complaint writes a complaint and returns its id.
func (f *Fixture) Complaint(c Complaint) int64 {
	f.t.Helper()
	if c.Priority == 0 {
		c.Priority = 3
	}
	if c.State == "" {
		c.State = "open"
		if c.ResolvedAt != nil {
			c.State = "resolved"
		}
	}
	risks := pq.StringArray(c.Risks)
	if risks == nil {
		risks = pq.StringArray{}
	}
	id := f.id(`INSERT INTO complaints (response_id, customer_id, state, priority, opened_at, due_at, risks, acknowledged_at,
			resolved_at, deadline_breached_at, owner_id, double_deviation, double_deviation_reason, recovery_outcome,
			compensation_granted_cents, updated_at)
		SELECT $1, customer_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 <> '', $11, $12, $13, $4 FROM responses WHERE id = $1
		RETURNING id`,
		c.Response, c.State, c.Priority, c.OpenedAt, c.DueAt, risks, c.AcknowledgedAt, c.ResolvedAt, c.BreachedAt, c.OwnerID,
		c.DoubleDev, c.Recovery, c.Compensation)
	if c.Spared {
		f.exec(`INSERT INTO complaint_events (complaint_id, kind, created_at) VALUES ($1, 'acknowledgement_skipped', $2)`, id, c.OpenedAt)
	}
	return id
}

// User writes an enabled user of role and returns its id.
func (f *Fixture) User(email, name, role string) int64 {
	f.t.Helper()
	return f.id(`INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, 'x') RETURNING id`, email, name, role)
}
