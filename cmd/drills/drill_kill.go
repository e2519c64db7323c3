package main

import (
	"context"
	"fmt"
	"time"
)

// drillKill: kill -9 of the worker five times during the campaign, each
// time restarted at once, as a supervisor would. Each kill leaves at most
// the messages on the wire unrecorded: one per busy SMTP connection.
func drillKill(ctx context.Context, e *env) *outcome {
	return runCampaign(ctx, e, "kill-worker", true, func(ctx context.Context, r *campaignRun) error {
		for i, frac := range []float64{0.10, 0.25, 0.40, 0.55, 0.70} {
			if err := r.waitProgress(ctx, frac); err != nil {
				return fmt.Errorf("kill %d: %w", i+1, err)
			}
			busy := r.inFlight()
			r.worker.Kill()
			_, unique, _ := e.sink.counts()
			r.out.note("kill %d at %d of %d delivered, %d connections busy", i+1, unique, e.o.n, busy)
			if err := r.restartWorker(); err != nil {
				return err
			}
			if err := sleep(ctx, 500*time.Millisecond); err != nil { // the new worker is up before the next kill
				return err
			}
		}
		return nil
	})
}
