package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"image/png"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/app"
	"github.com/followup/followup/clock"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/users"
)

// TestWeeklyReportIsEmailedToManagersOnce runs the leading scheduler's
// periodic jobs on the Monday after week 43 and reads the report from the
// real SMTP server: one email per manager, in French, its two charts
// embedded as PNG parts the HTML shows by cid.
func TestWeeklyReportIsEmailedToManagersOnce(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2026, 10, 26, 8, 0, 0, 0, time.UTC))
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true, Worker: true}, Clock: clk,
		Env: map[string]string{"FOLLOWUP_REPORT_SCHEDULE": "mon 07:00", "FOLLOWUP_REPORT_LOCALE": "fr"}})
	ctx := context.Background()
	fx := reportfix.New(t, h.Schema.DB)
	for i, overall := range []float64{30, 80, 90} {
		fx.Reply(reportfix.Reply{At: time.Date(2026, 10, 20+i, 10, 0, 0, 0, time.UTC), Touchpoint: "courier",
			Distributive: reportfix.Score(overall), Procedural: reportfix.Score(overall), Interactional: reportfix.Score(overall),
			Overall: reportfix.Score(overall), Negative: overall < 50, Risks: []string{"temporal"}})
	}
	manager, _ := h.User(t, users.Manager)
	if _, err := h.App.Users.Create(ctx, users.NewUser{Email: "director@test.example", Name: "Dir", Role: users.Manager, Password: apptest.Password}); err != nil {
		t.Fatal(err)
	}
	h.User(t, users.CX) // not a recipient

	h.App.Runner().Tick(ctx) // the leader's periodic jobs: the report on 2026-W43 is due
	msgs := waitMail(t, h, 2)
	var to []string
	for _, m := range msgs {
		to = append(to, m.To...)
	}
	slices.Sort(to)
	if !slices.Equal(to, []string{"director@test.example", manager.Email}) {
		t.Fatalf("recipients %v, want the two managers", to)
	}
	p, err := msgs[0].Parsed()
	if err != nil {
		t.Fatal(err)
	}
	if p.Subject != "Rapport hebdomadaire, semaine 2026-W43 : satisfaction 66,7/100, 0 réclamations" {
		t.Errorf("subject %q", p.Subject)
	}
	want := []string{"multipart/related", "multipart/alternative", "text/plain", "text/html", "image/png", "image/png"}
	if !slices.Equal(p.Structure, want) {
		t.Fatalf("MIME structure %v, want %v", p.Structure, want)
	}
	for _, part := range p.Parts {
		if part.ContentType != "image/png" {
			continue
		}
		if !strings.Contains(p.HTML(), `src="cid:`+part.ContentID+`"`) || part.Disposition != "inline" {
			t.Errorf("image %q (%s) is not shown inline by the HTML", part.ContentID, part.Disposition)
		}
		if _, err := png.Decode(bytes.NewReader([]byte(part.Body))); err != nil {
			t.Errorf("image %q is not a PNG: %v", part.ContentID, err)
		}
	}
	for _, w := range []string{"Ce qui a changé", "Temporel", "Courier", "Les clients silencieux", "/manager/"} {
		if !strings.Contains(p.Text(), w) {
			t.Errorf("the report lacks %q", w)
		}
	}

	// A new leader (or a restart) finds the week sent and queues nothing.
	waitSent(t, h, "2026-W43")
	h.WaitIdle(t) // the week's task has returned, so asynq has marked it completed
	if err := h.App.ScheduleWeeklyReport(ctx, clk.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspectorFromRedisClient(h.App.Redis)
	pending, err := insp.ListPendingTasks(h.App.Queue.Queues().Low())
	if err != nil {
		t.Fatal(err)
	}
	h.WaitIdle(t) // whatever was queued again has run, and mailed
	info, err := insp.GetTaskInfo(h.App.Queue.Queues().Low(), "feedback:report:2026-W43")
	if err != nil || info.State != asynq.TaskStateCompleted {
		t.Errorf("the week's task: %v %v, want it completed", info, err)
	}
	if len(pending) != 0 || h.Capture.Count() != 2 {
		t.Errorf("%d report tasks pending, %d emails: the week must go out once", len(pending), h.Capture.Count())
	}
}

func waitSent(t *testing.T, h *apptest.Harness, week string) {
	t.Helper()
	wait.Until(t, 10*time.Second, "the report on "+week+" to be marked sent", func() bool {
		var sent bool
		err := h.Schema.DB.Get(&sent, `SELECT sent_at IS NOT NULL FROM weekly_reports WHERE week = $1`, week)
		if err != nil && !errors.Is(err, sql.ErrNoRows) { // no row: the week is not reported yet
			t.Fatalf("the report on %s: %v", week, err)
		}
		return sent
	})
}

// TestBarometerBreachAlertsManagersOnce: satisfaction falls under its
// threshold; the managers get one alert email (the CX team none), however
// often the barometer is checked, and the breach clears when satisfaction
// recovers.
func TestBarometerBreachAlertsManagersOnce(t *testing.T) {
	t.Parallel()
	h := apptest.Start(t, apptest.Options{Roles: &app.Roles{HTTP: true, Worker: true},
		Env: map[string]string{"FOLLOWUP_BAROMETER": "satisfaction>=70", "FOLLOWUP_BAROMETER_MIN_SAMPLE": "2"}})
	ctx := context.Background()
	fx := reportfix.New(t, h.Schema.DB)
	manager, _ := h.User(t, users.Manager)
	h.User(t, users.CX)
	now := time.Now()
	fx.Reply(reportfix.Reply{At: now.Add(-2 * time.Hour), Overall: reportfix.Score(20), Negative: true})
	fx.Reply(reportfix.Reply{At: now.Add(-time.Hour), Overall: reportfix.Score(40), Negative: true})

	h.App.Runner().Tick(ctx) // the leader's periodic jobs check the barometer
	msgs := waitMail(t, h, 1)
	if len(msgs[0].To) != 1 || msgs[0].To[0] != manager.Email {
		t.Fatalf("alert to %v, want the manager alone", msgs[0].To)
	}
	p, _ := msgs[0].Parsed()
	if !strings.HasPrefix(p.Subject, "[followup] Barometer: Satisfaction index (overall) at 30/100, under its threshold of 70/100") {
		t.Errorf("subject %q", p.Subject)
	}
	if !strings.Contains(p.Text(), h.URL+"/manager/") {
		t.Errorf("the alert does not link to the reports: %q", p.Text())
	}
	for range 3 {
		if err := h.App.CheckBarometer(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var alerts, open int
	if err := h.Schema.DB.Get(&alerts, `SELECT count(*) FROM alerts WHERE kind = 'barometer_breach'`); err != nil || alerts != 1 {
		t.Errorf("%d barometer alerts (%v), want 1", alerts, err)
	}
	// Satisfaction recovers: (20 + 40 + 4 × 100) / 6 = 76.7.
	for range 4 {
		fx.Reply(reportfix.Reply{At: now.Add(-time.Minute), Overall: reportfix.Score(100)})
	}
	if err := h.App.CheckBarometer(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := h.Schema.DB.Get(&open, `SELECT count(*) FROM barometer_breaches WHERE cleared_at IS NULL`); err != nil || open != 0 {
		t.Errorf("%d breaches still open (%v)", open, err)
	}
	var cleared float64
	if err := h.Schema.DB.Get(&cleared, `SELECT cleared_value FROM barometer_breaches WHERE cleared_reason = 'in_range'`); err != nil || cleared != 76.67 {
		t.Errorf("cleared at %v (%v), want 76.67", cleared, err)
	}
	if err := h.Schema.DB.Get(&alerts, `SELECT count(*) FROM alerts`); err != nil || alerts != 1 {
		t.Errorf("%d alerts after clearing, want still 1", alerts)
	}
}
