package worker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/replies"
	"github.com/followup/followup/surveys"
)

// ScoreHandler scores a response stored without its scores (the survey page
// scores inline; this task is the path for anything else, and the
// reconciler's) and, when it is negative, opens its complaint, both in one
// transaction. Run twice or concurrently, it scores once and opens one
// complaint.
type ScoreHandler struct {
	Replies *replies.Service
	Log     *slog.Logger
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

// Score scores one response and opens its complaint when negative.
func (h *ScoreHandler) Score(ctx context.Context, responseID int64) (replies.Outcome, error) {
	out, err := h.Replies.Score(ctx, responseID)
	if err != nil {
		return out, err
	}
	if out.Complaint != nil && out.Complaint.Created {
		h.Log.Info("complaint opened", "complaint", out.Complaint.ID, "response", responseID,
			"priority", out.Complaint.Priority.String(), "due_at", out.Complaint.DueAt)
	}
	return out, nil
}
