package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/complaints"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/metrics"
)

// TypeComplaintDeadlines checks complaint deadlines: near ones warn their
// owner, breached ones escalate.
const TypeComplaintDeadlines = "complaint:deadlines"

// ComplaintDeadlinesPayload names the minute the check is for.
type ComplaintDeadlinesPayload struct {
	Minute int64 `json:"minute"`
}

// NewComplaintDeadlinesTask builds the check of the minute at. Its task id
// names the minute: a scheduler fail-over queues it once.
func NewComplaintDeadlinesTask(q Queues, at time.Time) (*asynq.Task, error) {
	m := at.Unix() / 60
	b, err := json.Marshal(ComplaintDeadlinesPayload{Minute: m})
	if err != nil {
		return nil, fmt.Errorf("encode %s payload: %w", TypeComplaintDeadlines, err)
	}
	return asynq.NewTask(TypeComplaintDeadlines, b,
		asynq.TaskID(taskID(TypeComplaintDeadlines, m)),
		asynq.Queue(q.Critical()),
		asynq.MaxRetry(3),
		asynq.Timeout(time.Minute),
	), nil
}

// EnqueueDeadlineCheck queues the deadline check of the minute at.
func (c *Client) EnqueueDeadlineCheck(ctx context.Context, at time.Time) error {
	t, err := NewComplaintDeadlinesTask(c.queues, at)
	if err != nil {
		return err
	}
	_, err = c.put(ctx, t, c.queues.Critical(), taskID(TypeComplaintDeadlines, at.Unix()/60))
	return err
}

// DeadlinesHandler runs the deadline check. It is idempotent: each warning
// and breach is recorded once on the complaint.
type DeadlinesHandler struct {
	Loop    *feedback.Loop
	Log     *slog.Logger
	Metrics *metrics.Metrics
}

// ProcessTask implements asynq.Handler for TypeComplaintDeadlines.
func (h *DeadlinesHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	events, err := h.Loop.CheckDeadlines(ctx)
	if err != nil {
		return err
	}
	for _, e := range events {
		if e.Kind != complaints.DeadlineWarned && h.Metrics != nil {
			h.Metrics.DeadlineBreaches.Inc()
		}
		h.Log.Info("complaint deadline", "complaint", e.ComplaintID, "event", e.Kind, "priority", e.To.String())
	}
	return nil
}
