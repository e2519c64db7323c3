package reports_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/reports"
)

func TestActionPlansValidateAndChange(t *testing.T) {
	t.Parallel()
	db := testenv.NewSchema(t).DB
	fx := reportfix.New(t, db)
	store := reports.NewStore(db)
	ctx := context.Background()
	owner := fx.User("lead@x.test", "Team lead", "cx")
	other := fx.User("ops@x.test", "", "manager")
	gone := fx.User("gone@x.test", "Gone", "cx")
	if _, err := db.Exec(`UPDATE users SET disabled_at = now() WHERE id = $1`, gone); err != nil {
		t.Fatal(err)
	}
	now := at("2026-06-10T09:00:00Z")
	good := reports.ActionInput{Title: "Call back within 4 hours", Kind: reports.Corrective,
		Cause: reports.Cause{Kind: reports.CauseRisk, Value: "temporal"}, OwnerID: owner, DueOn: "2026-06-30"}
	bad := []struct {
		change func(*reports.ActionInput)
		field  string
	}{
		{func(in *reports.ActionInput) { in.Title = "  " }, "title"},
		{func(in *reports.ActionInput) { in.Kind = "urgent" }, "kind"},
		{func(in *reports.ActionInput) { in.Cause.Kind = "weather" }, "cause.kind"},
		{func(in *reports.ActionInput) { in.Cause.Value = "boredom" }, "cause.value"},
		{func(in *reports.ActionInput) { in.Cause = reports.Cause{Kind: "touchpoint"} }, "cause.value"},
		{func(in *reports.ActionInput) { in.OwnerID = 0 }, "owner_id"},
		{func(in *reports.ActionInput) { in.OwnerID = gone }, "owner_id"},
		{func(in *reports.ActionInput) { in.OwnerID = 999999 }, "owner_id"},
		{func(in *reports.ActionInput) { in.DueOn = "30/06/2026" }, "due_on"},
		{func(in *reports.ActionInput) { in.DueOn = "2026-06-01" }, "due_on"}, // before it starts (today)
		{func(in *reports.ActionInput) { in.StartsOn = "soon" }, "starts_on"},
		{func(in *reports.ActionInput) { in.State = "forgotten" }, "state"},
	}
	for _, tc := range bad {
		in := good
		tc.change(&in)
		_, err := store.CreateAction(ctx, in, owner, now, time.UTC)
		var fe *reports.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: %v, want an error on %s", in, err, tc.field)
		}
	}
	a, err := store.CreateAction(ctx, good, other, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if a.StartsOn != "2026-06-10" || a.State != reports.ActionPlanned || a.Owner != "Team lead" || a.Overdue || *a.CreatedBy != other {
		t.Errorf("created: %+v", a)
	}
	b, err := store.CreateAction(ctx, reports.ActionInput{Title: "Train the shop team", Kind: reports.Preventive,
		Cause: reports.Cause{Kind: reports.CauseTouchpoint, Value: "shop"}, OwnerID: other, StartsOn: "2026-05-01", DueOn: "2026-06-01"}, 0, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Overdue || b.Owner != "ops@x.test" || b.CreatedBy != nil {
		t.Errorf("overdue action: %+v", b)
	}
	// Change its state, owner and due date.
	done, owner2, due := reports.ActionDone, owner, "2026-07-15"
	later := now.Add(time.Hour)
	b, err = store.UpdateAction(ctx, b.ID, reports.ActionPatch{State: &done, OwnerID: &owner2, DueOn: &due}, later, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if b.State != done || b.OwnerID != owner || b.DueOn != due || b.DoneAt == nil || !b.DoneAt.Equal(later) || b.Overdue {
		t.Errorf("updated: %+v", b)
	}
	bogus := "lost"
	if _, err := store.UpdateAction(ctx, b.ID, reports.ActionPatch{State: &bogus}, later, time.UTC); err == nil {
		t.Error("an unknown state must be refused")
	}
	if _, err := store.UpdateAction(ctx, 424242, reports.ActionPatch{State: &done}, later, time.UTC); !errors.Is(err, reports.ErrNotFound) {
		t.Errorf("missing action: %v", err)
	}
	list, err := store.Actions(ctx, reports.ActionFilter{}, "2026-06-10")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
		t.Errorf("open first: %+v", list)
	}
	if list, err = store.Actions(ctx, reports.ActionFilter{Open: true, CauseKind: reports.CauseRisk}, "2026-06-10"); err != nil || len(list) != 1 {
		t.Errorf("open risk actions: %v %+v", err, list)
	}
	if _, err := store.Actions(ctx, reports.ActionFilter{State: "gone"}, "2026-06-10"); err == nil {
		t.Error("an unknown state filter must be refused")
	}
}

// TestEffectivenessBeforeAndAfter fixes the shop (fewer negative replies
// after the action) and not the delays (more replies showing the risk).
func TestEffectivenessBeforeAndAfter(t *testing.T) {
	t.Parallel()
	db := testenv.NewSchema(t).DB
	fx := reportfix.New(t, db)
	store := reports.NewStore(db)
	ctx := context.Background()
	owner := fx.User("lead@x.test", "Lead", "manager")
	start := at("2026-06-01T00:00:00Z")
	now := start.Add(10 * 24 * time.Hour)
	// 10 days before: 6 shop replies, 4 negative; 10 days after: 6, 1 negative.
	for i := range 6 {
		before := start.Add(-time.Duration(i+1) * 24 * time.Hour)
		after := start.Add(time.Duration(i+1) * 24 * time.Hour)
		fx.Reply(reportfix.Reply{At: before, Touchpoint: "shop", Overall: s(30), Negative: i < 4, Risks: []string{"temporal"}})
		fx.Reply(reportfix.Reply{At: after, Touchpoint: "shop", Overall: s(80), Negative: i < 1, Risks: []string{"temporal"}})
		fx.Reply(reportfix.Reply{At: after, Touchpoint: "web", Overall: s(50), Risks: []string{"temporal"}})
	}
	// Too old to be in the "before" window.
	fx.Reply(reportfix.Reply{At: start.Add(-20 * 24 * time.Hour), Touchpoint: "shop", Overall: s(0), Negative: true})

	shop, err := store.CreateAction(ctx, reports.ActionInput{Title: "Shop queue", Kind: reports.Corrective,
		Cause: reports.Cause{Kind: reports.CauseTouchpoint, Value: "shop"}, OwnerID: owner, StartsOn: "2026-06-01", DueOn: "2026-06-30"}, 0, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	e, err := store.Effectiveness(ctx, shop, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if e.Verdict != "better" || e.Measure != "negative_rate" || e.Before.Figures.Replies != 6 || *e.Before.Figures.NegativeRate != 0.6667 ||
		e.After.Figures.Replies != 6 || *e.After.Figures.NegativeRate != 0.1667 || *e.Before.Figures.Overall != 30 || *e.After.Figures.Overall != 80 {
		t.Errorf("shop: %s", jsonOf(t, e))
	}
	if !e.Before.From.Equal(start.Add(-10*24*time.Hour)) || !e.After.To.Equal(now) {
		t.Errorf("windows: %s", jsonOf(t, e))
	}
	delays, err := store.CreateAction(ctx, reports.ActionInput{Title: "Delays", Kind: reports.Corrective,
		Cause: reports.Cause{Kind: reports.CauseRisk, Value: "temporal"}, OwnerID: owner, StartsOn: "2026-06-01", DueOn: "2026-06-30"}, 0, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	// Every reply shows the risk on both sides: 6 of 6, then 12 of 12.
	if e, err = store.Effectiveness(ctx, delays, now, time.UTC); err != nil {
		t.Fatal(err)
	}
	if e.Verdict != "unchanged" || e.Measure != "risk_rate" || *e.Before.RiskReplies != 6 || *e.After.RiskReplies != 12 || *e.After.RiskRate != 1 {
		t.Errorf("delays: %s", jsonOf(t, e))
	}
	future, err := store.CreateAction(ctx, reports.ActionInput{Title: "Later", Kind: reports.Preventive,
		Cause: reports.Cause{Kind: reports.CauseTeam, Value: "north"}, OwnerID: owner, StartsOn: "2026-07-01", DueOn: "2026-07-30"}, 0, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if e, err = store.Effectiveness(ctx, future, now, time.UTC); err != nil || e.Verdict != "not_started" {
		t.Errorf("not started: %v %s", err, jsonOf(t, e))
	}
	team, _ := store.CreateAction(ctx, reports.ActionInput{Title: "North", Kind: reports.Preventive,
		Cause: reports.Cause{Kind: reports.CauseTeam, Value: "north"}, OwnerID: owner, StartsOn: "2026-06-01", DueOn: "2026-07-30"}, 0, now, time.UTC)
	if e, err = store.Effectiveness(ctx, team, now, time.UTC); err != nil || e.Verdict != "too_few_replies" {
		t.Errorf("no replies about the team: %v %s", err, jsonOf(t, e))
	}
}
