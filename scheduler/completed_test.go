package scheduler_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/followup/followup/scheduler"
)

// TestOneOffCompletes: a one-off that ran, every invitation held by the
// frequency cap, is completed: its stats say so, it cannot be paused or
// resumed, editing it (a new date included) never makes it run again, and
// archiving it still works and says how many invitations it withdrew.
func TestOneOffCompletes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 18, 8, 0, 0, 0, time.UTC)
	for _, ref := range []string{"a", "b", "c"} {
		f.customer(t, "held-"+ref, "vip", "en", "visit", "store", now.AddDate(0, 0, -3))
	}
	f.customer(t, "fresh", "vip", "en", "visit", "store", now.AddDate(0, 0, -3))
	if _, err := f.schema.DB.Exec(`INSERT INTO customer_contacts (customer_id, last_contacted_at, last_contact_invitation_id)
SELECT id, $1, 0 FROM customers WHERE external_ref LIKE 'held-%'`, now.AddDate(0, 0, -5)); err != nil {
		t.Fatal(err)
	}
	runAt := now.Add(time.Hour)
	// A window that opens tomorrow, so the fresh customer's invitation waits.
	window := scheduler.SendWindow{StartHour: 9, EndHour: 10, Weekdays: []time.Weekday{time.Friday}}
	once, err := f.store.Create(ctx, scheduler.Campaign{Name: "VIP once", SurveyID: f.survey.ID, State: scheduler.StateActive,
		Trigger: scheduler.TriggerOnce, RunAt: &runAt, ScheduleTimeZone: "UTC", Window: window, FrequencyCapDays: 30,
		Audience: scheduler.Audience{Segments: []string{"vip"}}}, now)
	if err != nil {
		t.Fatal(err)
	}
	if once.Status() != scheduler.StateActive {
		t.Fatalf("before its run: %s", once.Status())
	}
	after := runAt.Add(time.Minute)
	if runs, err := f.store.RunAudiences(ctx, after); err != nil || len(runs) != 1 {
		t.Fatalf("run: %v %v", runs, err)
	}
	c, err := f.store.Get(ctx, once.ID)
	if err != nil || c.Status() != scheduler.StatusCompleted || c.LastRunAt == nil || !c.LastRunAt.Equal(runAt) {
		t.Fatalf("after its run: %s, ran %v (%v)", c.Status(), c.LastRunAt, err)
	}
	st, err := f.store.Stats(ctx, once.ID, 1, after)
	if err != nil || st.Invited != 4 || st.Sent != 0 || st.Scheduled != 1 || st.Suppressed[scheduler.ReasonFrequencyCap] != 3 {
		t.Fatalf("stats of the run: %+v %v", st, err)
	}

	for _, action := range []string{"pause", "resume", "activate"} {
		var te *scheduler.TransitionError
		if _, err := f.store.Transition(ctx, once.ID, action, after); !errors.As(err, &te) || te.State != scheduler.StatusCompleted {
			t.Errorf("%s a completed one-off: %v", action, err)
		}
	}
	// Edited with a new date, it still never runs again.
	later := after.Add(24 * time.Hour)
	c.RunAt = &later
	if c, err = f.store.Update(ctx, once.ID, c, after); err != nil || c.NextRunAt != nil || c.Status() != scheduler.StatusCompleted {
		t.Fatalf("edit a completed one-off: next %v, %s (%v)", c.NextRunAt, c.Status(), err)
	}
	if runs, err := f.store.RunAudiences(ctx, later.Add(time.Hour)); err != nil || len(runs) != 0 {
		t.Fatalf("a completed one-off ran again: %v %v", runs, err)
	}

	if n, err := f.store.Withdrawable(ctx, once.ID); err != nil || n != 1 {
		t.Fatalf("withdrawable: %d %v", n, err)
	}
	c, withdrawn, err := f.store.Archive(ctx, once.ID, after)
	if err != nil || withdrawn != 1 || c.Status() != scheduler.StateArchived {
		t.Fatalf("archive: %s, withdrew %d (%v)", c.Status(), withdrawn, err)
	}
	if n, _ := f.store.Withdrawable(ctx, once.ID); n != 0 {
		t.Errorf("still withdrawable after archiving: %d", n)
	}
	if _, n, err := f.store.Archive(ctx, once.ID, after); n != 0 || err == nil {
		t.Errorf("archive twice: %d %v", n, err)
	}
}
