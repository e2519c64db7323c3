package surveys

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// ErrWithdrawn is an invitation that can no longer be answered: suppressed,
// failed, expired or its campaign archived. Show 410.
var ErrWithdrawn = errors.New("survey withdrawn")

// Invitation is an invitation as the survey page sees it.
type Invitation struct {
	ID              int64      `db:"id"`
	CustomerID      int64      `db:"customer_id"`
	SurveyVersionID int64      `db:"survey_version_id"`
	State           string     `db:"state"`
	CampaignState   string     `db:"campaign_state"`
	ExpiresAt       *time.Time `db:"expires_at"`
	CustomerName    string     `db:"customer_name"`
	Locale          string     `db:"locale"`
	// ResponseID is set once the survey was answered.
	ResponseID *int64 `db:"response_id"`
	// Negative is the scoring verdict of the response, once scored.
	Negative *bool `db:"negative"`
	// Completed is whether the response answered every scale question;
	// a partial one may be completed through the same link while it lives.
	Completed *bool `db:"completed"`
	// AnnualValueCents and PrejudiceCents are what a complaint about this
	// invitation's reply weighs: the customer's value and, when known, what
	// the failed service cost them.
	AnnualValueCents int64  `db:"annual_value_cents"`
	PrejudiceCents   *int64 `db:"prejudice_cents"`
	// Team is the team that served the customer (the event's), whose
	// calendar a complaint's deadline counts; empty when unknown.
	Team string `db:"team"`
	// ComplaintID is set on a recovery survey: the complaint it follows up.
	ComplaintID *int64 `db:"complaint_id"`
}

// Answered reports whether the invitation already has its response.
func (i Invitation) Answered() bool { return i.ResponseID != nil }

// Partial reports whether the invitation's response left scale questions
// unanswered. A recovery survey's reply is never partial: it judges the
// recovery once.
func (i Invitation) Partial() bool {
	return i.Completed != nil && !*i.Completed && i.ComplaintID == nil
}

// CanComplete says whether the customer may come back now to complete a
// partial response: the link's life bounds it like a first answer.
func (i Invitation) CanComplete(now time.Time) bool {
	return i.Partial() && i.CheckOpen(now) == nil
}

// CheckOpen says whether the invitation can still be answered at now.
func (i Invitation) CheckOpen(now time.Time) error {
	switch {
	case i.State == "suppressed" || i.State == "failed" || i.State == "expired" || i.CampaignState == "archived":
		return ErrWithdrawn
	case i.ExpiresAt != nil && !now.Before(*i.ExpiresAt):
		return ErrLinkExpired
	}
	return nil
}

const invitationSQL = `SELECT i.id, i.customer_id, i.survey_version_id, i.state, c.state AS campaign_state,
			i.expires_at, cu.name AS customer_name, cu.locale, r.id AS response_id, r.negative,
			r.completed, cu.annual_value_cents, e.prejudice_cents, COALESCE(e.team, '') AS team, i.complaint_id
		FROM invitations i
		JOIN campaigns c ON c.id = i.campaign_id
		JOIN customers cu ON cu.id = i.customer_id
		LEFT JOIN service_events e ON e.id = i.event_id
		LEFT JOIN responses r ON r.invitation_id = i.id
		WHERE i.id = $1`

// Invitation loads an invitation for its survey page.
func (s *Store) Invitation(ctx context.Context, id int64) (Invitation, error) {
	st, err := s.stmts.Stmt(ctx, invitationSQL)
	return getInvitation(ctx, st, err, id)
}

// InvitationIn loads an invitation inside tx (a caller holding a
// transaction must not wait for a second connection).
func (s *Store) InvitationIn(ctx context.Context, tx *sqlx.Tx, id int64) (Invitation, error) {
	st, err := s.stmts.In(ctx, tx, invitationSQL)
	return getInvitation(ctx, st, err, id)
}

func getInvitation(ctx context.Context, st *sqlx.Stmt, err error, id int64) (Invitation, error) {
	var inv Invitation
	if err == nil {
		err = st.GetContext(ctx, &inv, id)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return inv, fmt.Errorf("invitation %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return inv, fmt.Errorf("load invitation %d: %w", id, err)
	}
	return inv, nil
}

// Submitted is the outcome of a submission.
type Submitted struct {
	ResponseID int64
	// Created is false when the invitation already had a response: the
	// first one is kept and nothing changes.
	Created bool
}

// scoreColumns are the scoring columns of a response; all null (and
// defaults) when res is nil.
func scoreColumns(res *Result, now time.Time) (map[string]any, error) {
	cols := map[string]any{
		"scored_at": nil, "score_distributive": nil, "score_procedural": nil, "score_interactional": nil,
		"score_overall": nil, "nps": nil, "nps_category": nil, "negative": nil,
		"reasons": []byte("[]"), "signals": []byte("[]"), "risks": pq.StringArray{}, "risk_evidence": []byte("[]"),
	}
	if res == nil {
		return cols, nil
	}
	cols["scored_at"] = now
	for _, d := range []Dimension{Distributive, Procedural, Interactional, Overall} {
		if v, ok := res.Scores[d]; ok {
			cols["score_"+string(d)] = v
		}
	}
	if res.NPS != nil {
		cols["nps"] = *res.NPS
	}
	if res.NPSCategory != "" {
		cols["nps_category"] = res.NPSCategory
	}
	cols["negative"] = res.Negative
	risks := make(pq.StringArray, len(res.Risks))
	for i, r := range res.Risks {
		risks[i] = string(r)
	}
	cols["risks"] = risks
	for key, v := range map[string]any{"reasons": res.Reasons, "signals": res.Signals, "risk_evidence": res.RiskEvidence} {
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", key, err)
		}
		if string(b) == "null" {
			b = []byte("[]")
		}
		cols[key] = b
	}
	return cols, nil
}

// Response is a stored reply, as scoring needs it.
type Response struct {
	ID              int64     `db:"id"`
	InvitationID    int64     `db:"invitation_id"`
	CustomerID      int64     `db:"customer_id"`
	SurveyVersionID int64     `db:"survey_version_id"`
	Locale          string    `db:"locale"`
	Comment         string    `db:"comment"`
	SubmittedAt     time.Time `db:"submitted_at"`
	RawAnswers      []byte    `db:"answers"`
	Answers         Answers   `db:"-"`
	// Negative is the verdict of an earlier scoring, nil when the reply
	// was never judged (LockUnscored finds it set when the reply was sent
	// back to be scored again).
	Negative *bool `db:"negative"`
}

// LockUnscored loads a response that is not scored yet and locks it until
// tx ends, so two scoring runs cannot both score it. ok is false when the
// response is already scored.
func (s *Store) LockUnscored(ctx context.Context, tx *sqlx.Tx, responseID int64) (r Response, ok bool, err error) {
	err = tx.GetContext(ctx, &r, `SELECT id, invitation_id, customer_id, survey_version_id, locale, comment, submitted_at, answers, negative
		FROM responses WHERE id = $1 AND scored_at IS NULL FOR UPDATE`, responseID)
	if errors.Is(err, sql.ErrNoRows) {
		var exists bool
		if err := tx.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM responses WHERE id = $1)`, responseID); err != nil {
			return r, false, fmt.Errorf("response %d: %w", responseID, err)
		}
		if !exists {
			return r, false, fmt.Errorf("response %d: %w", responseID, ErrNotFound)
		}
		return r, false, nil
	}
	if err != nil {
		return r, false, fmt.Errorf("lock response %d: %w", responseID, err)
	}
	if err := json.Unmarshal(r.RawAnswers, &r.Answers); err != nil {
		return r, false, fmt.Errorf("decode answers of response %d: %w", responseID, err)
	}
	return r, true, nil
}

// SaveScore records a response's scores, signals and risks.
func (s *Store) SaveScore(ctx context.Context, tx *sqlx.Tx, responseID int64, res Result, now time.Time) error {
	args, err := scoreColumns(&res, now)
	if err != nil {
		return err
	}
	args["id"] = responseID
	query, params, err := sqlx.Named(`UPDATE responses SET scored_at = :scored_at, score_distributive = :score_distributive,
		score_procedural = :score_procedural, score_interactional = :score_interactional, score_overall = :score_overall,
		nps = :nps, nps_category = :nps_category, negative = :negative, reasons = :reasons, signals = :signals,
		risks = :risks, risk_evidence = :risk_evidence
		WHERE id = :id`, args)
	if err != nil {
		return fmt.Errorf("build score update: %w", err)
	}
	if _, err := tx.ExecContext(ctx, tx.Rebind(query), params...); err != nil {
		return fmt.Errorf("save scores of response %d: %w", responseID, err)
	}
	return nil
}

// Unscored returns responses submitted before cutoff that are still not
// scored: the reconciler enqueues their scoring again.
func (s *Store) Unscored(ctx context.Context, cutoff time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := s.db.SelectContext(ctx, &ids, `SELECT id FROM responses WHERE scored_at IS NULL AND submitted_at < $1
		ORDER BY submitted_at LIMIT $2`, cutoff, limit)
	if err != nil {
		return nil, fmt.Errorf("unscored responses: %w", err)
	}
	return ids, nil
}

// OldestUnscored returns when the oldest response still unscored was
// submitted, or the zero time when every response is scored.
func (s *Store) OldestUnscored(ctx context.Context) (time.Time, error) {
	var t *time.Time
	if err := s.db.GetContext(ctx, &t, `SELECT min(submitted_at) FROM responses WHERE scored_at IS NULL`); err != nil {
		return time.Time{}, fmt.Errorf("oldest unscored response: %w", err)
	}
	if t == nil {
		return time.Time{}, nil
	}
	return *t, nil
}
