package complaints_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

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
