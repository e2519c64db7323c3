package reports_test

import (
	"context"
	"testing"
	"time"

	"github.com/followup/followup/reports"
)

func TestWeeklyReportContent(t *testing.T) {
	t.Parallel()
	w := newWeeks(t)
	ctx := context.Background()
	owner := w.fx.User("lead@x.test", "Lead", "manager")
	now := at("2026-10-26T07:00:00Z") // Monday after W43
	action := func(title, due, state string) {
		a, err := w.store.CreateAction(ctx, reports.ActionInput{Title: title, Kind: reports.Corrective, OwnerID: owner,
			Cause: reports.Cause{Kind: reports.CauseTouchpoint, Value: "shop"}, StartsOn: "2026-10-01", DueOn: due}, reports.Actor{Manages: true}, now, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if state != "" {
			if _, err := w.store.UpdateAction(ctx, a.ID, reports.ActionPatch{State: &state}, reports.Actor{Manages: true}, now, time.UTC); err != nil {
				t.Fatal(err)
			}
		}
	}
	action("overdue", "2026-10-20", "")
	action("due this week", "2026-11-01", reports.ActionInProgress)
	action("due later", "2026-11-20", "")
	action("done late", "2026-10-20", reports.ActionDone)
	if _, err := w.fx.DB.Exec(`INSERT INTO barometer_breaches (indicator, op, threshold, value, started_at, alert_id)
		VALUES ('satisfaction', '>=', 70, 45, '2026-10-21T09:00:00Z', 'barometer:satisfaction:1')`); err != nil {
		t.Fatal(err)
	}
	week, _ := reports.ParseWeek("2026-W43")
	r, err := w.store.Weekly(ctx, week, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if r.Week != "2026-W43" || r.Previous != "2026-W42" || !r.From.Equal(at("2026-10-19T00:00:00Z")) || !r.To.Equal(at("2026-10-26T00:00:00Z")) {
		t.Errorf("week: %s %s %s %s", r.Week, r.Previous, r.From, r.To)
	}
	if r.This.Replies != 1 || *r.This.Overall != 45 || r.Last.Replies != 0 || r.Last.Overall != nil || r.Complaints.Opened != 1 {
		t.Errorf("figures: this %s last %s", jsonOf(t, r.This), jsonOf(t, r.Last))
	}
	if len(r.TopRisks) != 1 || r.TopRisks[0] != (reports.RiskChange{Risk: "temporal", Replies: 1, Complaints: 1, LastWeek: 0}) {
		t.Errorf("top risks: %+v", r.TopRisks)
	}
	if len(r.WorstTouchpoints) != 1 || r.WorstTouchpoints[0].Key != "courier" {
		t.Errorf("worst touchpoints: %s", jsonOf(t, r.WorstTouchpoints))
	}
	if len(r.DoubleDeviations) != 1 || r.DoubleDeviations[0].ComplaintID != w.lateComp {
		t.Errorf("double deviations: %+v", r.DoubleDeviations)
	}
	if len(r.ActionsOverdue) != 1 || r.ActionsOverdue[0].Title != "overdue" || len(r.ActionsDue) != 1 || r.ActionsDue[0].Title != "due this week" {
		t.Errorf("actions: overdue %+v due %+v", r.ActionsOverdue, r.ActionsDue)
	}
	if len(r.Breaches) != 1 || r.Breaches[0].Indicator != "satisfaction" {
		t.Errorf("breaches: %+v", r.Breaches)
	}
	if len(r.Trend.Points) != reports.TrendWeeks || r.Trend.Points[0].Period != "2026-W36" || r.Trend.Points[5].Replies != 2 || r.Trend.Points[7].Replies != 1 {
		t.Errorf("trend: %s", jsonOf(t, r.Trend.Points))
	}
	if r.Silent.Negative != 1 || len(r.Risks) != 13 {
		t.Errorf("silent %+v, %d risks", r.Silent, len(r.Risks))
	}
}

func TestWeeklyReportIsSentOncePerRecipient(t *testing.T) {
	t.Parallel()
	w := newWeeks(t)
	ctx := context.Background()
	week, _ := reports.ParseWeek("2026-W43")
	now := at("2026-10-26T07:00:00Z")
	pending, err := w.store.OpenWeeklyReport(ctx, week, now)
	if err != nil || !pending {
		t.Fatalf("open: %v %v", pending, err)
	}
	if pending, _ = w.store.OpenWeeklyReport(ctx, week, now.Add(time.Minute)); !pending {
		t.Error("opening twice must keep it pending")
	}
	if err := w.store.MarkWeeklyReportDelivered(ctx, week, "a@x.test", now); err != nil {
		t.Fatal(err)
	}
	if err := w.store.MarkWeeklyReportDelivered(ctx, week, "a@x.test", now); err != nil {
		t.Fatal(err)
	}
	done, complete, err := w.store.WeeklyReportDeliveries(ctx, week)
	if err != nil || !done["a@x.test"] || len(done) != 1 || complete {
		t.Errorf("deliveries: %v %v %v", done, complete, err)
	}
	if err := w.store.FinishWeeklyReport(ctx, week, now); err != nil {
		t.Fatal(err)
	}
	if pending, _ = w.store.OpenWeeklyReport(ctx, week, now); pending {
		t.Error("a finished report is not pending")
	}
	if _, complete, _ = w.store.WeeklyReportDeliveries(ctx, week); !complete {
		t.Error("finished report not complete")
	}
}
