package main

import (
	"context"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/worker"
)

// drillArchive: a survey:send task archived by hand (asynq's Inspector, as
// an operator in asynqmon would, or as asynq does itself after the last
// retry). The scheduler enqueues the campaign's batches while no worker
// runs; one pending batch task is archived; then the worker starts. The
// reconciler must see from PostgreSQL that the batch is still to send and
// revive it.
func drillArchive(ctx context.Context, e *env) *outcome {
	return runCampaign(ctx, e, "archived-task", false, func(ctx context.Context, r *campaignRun) error {
		opt, err := asynq.ParseRedisURI(e.redis.URL())
		if err != nil {
			return err
		}
		insp := asynq.NewInspector(opt)
		defer insp.Close()
		queue := worker.Queues{}.Default()
		var task *asynq.TaskInfo
		for deadline := time.Now().Add(time.Minute); task == nil; {
			tasks, err := insp.ListPendingTasks(queue)
			if err == nil {
				for _, t := range tasks {
					if t.Type == worker.TypeSurveySend {
						task = t
						break
					}
				}
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("no pending %s task in queue %q after a minute", worker.TypeSurveySend, queue)
			}
			if err := sleep(ctx, 100*time.Millisecond); err != nil {
				return err
			}
		}
		if err := insp.ArchiveTask(queue, task.ID); err != nil {
			return fmt.Errorf("archive %s: %w", task.ID, err)
		}
		var batch int64
		var size int
		_ = e.db.GetContext(ctx, &batch, `SELECT (regexp_match($1, '(\d+)$'))[1]::bigint`, task.ID)
		_ = e.db.GetContext(ctx, &size, `SELECT count(*) FROM invitations WHERE batch_id = $1`, batch)
		r.out.note("archived task %s (batch %d, %d invitations) before any worker ran", task.ID, batch, size)
		return r.restartWorker()
	})
}
