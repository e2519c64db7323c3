package worker

import (
	"context"
	"errors"
	"fmt"

	"github.com/hibiken/asynq"
)

// Client enqueues followup's tasks. It implements scheduler.Enqueuer:
// enqueuing a task whose id is already queued is a no-op.
type Client struct {
	c      *asynq.Client
	queues Queues
}

// NewClient returns a Client on an asynq client.
func NewClient(c *asynq.Client, q Queues) *Client { return &Client{c: c, queues: q} }

// Queues returns the queue names the client enqueues to.
func (c *Client) Queues() Queues { return c.queues }

// EnqueueSendBatch queues the sending of a batch of invitations.
func (c *Client) EnqueueSendBatch(ctx context.Context, batchID int64) error {
	t, err := NewSurveySendTask(c.queues, batchID)
	if err != nil {
		return err
	}
	return c.enqueue(ctx, t)
}

// EnqueueScore queues the scoring of a response.
func (c *Client) EnqueueScore(ctx context.Context, responseID int64) error {
	t, err := NewResponseScoreTask(c.queues, responseID)
	if err != nil {
		return err
	}
	return c.enqueue(ctx, t)
}

func (c *Client) enqueue(ctx context.Context, t *asynq.Task, opts ...asynq.Option) error {
	_, err := c.c.EnqueueContext(ctx, t, opts...)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("enqueue %s: %w", t.Type(), err)
	}
	return nil
}
