package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/scheduler"
)

// TypeInboundParse parses and routes one stored inbound message.
const TypeInboundParse = "inbound:parse"

// InboundParsePayload names the stored message.
type InboundParsePayload struct {
	MessageID int64 `json:"message_id"`
}

// NewInboundParseTask builds the task parsing message id. Its task id is
// the message's: queued twice (by the listener and the reconciler), it
// runs once.
func NewInboundParseTask(q Queues, id int64) (*asynq.Task, error) {
	b, err := json.Marshal(InboundParsePayload{MessageID: id})
	if err != nil {
		return nil, fmt.Errorf("encode %s payload: %w", TypeInboundParse, err)
	}
	return asynq.NewTask(TypeInboundParse, b,
		asynq.TaskID(taskID(TypeInboundParse, id)),
		asynq.Queue(q.Critical()),
		asynq.MaxRetry(20),
		asynq.Timeout(time.Minute),
	), nil
}

// EnqueueInboundParse queues the parsing of a stored inbound message.
func (c *Client) EnqueueInboundParse(ctx context.Context, id int64) error {
	_, err := c.RequeueInboundParse(ctx, id)
	return err
}

// RequeueInboundParse queues the parsing of a stored inbound message,
// reviving its task if asynq archived it, and says what it did.
func (c *Client) RequeueInboundParse(ctx context.Context, id int64) (scheduler.Outcome, error) {
	t, err := NewInboundParseTask(c.queues, id)
	if err != nil {
		return 0, err
	}
	return c.put(ctx, t, c.queues.Critical(), taskID(TypeInboundParse, id))
}

// InboundRouter parses and routes one stored message (route.Router).
type InboundRouter interface {
	Process(ctx context.Context, id int64) error
}

// InboundHandler runs TypeInboundParse.
type InboundHandler struct {
	Router InboundRouter
}

// ProcessTask implements asynq.Handler for TypeInboundParse.
func (h *InboundHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p InboundParsePayload
	if err := decode(t, &p); err != nil {
		return err
	}
	return h.Router.Process(ctx, p.MessageID)
}
