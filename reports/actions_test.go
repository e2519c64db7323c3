package reports_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/invalid"
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
		_, err := store.CreateAction(ctx, in, reports.Actor{UserID: owner, Manages: true}, now, time.UTC)
		var fe *invalid.FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: %v, want an error on %s", in, err, tc.field)
		}
	}
	// Five wrong fields are five problems in one answer.
	five := reports.ActionInput{Title: " ", Kind: "urgent", Cause: reports.Cause{Kind: reports.CauseRisk, Value: "boredom"},
		DueOn: "30/06/2026", State: "forgotten"}
	_, err := store.CreateAction(ctx, five, reports.Actor{UserID: owner, Manages: true}, now, time.UTC)
	var fs invalid.Fields
	if !errors.As(err, &fs) || fmt.Sprint(fieldsOf(fs)) != "[title kind cause.value owner_id due_on state]" {
		t.Errorf("five wrong fields (and no owner): %v", err)
	}
	a, err := store.CreateAction(ctx, good, reports.Actor{UserID: other, Manages: true}, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if a.StartsOn != "2026-06-10" || a.State != reports.ActionPlanned || a.Owner != "Team lead" || a.Overdue || *a.CreatedBy != other {
		t.Errorf("created: %+v", a)
	}
	b, err := store.CreateAction(ctx, reports.ActionInput{Title: "Train the shop team", Kind: reports.Preventive,
		Cause: reports.Cause{Kind: reports.CauseTouchpoint, Value: "shop"}, OwnerID: other, StartsOn: "2026-05-01", DueOn: "2026-06-01"}, reports.Actor{Manages: true}, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if !b.Overdue || b.Owner != "ops@x.test" || b.CreatedBy != nil {
		t.Errorf("overdue action: %+v", b)
	}
	// Change its state, owner and due date.
	done, owner2, due := reports.ActionDone, owner, "2026-07-15"
	later := now.Add(time.Hour)
	b, err = store.UpdateAction(ctx, b.ID, reports.ActionPatch{State: &done, OwnerID: &owner2, DueOn: &due}, reports.Actor{Manages: true}, later, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if b.State != done || b.OwnerID != owner || b.DueOn != due || b.DoneAt == nil || !b.DoneAt.Equal(later) || b.Overdue {
		t.Errorf("updated: %+v", b)
	}
	bogus := "lost"
	if _, err := store.UpdateAction(ctx, b.ID, reports.ActionPatch{State: &bogus}, reports.Actor{Manages: true}, later, time.UTC); err == nil {
		t.Error("an unknown state must be refused")
	}
	if _, err := store.UpdateAction(ctx, 424242, reports.ActionPatch{State: &done}, reports.Actor{Manages: true}, later, time.UTC); !errors.Is(err, reports.ErrNotFound) {
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
		Cause: reports.Cause{Kind: reports.CauseTouchpoint, Value: "shop"}, OwnerID: owner, StartsOn: "2026-06-01", DueOn: "2026-06-30"}, reports.Actor{Manages: true}, now, time.UTC)
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
		Cause: reports.Cause{Kind: reports.CauseRisk, Value: "temporal"}, OwnerID: owner, StartsOn: "2026-06-01", DueOn: "2026-06-30"}, reports.Actor{Manages: true}, now, time.UTC)
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
		Cause: reports.Cause{Kind: reports.CauseTeam, Value: "north"}, OwnerID: owner, StartsOn: "2026-07-01", DueOn: "2026-07-30"}, reports.Actor{Manages: true}, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if e, err = store.Effectiveness(ctx, future, now, time.UTC); err != nil || e.Verdict != "not_started" {
		t.Errorf("not started: %v %s", err, jsonOf(t, e))
	}
	team, _ := store.CreateAction(ctx, reports.ActionInput{Title: "North", Kind: reports.Preventive,
		Cause: reports.Cause{Kind: reports.CauseTeam, Value: "north"}, OwnerID: owner, StartsOn: "2026-06-01", DueOn: "2026-07-30"}, reports.Actor{Manages: true}, now, time.UTC)
	if e, err = store.Effectiveness(ctx, team, now, time.UTC); err != nil || e.Verdict != "too_few_replies" {
		t.Errorf("no replies about the team: %v %s", err, jsonOf(t, e))
	}
}

// TestActionPlanOwnersProgressTheirOwn: plans are shared across
// departments; their owner, whatever their role, moves their state and
// notes progress; managers do the rest; nobody else changes them.
func TestActionPlanOwnersProgressTheirOwn(t *testing.T) {
	t.Parallel()
	db := testenv.NewSchema(t).DB
	fx := reportfix.New(t, db)
	store := reports.NewStore(db)
	ctx := context.Background()
	agentID := fx.User("agent@x.test", "Agent", "cx")
	marketerID := fx.User("mkt@x.test", "Marketer", "marketing")
	managerID := fx.User("boss@x.test", "Boss", "manager")
	agent, marketer := reports.Actor{UserID: agentID}, reports.Actor{UserID: marketerID}
	manager := reports.Actor{UserID: managerID, Manages: true}
	now := at("2026-06-10T09:00:00Z")
	in := reports.ActionInput{Title: "Call back within 4 hours", Kind: reports.Corrective,
		Cause: reports.Cause{Kind: reports.CauseRisk, Value: "temporal"}, OwnerID: agentID, DueOn: "2026-06-30"}
	if _, err := store.CreateAction(ctx, in, agent, now, time.UTC); !errors.Is(err, reports.ErrNotAllowed) {
		t.Errorf("an owner-to-be creating a plan: %v", err)
	}
	a, err := store.CreateAction(ctx, in, manager, now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	str := func(v string) *string { return &v }
	later := now.Add(time.Hour)

	// Someone else's plan: refused, nothing recorded.
	_, err = store.UpdateAction(ctx, a.ID, reports.ActionPatch{State: str(reports.ActionDone), Note: str("done!")}, marketer, later, time.UTC)
	if !errors.Is(err, reports.ErrNotAllowed) || !strings.Contains(err.Error(), "only its owner (Agent) or a manager") {
		t.Errorf("a marketer on the agent's plan: %v", err)
	}
	// The owner moves it on, with a note.
	got, err := store.UpdateAction(ctx, a.ID, reports.ActionPatch{State: str(reports.ActionInProgress), Note: str("  Rota drafted with the team leads.  ")},
		agent, later, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != reports.ActionInProgress || len(got.Notes) != 1 || got.Notes[0].Body != "Rota drafted with the team leads." ||
		got.Notes[0].State != reports.ActionInProgress || got.Notes[0].Author != "Agent" || *got.Notes[0].AuthorID != agentID ||
		!got.Notes[0].CreatedAt.Equal(later) {
		t.Errorf("owner's progress: %s", jsonOf(t, got))
	}
	// A note alone; then the owner may not touch the dates, the title or
	// the owner (and the state sent with them is not applied either)...
	if got, err = store.UpdateAction(ctx, a.ID, reports.ActionPatch{Note: str("First callbacks made.")}, agent, later.Add(time.Hour), time.UTC); err != nil {
		t.Fatal(err)
	}
	if len(got.Notes) != 2 || got.Notes[0].Body != "First callbacks made." || got.Notes[0].State != "" {
		t.Errorf("a note alone, latest first: %s", jsonOf(t, got.Notes))
	}
	for _, p := range []reports.ActionPatch{
		{State: str(reports.ActionDone), DueOn: str("2026-12-31")},
		{Title: str("Something easier")},
		{Description: str("Less")},
		{StartsOn: str("2026-06-01")},
		{OwnerID: &marketerID},
	} {
		if _, err := store.UpdateAction(ctx, a.ID, p, agent, later, time.UTC); !errors.Is(err, reports.ErrNotAllowed) {
			t.Errorf("owner sending %s: %v", jsonOf(t, p), err)
		}
	}
	// ...but may send them back unchanged (an API client echoing the plan).
	if got, err = store.UpdateAction(ctx, a.ID, reports.ActionPatch{Title: str(a.Title), DueOn: str(a.DueOn), OwnerID: &agentID,
		State: str(reports.ActionDone)}, agent, later, time.UTC); err != nil || got.State != reports.ActionDone || got.DoneAt == nil {
		t.Errorf("owner echoing the plan and marking it done: %v %s", err, jsonOf(t, got))
	}
	var fe *invalid.FieldError
	if _, err := store.UpdateAction(ctx, a.ID, reports.ActionPatch{Note: str(strings.Repeat("x", 2001))}, agent, later, time.UTC); !errors.As(err, &fe) || fe.Field != "note" {
		t.Errorf("a note too long: %v", err)
	}
	// The manager hands it to the marketer: the agent is no longer its owner.
	if _, err := store.UpdateAction(ctx, a.ID, reports.ActionPatch{OwnerID: &marketerID, State: str(reports.ActionInProgress)}, manager, later, time.UTC); err != nil {
		t.Fatal(err)
	}
	if _, err := store.UpdateAction(ctx, a.ID, reports.ActionPatch{Note: str("still mine?")}, agent, later, time.UTC); !errors.Is(err, reports.ErrNotAllowed) {
		t.Errorf("the former owner: %v", err)
	}
	if got, err = store.UpdateAction(ctx, a.ID, reports.ActionPatch{Note: str("Taking over.")}, marketer, later, time.UTC); err != nil || len(got.Notes) != 5 {
		t.Errorf("the new owner's note (5 updates: 2 states, 2 notes, the manager's state): %v %s", err, jsonOf(t, got.Notes))
	}
	// Only a manager deletes; the notes go with the plan.
	if err := store.DeleteAction(ctx, a.ID, marketer); !errors.Is(err, reports.ErrNotAllowed) {
		t.Errorf("the owner deleting: %v", err)
	}
	if err := store.DeleteAction(ctx, a.ID, manager); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Action(ctx, a.ID, "2026-06-10"); !errors.Is(err, reports.ErrNotFound) {
		t.Errorf("deleted plan: %v", err)
	}
	var left int
	if err := db.Get(&left, `SELECT count(*) FROM action_plan_notes`); err != nil || left != 0 {
		t.Errorf("notes left: %d %v", left, err)
	}
	if err := store.DeleteAction(ctx, a.ID, manager); !errors.Is(err, reports.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
}

func fieldsOf(fs invalid.Fields) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Field
	}
	return out
}
