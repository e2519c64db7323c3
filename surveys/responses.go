package surveys

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
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
}

// Answered reports whether the invitation already has its response.
func (i Invitation) Answered() bool { return i.ResponseID != nil }

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

// Invitation loads an invitation for its survey page.
func (s *Store) Invitation(ctx context.Context, id int64) (Invitation, error) {
	var inv Invitation
	err := s.db.GetContext(ctx, &inv, `SELECT i.id, i.customer_id, i.survey_version_id, i.state, c.state AS campaign_state,
			i.expires_at, cu.name AS customer_name, cu.locale, r.id AS response_id
		FROM invitations i
		JOIN campaigns c ON c.id = i.campaign_id
		JOIN customers cu ON cu.id = i.customer_id
		LEFT JOIN responses r ON r.invitation_id = i.id
		WHERE i.id = $1`, id)
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

// Submit stores the answers to an invitation and marks it answered. A second
// submission keeps the first response.
func (s *Store) Submit(ctx context.Context, inv Invitation, sv *Survey, answers Answers, locale string, now time.Time) (Submitted, error) {
	raw, err := json.Marshal(answers)
	if err != nil {
		return Submitted{}, fmt.Errorf("encode answers: %w", err)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return Submitted{}, fmt.Errorf("submit invitation %d: %w", inv.ID, err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.GetContext(ctx, &id, `INSERT INTO responses (invitation_id, customer_id, survey_version_id, locale, answers, comment, submitted_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (invitation_id) DO NOTHING RETURNING id`,
		inv.ID, inv.CustomerID, sv.VersionID, locale, raw, sv.Comment(answers), now)
	if errors.Is(err, sql.ErrNoRows) {
		if err := tx.GetContext(ctx, &id, `SELECT id FROM responses WHERE invitation_id = $1`, inv.ID); err != nil {
			return Submitted{}, fmt.Errorf("existing response of invitation %d: %w", inv.ID, err)
		}
		return Submitted{ResponseID: id}, nil
	}
	if err != nil {
		return Submitted{}, fmt.Errorf("insert response to invitation %d: %w", inv.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invitations SET state = 'answered', answered_at = $2, next_reminder_at = NULL, updated_at = now()
		WHERE id = $1 AND state IN ('sent', 'queued', 'sending')`, inv.ID, now); err != nil {
		return Submitted{}, fmt.Errorf("mark invitation %d answered: %w", inv.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return Submitted{}, fmt.Errorf("submit invitation %d: %w", inv.ID, err)
	}
	return Submitted{ResponseID: id, Created: true}, nil
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
}

// LockUnscored loads a response that is not scored yet and locks it until
// tx ends, so two scoring runs cannot both score it. ok is false when the
// response is already scored.
func (s *Store) LockUnscored(ctx context.Context, tx *sqlx.Tx, responseID int64) (r Response, ok bool, err error) {
	err = tx.GetContext(ctx, &r, `SELECT id, invitation_id, customer_id, survey_version_id, locale, comment, submitted_at, answers
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

// SaveScore records a response's scores.
func (s *Store) SaveScore(ctx context.Context, tx *sqlx.Tx, responseID int64, res Result, now time.Time) error {
	reasons, err := json.Marshal(res.Reasons)
	if err != nil {
		return fmt.Errorf("encode reasons: %w", err)
	}
	score := func(d Dimension) any {
		if v, ok := res.Scores[d]; ok {
			return v
		}
		return nil
	}
	var category any
	if res.NPSCategory != "" {
		category = res.NPSCategory
	}
	_, err = tx.ExecContext(ctx, `UPDATE responses SET scored_at = $2, score_distributive = $3, score_procedural = $4,
		score_interactional = $5, score_overall = $6, nps = $7, nps_category = $8, negative = $9, reasons = $10
		WHERE id = $1`, responseID, now, score(Distributive), score(Procedural), score(Interactional), score(Overall),
		res.NPS, category, res.Negative, reasons)
	if err != nil {
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
