package main

import (
	"context"
	"syscall"
)

// drillRedis: Redis killed (SIGKILL, no persistence: every queued task is
// gone) mid-campaign, and started again empty after o.redisDown.
// PostgreSQL is the source of truth: the reconciler must re-enqueue what
// was lost.
func drillRedis(ctx context.Context, e *env) *outcome {
	return runCampaign(ctx, e, "redis-kill", true, func(ctx context.Context, r *campaignRun) error {
		if err := r.waitProgress(ctx, 0.2); err != nil {
			return err
		}
		busy := r.inFlight()
		e.redis.proc.Signal(syscall.SIGKILL)
		<-e.redis.proc.Done()
		r.out.note("Redis killed with %d SMTP connections busy, down for %s", busy, e.o.redisDown)
		if err := sleep(ctx, e.o.redisDown); err != nil {
			return err
		}
		return e.redis.start(ctx)
	})
}
