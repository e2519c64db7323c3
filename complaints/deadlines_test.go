package complaints_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/followup/followup/businesshours"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
)

// TestCheckDeadlinesTrail checks that the entries the deadline check writes
// in SQL read back as their payloads, every stored key kept: a warning, a
// breach, and a missed promise (a breach and a double deviation).
func TestCheckDeadlinesTrail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testenv.NewSchema(t)
	f := reportfix.New(t, s.DB)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	complaint := func(p int, due time.Time) int64 {
		r := f.Reply(reportfix.Reply{At: now.Add(-6 * time.Hour), Negative: true})
		return f.Complaint(reportfix.Complaint{Response: r, Priority: p, OpenedAt: now.Add(-6 * time.Hour), DueAt: due})
	}
	near := complaint(1, now.Add(30*time.Minute))
	late := complaint(3, now.Add(-time.Hour))
	promised := complaint(2, now.Add(-time.Hour))
	if _, err := s.DB.Exec(`UPDATE complaints SET promised_due_at = due_at WHERE id = $1`, promised); err != nil {
		t.Fatal(err)
	}
	store := complaints.NewStore(s.DB, complaints.DefaultPolicy())
	tx, err := s.DB.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := store.CheckDeadlines(ctx, tx, now, 0.25); err != nil {
		t.Fatal(err)
	}
	var trail []struct {
		ComplaintID int64           `db:"complaint_id"`
		Kind        string          `db:"kind"`
		Data        json.RawMessage `db:"data"`
	}
	if err := tx.Select(&trail, `SELECT complaint_id, kind, data FROM complaint_events ORDER BY complaint_id, id`); err != nil {
		t.Fatal(err)
	}
	got := map[int64][]complaints.Event{}
	for _, row := range trail {
		e, err := complaints.DecodeEvent(row.Kind, row.Data)
		if err != nil {
			t.Fatalf("%s %s: %v", row.Kind, row.Data, err)
		}
		again, _ := complaints.EncodeEvent(e)
		var stored, kept map[string]any
		_ = json.Unmarshal(row.Data, &stored)
		_ = json.Unmarshal(again, &kept)
		for k := range stored {
			if _, ok := kept[k]; !ok {
				t.Errorf("%s %s: key %q has no field", row.Kind, row.Data, k)
			}
		}
		got[row.ComplaintID] = append(got[row.ComplaintID], e)
	}
	due := now.Add(-time.Hour)
	want := map[int64][]complaints.Event{
		near: {complaints.DeadlineWarnedEvent{DueAt: now.Add(30 * time.Minute)}},
		late: {complaints.DeadlineBreachedEvent{DueAt: due, FromPriority: "P3", ToPriority: "P2"}},
		promised: {
			complaints.DeadlineBreachedEvent{DueAt: due, FromPriority: "P2", ToPriority: "P1", Promised: true},
			complaints.DoubleDeviationEvent{Reason: complaints.DoubleDeviationPromise, MissedDueAt: &due,
				DueAt: complaints.DefaultPolicy().Deadline(complaints.P1, now)},
		},
	}
	for id, events := range want {
		if len(got[id]) != len(events) {
			t.Errorf("complaint %d: %#v, want %#v", id, got[id], events)
			continue
		}
		for i, e := range events {
			if !sameEvent(got[id][i], e) {
				t.Errorf("complaint %d entry %d:\n got %#v\nwant %#v", id, i, got[id][i], e)
			}
		}
	}
}

// sameEvent compares events by their encoding: times read back from
// PostgreSQL carry its time zone.
func sameEvent(a, b complaints.Event) bool {
	ra, _ := complaints.EncodeEvent(normal(a))
	rb, _ := complaints.EncodeEvent(normal(b))
	return a.Kind() == b.Kind() && string(ra) == string(rb)
}

// normal puts an event's times in UTC.
func normal(e complaints.Event) complaints.Event {
	utc := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		u := t.UTC()
		return &u
	}
	switch e := e.(type) {
	case complaints.DeadlineWarnedEvent:
		e.DueAt = e.DueAt.UTC()
		return e
	case complaints.DeadlineBreachedEvent:
		e.DueAt = e.DueAt.UTC()
		return e
	case complaints.DoubleDeviationEvent:
		e.DueAt, e.MissedDueAt = e.DueAt.UTC(), utc(e.MissedDueAt)
		return e
	}
	return e
}

// TestMissedPromiseApologisesOnce: the first missed promise is a double
// deviation whose new acknowledgement apologises (Apologised false, the
// promise withdrawn until the customer is told); a further miss of the
// new date escalates again (P1, a new date, an alert) with Apologised set,
// so no email goes to the customer, and the date stays owed so that a
// third miss escalates again.
func TestMissedPromiseApologisesOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testenv.NewSchema(t)
	f := reportfix.New(t, s.DB)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	r := f.Reply(reportfix.Reply{At: now.Add(-6 * time.Hour), Negative: true})
	id := f.Complaint(reportfix.Complaint{Response: r, Priority: 2, OpenedAt: now.Add(-6 * time.Hour), DueAt: now.Add(-time.Minute)})
	if _, err := s.DB.Exec(`UPDATE complaints SET promised_due_at = due_at WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	store := complaints.NewStore(s.DB, complaints.DefaultPolicy())
	check := func(at time.Time) complaints.DeadlineEvent {
		t.Helper()
		tx, err := s.DB.BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		events, err := store.CheckDeadlines(ctx, tx, at, 0.25)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		for _, e := range events {
			if e.Kind == complaints.DeadlinePromiseMissed {
				return e
			}
		}
		t.Fatalf("at %s: no missed promise in %+v", at, events)
		return complaints.DeadlineEvent{}
	}
	promised := func() *time.Time {
		var p *time.Time
		if err := s.DB.Get(&p, `SELECT promised_due_at FROM complaints WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := check(now)
	if first.Apologised || promised() != nil {
		t.Fatalf("first miss: apologised %v, promise %v; want an apology to send and the promise withdrawn", first.Apologised, promised())
	}
	// The apology went out with the new date (see QueueAcknowledgement).
	if _, err := s.DB.Exec(`UPDATE complaints SET promised_due_at = due_at WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	second := check(first.NewDueAt.Add(time.Minute))
	if !second.Apologised || second.To != complaints.P1 || !second.NewDueAt.After(first.NewDueAt) {
		t.Fatalf("second miss: %+v; want escalated without a new apology", second)
	}
	if p := promised(); p == nil || !p.Equal(second.NewDueAt) {
		t.Fatalf("second miss: promise %v, want the new date %s kept", p, second.NewDueAt)
	}
	third := check(second.NewDueAt.Add(time.Minute))
	if !third.Apologised {
		t.Fatalf("third miss: %+v", third)
	}
	var n int
	if err := s.DB.Get(&n, `SELECT count(*) FROM complaint_events WHERE complaint_id = $1 AND kind = 'double_deviation'`, id); err != nil || n != 3 {
		t.Fatalf("%d double deviations in the trail (%v), want 3", n, err)
	}
	// Reopened (its trail says so), the complaint's next missed promise
	// is a new one: the customer gets an apology again.
	if _, err := s.DB.Exec(`INSERT INTO complaint_events (complaint_id, kind, actor, data, created_at)
		VALUES ($1, 'reopened', 'system', '{}', $2)`, id, third.NewDueAt); err != nil {
		t.Fatal(err)
	}
	if fourth := check(third.NewDueAt.Add(time.Minute)); fourth.Apologised {
		t.Fatalf("a missed promise after reopening: %+v; want a new apology", fourth)
	}
}

// TestWarningsCountBusinessTime: with a Paris calendar, a P1 (4 business
// hours, warned with a quarter, 1 hour, left) due Monday at 10:00 has
// 1h30 of business time left on Friday at 17:30 (30 minutes on Friday, 1
// hour on Monday): it is not warned then, nor at 17:59, but at closing
// time, when only Monday's hour is left.
func TestWarningsCountBusinessTime(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := testenv.NewSchema(t)
	f := reportfix.New(t, s.DB)
	cal, err := businesshours.Parse("fr")
	if err != nil {
		t.Fatal(err)
	}
	paris := cal.Zone
	friday := time.Date(2026, 12, 4, 17, 30, 0, 0, paris)
	monday10 := time.Date(2026, 12, 7, 10, 0, 0, 0, paris)
	r := f.Reply(reportfix.Reply{At: friday.Add(-time.Hour), Negative: true})
	f.Complaint(reportfix.Complaint{Response: r, Priority: 1, OpenedAt: friday.Add(-time.Hour), DueAt: monday10})
	p := complaints.DefaultPolicy()
	p.Calendar = cal
	store := complaints.NewStore(s.DB, p)
	warned := func(at time.Time) int {
		tx, err := s.DB.BeginTxx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		events, err := store.CheckDeadlines(ctx, tx, at, 0.25)
		if err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		return len(events)
	}
	for _, at := range []time.Time{friday, friday.Add(29 * time.Minute)} {
		if n := warned(at); n != 0 {
			t.Fatalf("at %s: %d events, want none (more than an hour of business time left)", at, n)
		}
	}
	if n := warned(friday.Add(30 * time.Minute)); n != 1 {
		t.Fatalf("Friday 18:00: %d events, want the warning", n)
	}
}
