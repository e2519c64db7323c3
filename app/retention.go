package app

import (
	"context"
	"time"

	"github.com/followup/followup/scheduler"
)

// retentionJobs is the purge of comments and messages past
// FOLLOWUP_RETENTION_MONTHS, run every hour by the leading scheduler; none
// when it is 0 (kept forever).
func (a *App) retentionJobs() []scheduler.Periodic {
	if a.Cfg.RetentionMonths <= 0 {
		return nil
	}
	return []scheduler.Periodic{{Name: "retention", Every: time.Hour, Run: a.PurgeExpired}}
}

// PurgeExpired replaces the comments and messages older than
// FOLLOWUP_RETENTION_MONTHS at now by "[erased]" (privacy.Service.Purge),
// counts them in followup_retention_purged_total and logs what it did.
func (a *App) PurgeExpired(ctx context.Context, now time.Time) error {
	p, err := a.Privacy.Purge(ctx, now, a.Cfg.RetentionMonths)
	if err != nil {
		return err
	}
	for kind, n := range p.Rows {
		if n > 0 {
			a.Metrics.RetentionPurged.WithLabelValues(kind).Add(float64(n))
		}
	}
	if p.Total() > 0 {
		a.Log.Info("comments and messages purged past the retention period", "months", a.Cfg.RetentionMonths,
			"cutoff", p.Cutoff, "responses", p.Rows["responses"], "complaint_messages", p.Rows["complaint_messages"],
			"inbound_messages", p.Rows["inbound_messages"], "alerts", p.Rows["alerts"])
	}
	return nil
}
