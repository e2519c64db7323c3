package worker

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// Task types, named domain:action.
const (
	TypeSurveySend    = "survey:send"
	TypeResponseScore = "response:score"
)

// Queue weights: complaints and scoring first, survey sends next, reports last.
const (
	QueueCritical = "critical"
	QueueDefault  = "default"
	QueueLow      = "low"
)

// Queues names the queues of one deployment: every name carries the
// deployment's prefix, so deployments sharing a Redis do not mix tasks.
type Queues struct{ Prefix string }

// Critical is the queue of scoring, complaints and alerts.
func (q Queues) Critical() string { return q.Prefix + QueueCritical }

// Default is the queue of survey sends.
func (q Queues) Default() string { return q.Prefix + QueueDefault }

// Low is the queue of reports.
func (q Queues) Low() string { return q.Prefix + QueueLow }

// Weights returns the asynq queue priorities.
func (q Queues) Weights() map[string]int {
	return map[string]int{q.Critical(): 6, q.Default(): 3, q.Low(): 1}
}

// SurveySendPayload asks a worker to send one batch of claimed invitations.
type SurveySendPayload struct {
	BatchID int64 `json:"batch_id"`
}

// NewSurveySendTask builds the task sending batch batchID. Its id is
// derived from the batch, so enqueuing it twice queues it once.
func NewSurveySendTask(q Queues, batchID int64) (*asynq.Task, error) {
	b, err := json.Marshal(SurveySendPayload{BatchID: batchID})
	if err != nil {
		return nil, fmt.Errorf("encode %s payload: %w", TypeSurveySend, err)
	}
	return asynq.NewTask(TypeSurveySend, b,
		asynq.TaskID(taskID(TypeSurveySend, batchID)),
		asynq.Queue(q.Default()),
		asynq.MaxRetry(10),
		asynq.Timeout(5*time.Minute),
	), nil
}

// ResponseScorePayload asks a worker to score one response.
type ResponseScorePayload struct {
	ResponseID int64 `json:"response_id"`
}

// NewResponseScoreTask builds the task scoring response responseID.
func NewResponseScoreTask(q Queues, responseID int64) (*asynq.Task, error) {
	b, err := json.Marshal(ResponseScorePayload{ResponseID: responseID})
	if err != nil {
		return nil, fmt.Errorf("encode %s payload: %w", TypeResponseScore, err)
	}
	return asynq.NewTask(TypeResponseScore, b,
		asynq.TaskID(taskID(TypeResponseScore, responseID)),
		asynq.Queue(q.Critical()),
		asynq.MaxRetry(25),
		asynq.Timeout(time.Minute),
	), nil
}

// decode reads a task payload; a payload that cannot be read is not retried.
func decode(t *asynq.Task, v any) error {
	if err := json.Unmarshal(t.Payload(), v); err != nil {
		return fmt.Errorf("decode %s: %w: %w", t.Type(), err, asynq.SkipRetry)
	}
	return nil
}
