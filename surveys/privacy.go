package surveys

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// ExportedResponse is a reply as a customer's export shows it: their
// answers and comment with the product's reading of them.
type ExportedResponse struct {
	ID                 int64           `db:"id" json:"id"`
	InvitationID       int64           `db:"invitation_id" json:"invitation_id"`
	Survey             string          `db:"survey" json:"survey"`
	Locale             string          `db:"locale" json:"locale"`
	SubmittedAt        time.Time       `db:"submitted_at" json:"submitted_at"`
	Completed          bool            `db:"completed" json:"completed"`
	Answers            json.RawMessage `db:"answers" json:"answers"`
	Comment            string          `db:"comment" json:"comment"`
	ScoreOverall       *float64        `db:"score_overall" json:"score_overall,omitempty"`
	ScoreDistributive  *float64        `db:"score_distributive" json:"score_distributive,omitempty"`
	ScoreProcedural    *float64        `db:"score_procedural" json:"score_procedural,omitempty"`
	ScoreInteractional *float64        `db:"score_interactional" json:"score_interactional,omitempty"`
	NPS                *int            `db:"nps" json:"nps,omitempty"`
	Negative           *bool           `db:"negative" json:"negative,omitempty"`
	Reasons            json.RawMessage `db:"reasons" json:"reasons"`
	Signals            json.RawMessage `db:"signals" json:"signals"`
	RiskEvidence       json.RawMessage `db:"risk_evidence" json:"risk_evidence"`
}

// ExportResponses returns every reply of a customer, oldest first.
func (s *Store) ExportResponses(ctx context.Context, tx sqlx.QueryerContext, customerID int64) ([]ExportedResponse, error) {
	out := []ExportedResponse{}
	err := sqlx.SelectContext(ctx, tx, &out, `SELECT r.id, r.invitation_id, sv.slug AS survey, r.locale, r.submitted_at, r.completed,
		r.answers, r.comment, r.score_overall, r.score_distributive, r.score_procedural, r.score_interactional, r.nps, r.negative,
		r.reasons, r.signals, r.risk_evidence
		FROM responses r JOIN survey_versions v ON v.id = r.survey_version_id JOIN surveys sv ON sv.id = v.survey_id
		WHERE r.customer_id = $1 ORDER BY r.submitted_at, r.id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("export replies of customer %d: %w", customerID, err)
	}
	return out, nil
}

// erasedResponses rewrites the replies chosen by where (on r): the comment
// and free-text answers become "[erased]" (an empty one stays empty), the
// customer's words quoted as evidence too; ratings, scores, risks and
// signals' kinds stay, so the reports do not move. Only rows that change
// are written.
const erasedResponses = `WITH e AS (
	SELECT r.id,
		CASE WHEN r.comment = '' THEN '' ELSE '[erased]' END AS comment,
		(SELECT coalesce(jsonb_object_agg(a.k, CASE WHEN q.kind = 'text' AND jsonb_typeof(a.v) = 'string' AND a.v #>> '{}' <> ''
			THEN to_jsonb('[erased]'::text) ELSE a.v END), '{}'::jsonb)
		 FROM jsonb_each(r.answers) AS a(k, v)
		 LEFT JOIN survey_questions q ON q.survey_version_id = r.survey_version_id AND q.key = a.k) AS answers,
		erase_evidence(r.reasons) AS reasons, erase_evidence(r.signals) AS signals, erase_evidence(r.risk_evidence) AS risk_evidence
	FROM responses r WHERE %s)
UPDATE responses r SET comment = e.comment, answers = e.answers, reasons = e.reasons, signals = e.signals, risk_evidence = e.risk_evidence
FROM e WHERE r.id = e.id
	AND (r.comment, r.answers, r.reasons, r.signals, r.risk_evidence) IS DISTINCT FROM (e.comment, e.answers, e.reasons, e.signals, e.risk_evidence)`

// EraseResponses erases what a customer wrote in their replies (see
// erasedResponses), in tx; it returns how many replies changed.
func (s *Store) EraseResponses(ctx context.Context, tx sqlx.ExecerContext, customerID int64) (int64, error) {
	res, err := tx.ExecContext(ctx, fmt.Sprintf(erasedResponses, "r.customer_id = $1"), customerID)
	if err != nil {
		return 0, fmt.Errorf("erase the replies of customer %d: %w", customerID, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// PurgeResponses erases, the same way, what customers wrote in replies
// submitted before cutoff (the retention period); it returns how many
// replies changed.
func (s *Store) PurgeResponses(ctx context.Context, tx sqlx.ExecerContext, cutoff time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, fmt.Sprintf(erasedResponses, "r.submitted_at < $1"), cutoff)
	if err != nil {
		return 0, fmt.Errorf("purge the replies submitted before %s: %w", cutoff.Format(time.RFC3339), err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
