package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/followup/followup/reports"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/worker"
)

// reportLocation is where report days and weeks begin.
func (a *App) reportLocation() *time.Location {
	if a.Cfg.Reports.TimeZone == nil {
		return time.UTC
	}
	return a.Cfg.Reports.TimeZone
}

// Barometer builds the barometer from the configuration.
func (a *App) Barometer() *reports.Barometer {
	th := make([]reports.Threshold, len(a.Cfg.Reports.Barometer))
	for i, r := range a.Cfg.Reports.Barometer {
		th[i] = reports.Threshold{Indicator: r.Indicator, Op: r.Op, Value: r.Value}
	}
	return &reports.Barometer{Store: a.Reports, Alerts: a.Alerts, Thresholds: th, Window: a.Cfg.Reports.BarometerWindow,
		MinSample: a.Cfg.Reports.BarometerMinSample, Locale: a.Cfg.Reports.Locale, Link: a.Cfg.BaseURL.String() + "/manager/"}
}

// CheckBarometer records the barometer's breaches and clearings at now
// and enqueues the alerts it raised, after they committed (the alert
// reconciler retries an enqueue that fails).
func (a *App) CheckBarometer(ctx context.Context, now time.Time) error {
	b := a.Barometer()
	if len(b.Thresholds) == 0 {
		return nil
	}
	res, err := b.Check(ctx, now)
	if err != nil {
		return err
	}
	for _, br := range res.Opened {
		a.Log.Warn("barometer out of range", "indicator", br.Indicator, "value", br.Value, "op", br.Op, "threshold", br.Threshold)
	}
	for _, br := range res.Cleared {
		a.Log.Info("barometer back in range", "indicator", br.Indicator, "reason", br.ClearedReason)
	}
	for _, id := range res.AlertIDs {
		if err := a.Queue.EnqueueAlert(ctx, id); err != nil {
			return fmt.Errorf("enqueue barometer alert: %w", err)
		}
	}
	return nil
}

// ScheduleWeeklyReport enqueues the weekly report when one is due and not
// sent yet: PostgreSQL remembers the weeks sent, the task id the week
// queued, so a fail-over or a restart never mails a week twice.
func (a *App) ScheduleWeeklyReport(ctx context.Context, now time.Time) error {
	sc := a.Cfg.Reports.Weekly
	week, due := reports.Schedule{Off: sc.Off, Weekday: sc.Weekday, Hour: sc.Hour, Minute: sc.Minute}.DueWeek(now, a.reportLocation())
	if !due {
		return nil
	}
	pending, err := a.Reports.OpenWeeklyReport(ctx, week, now)
	if err != nil || !pending {
		return err
	}
	return a.Queue.EnqueueReport(ctx, week.String())
}

// reportJobs are the external loop's periodic jobs, run by the leading
// scheduler.
func (a *App) reportJobs() []scheduler.Periodic {
	return []scheduler.Periodic{
		{Name: "barometer", Every: time.Minute, Run: a.CheckBarometer},
		{Name: "weekly report", Every: time.Minute, Run: a.ScheduleWeeklyReport},
	}
}

func (a *App) reportHandler(log *slog.Logger) *worker.ReportHandler {
	return &worker.ReportHandler{Reports: a.Reports, Users: a.Users, Templates: a.Templates, Mail: a.Mail,
		Base: a.Cfg.BaseURL.String(), Locale: a.Cfg.Reports.Locale, Location: a.reportLocation(), Clock: a.Clock, Log: log}
}
