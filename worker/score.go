package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"
	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/surveys"
)

// ScoreHandler scores a response on the three dimensions of justice and, when
// it is negative, opens its complaint, both in one transaction. Run twice or
// concurrently, it scores once and opens one complaint: the response row is
// locked while scoring and complaints are unique per response.
type ScoreHandler struct {
	DB         *sqlx.DB
	Surveys    *surveys.Store
	Complaints *complaints.Store
	Clock      clock.Clock
	Log        *slog.Logger
}

// ProcessTask implements asynq.Handler for TypeResponseScore.
func (h *ScoreHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p ResponseScorePayload
	if err := decode(t, &p); err != nil {
		return err
	}
	_, err := h.Score(ctx, p.ResponseID)
	if errors.Is(err, surveys.ErrNotFound) {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	return err
}

// Scored is the outcome of scoring one response.
type Scored struct {
	// AlreadyScored is true when an earlier run did the work.
	AlreadyScored bool
	Result        surveys.Result
	Complaint     *complaints.Opened
}

// Score scores one response and opens its complaint when negative.
func (h *ScoreHandler) Score(ctx context.Context, responseID int64) (Scored, error) {
	tx, err := h.DB.BeginTxx(ctx, nil)
	if err != nil {
		return Scored{}, fmt.Errorf("score response %d: %w", responseID, err)
	}
	defer tx.Rollback()
	resp, ok, err := h.Surveys.LockUnscored(ctx, tx, responseID)
	if err != nil {
		return Scored{}, err
	}
	if !ok {
		return Scored{AlreadyScored: true}, nil
	}
	sv, err := h.Surveys.Version(ctx, resp.SurveyVersionID)
	if err != nil {
		return Scored{}, err
	}
	now := h.Clock.Now()
	out := Scored{Result: sv.Score(resp.Answers)}
	if err := h.Surveys.SaveScore(ctx, tx, responseID, out.Result, now); err != nil {
		return Scored{}, err
	}
	if out.Result.Negative {
		opened, err := h.Complaints.Open(ctx, tx, resp, out.Result, now)
		if err != nil {
			return Scored{}, err
		}
		out.Complaint = &opened
	}
	if err := tx.Commit(); err != nil {
		return Scored{}, fmt.Errorf("score response %d: %w", responseID, err)
	}
	if out.Complaint != nil && out.Complaint.Created {
		h.Log.Info("complaint opened", "complaint", out.Complaint.ID, "response", responseID,
			"priority", out.Complaint.Priority.String(), "due_at", out.Complaint.DueAt)
	}
	return out, nil
}
