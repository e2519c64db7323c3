package main

import "context"

// drillSMTP: the SMTP server goes away mid-campaign (listener and every
// connection closed at once, a message in DATA refused) for o.smtpDown,
// then comes back on the same port.
func drillSMTP(ctx context.Context, e *env) *outcome {
	return runCampaign(ctx, e, "smtp-down", true, func(ctx context.Context, r *campaignRun) error {
		if err := r.waitProgress(ctx, 0.2); err != nil {
			return err
		}
		busy := r.inFlight()
		e.sink.stop()
		r.out.note("SMTP server stopped with %d connections busy, down for %s", busy, e.o.smtpDown)
		if err := sleep(ctx, e.o.smtpDown); err != nil {
			return err
		}
		return e.sink.start()
	})
}
