package worker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hibiken/asynq"
)

// scrubPage is how many tasks of one state ScrubTasks reads at a time.
const scrubPage = 500

// ScrubTasks deletes, from every state of every queue of this deployment
// (pending, scheduled, retry, archived, completed), the tasks whose
// payload or last error mentions one of needles, ignoring case: an erased
// customer's address quoted by an SMTP error, say. Payloads carry ids
// only (a test checks it), so in practice it is the errors that are
// found. Deleting loses no work: the reconciler enqueues again from
// PostgreSQL whatever is still due. It returns how many tasks it deleted.
func (c *Client) ScrubTasks(ctx context.Context, needles []string) (int, error) {
	var lower [][]byte
	for _, n := range needles {
		if n = strings.TrimSpace(n); n != "" {
			lower = append(lower, []byte(strings.ToLower(n)))
		}
	}
	if len(lower) == 0 {
		return 0, nil
	}
	mentions := func(t *asynq.TaskInfo) bool {
		p, e := bytes.ToLower(t.Payload), []byte(strings.ToLower(t.LastErr))
		for _, n := range lower {
			if bytes.Contains(p, n) || bytes.Contains(e, n) {
				return true
			}
		}
		return false
	}
	lists := []struct {
		state string
		list  func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error)
	}{
		{"pending", c.insp.ListPendingTasks}, {"scheduled", c.insp.ListScheduledTasks}, {"retry", c.insp.ListRetryTasks},
		{"archived", c.insp.ListArchivedTasks}, {"completed", c.insp.ListCompletedTasks},
	}
	deleted := 0
	q := c.queues
	for _, queue := range []string{q.Critical(), q.Default(), q.Low()} {
		for _, l := range lists {
			var found []string
			for page := 1; ; page++ {
				if err := ctx.Err(); err != nil {
					return deleted, err
				}
				tasks, err := l.list(queue, asynq.PageSize(scrubPage), asynq.Page(page))
				if errors.Is(err, asynq.ErrQueueNotFound) {
					break
				}
				if err != nil {
					return deleted, fmt.Errorf("list %s tasks of queue %s: %w", l.state, queue, err)
				}
				for _, t := range tasks {
					if mentions(t) {
						found = append(found, t.ID)
					}
				}
				if len(tasks) < scrubPage {
					break
				}
			}
			for _, id := range found {
				err := c.insp.DeleteTask(queue, id)
				if err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
					return deleted, fmt.Errorf("delete %s task %s of queue %s: %w", l.state, id, queue, err)
				}
				if err == nil {
					deleted++
				}
			}
		}
	}
	return deleted, nil
}
