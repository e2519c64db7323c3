package worker_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/worker"
)

func (f *sendFixture) newCampaign(t *testing.T, c scheduler.Campaign) scheduler.Campaign {
	t.Helper()
	sv, err := surveys.NewStore(f.schema.DB).EnsureDefault(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c.SurveyID = sv.ID
	if c.State == "" {
		c.State = scheduler.StateActive
	}
	if c.Trigger == "" {
		c.Trigger = scheduler.TriggerEvent
	}
	if c.Window.EndHour == 0 {
		c.Window = scheduler.AlwaysOpen()
	}
	created, err := f.store.Create(context.Background(), c, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return created
}

func (f *sendFixture) event(t *testing.T, ref, kind string, in customers.CustomerInput) {
	t.Helper()
	in.ExternalRef = ref
	if in.Email == "" {
		in.Email = ref + "@x.test"
	}
	if _, err := f.intake.Record(context.Background(), customers.EventInput{ExternalID: "e-" + ref + "-" + kind + "-" + fmt.Sprint(f.clock.Now().UnixNano()),
		Kind: kind, OccurredAt: f.clock.Now().Add(-time.Minute), Customer: in}); err != nil {
		t.Fatal(err)
	}
}

// process runs the send task of one batch.
func (f *sendFixture) process(t *testing.T, batch int64) {
	t.Helper()
	task, _ := worker.NewSurveySendTask(worker.Queues{}, batch)
	if err := f.handler.ProcessTask(context.Background(), task); err != nil {
		t.Error(err)
	}
}

// mailsTo counts the emails each address received.
func (f *sendFixture) mailsTo() map[string]int {
	out := map[string]int{}
	for _, m := range f.capture.Messages() {
		for _, to := range m.To {
			out[strings.Trim(to, "<>")]++
		}
	}
	return out
}

func TestFrequencyCapHoldsWhenCampaignsCompete(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	f.newCampaign(t, scheduler.Campaign{Name: "A", EventKinds: []string{"pickup"}, FrequencyCapDays: 30})
	f.newCampaign(t, scheduler.Campaign{Name: "B", EventKinds: []string{"pickup"}, FrequencyCapDays: 30})
	const customers = 25
	for i := 0; i < customers; i++ {
		f.event(t, fmt.Sprintf("cust%02d", i), "pickup", customers_in())
	}
	// Every invitation in its own batch, all batches sent at once by 8 workers.
	var batches []int64
	for {
		b, n, err := f.store.ClaimDue(context.Background(), f.clock.Now(), 1)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		batches = append(batches, b)
	}
	if len(batches) != 2*customers {
		t.Fatalf("%d batches, want one per invitation (%d)", len(batches), 2*customers)
	}
	work := make(chan int64)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				f.process(t, b)
			}
		}()
	}
	for _, b := range batches {
		work <- b
	}
	close(work)
	wg.Wait()
	got := f.mailsTo()
	for i := 0; i < customers; i++ {
		addr := fmt.Sprintf("cust%02d@x.test", i)
		if got[addr] != 1 {
			t.Errorf("%s received %d surveys, want exactly 1", addr, got[addr])
		}
	}
	var capped int
	if err := f.schema.DB.Get(&capped, `SELECT count(*) FROM invitations WHERE state = 'suppressed' AND reason = 'frequency_cap'`); err != nil {
		t.Fatal(err)
	}
	if capped != customers {
		t.Errorf("%d invitations suppressed by the cap, want %d (one per customer)", capped, customers)
	}
	// A week later, a new event: the cap is checked at scheduling time too.
	f.clock.Advance(7 * 24 * time.Hour)
	f.event(t, "cust00", "pickup", customers_in())
	var states []string
	if err := f.schema.DB.Select(&states, `SELECT state || ':' || reason FROM invitations WHERE event_id = (SELECT max(id) FROM service_events)`); err != nil {
		t.Fatal(err)
	}
	if len(states) != 2 {
		t.Fatalf("the new event made %d invitations, want 2", len(states))
	}
	for _, s := range states {
		if s != "suppressed:frequency_cap" {
			t.Errorf("a survey a week after the last one: %s, want suppressed:frequency_cap", s)
		}
	}
}

func customers_in() customers.CustomerInput { return customers.CustomerInput{Locale: "en"} }

func TestPauseStopsSendingAndResumeSendsTheRestOnce(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	camp := f.newCampaign(t, scheduler.Campaign{Name: "P", EventKinds: []string{"visit"}})
	for i := 0; i < 10; i++ {
		f.event(t, fmt.Sprintf("p%d", i), "visit", customers_in())
	}
	ctx := context.Background()
	b1, n, _ := f.store.ClaimDue(ctx, f.clock.Now(), 4)
	f.process(t, b1)
	b2, n2, _ := f.store.ClaimDue(ctx, f.clock.Now(), 3) // claimed before the pause, sent after it
	if n != 4 || n2 != 3 {
		t.Fatalf("claimed %d and %d", n, n2)
	}
	if _, err := f.store.Transition(ctx, camp.ID, "pause", f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	f.process(t, b2)
	if _, n, _ := f.store.ClaimDue(ctx, f.clock.Now(), 100); n != 0 {
		t.Errorf("the sweep claimed %d invitations of a paused campaign", n)
	}
	if got := len(f.capture.Messages()); got != 4 {
		t.Fatalf("%d emails while paused, want the 4 sent before", got)
	}
	if _, err := f.store.Transition(ctx, camp.ID, "resume", f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	f.sendDue(t)
	got := f.mailsTo()
	for i := 0; i < 10; i++ {
		if n := got[fmt.Sprintf("p%d@x.test", i)]; n != 1 {
			t.Errorf("p%d received %d emails, want 1", i, n)
		}
	}
	// Pausing an archived campaign is refused; archiving withdraws what is left.
	if _, err := f.store.Transition(ctx, camp.ID, "archive", f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Transition(ctx, camp.ID, "pause", f.clock.Now()); err == nil {
		t.Error("an archived campaign cannot be paused")
	}
}

func TestRemindersGoOnlyToSilentCustomers(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	f.newCampaign(t, scheduler.Campaign{Name: "R", EventKinds: []string{"repair"}, ReminderDays: []int{2, 3}, FrequencyCapDays: 1})
	for _, who := range []string{"answers", "optsout", "silent"} {
		f.event(t, who, "repair", customers.CustomerInput{Locale: "fr"})
	}
	f.sendDue(t)
	if n := len(f.capture.Messages()); n != 3 {
		t.Fatalf("%d invitations sent, want 3", n)
	}
	ctx := context.Background()
	sv := surveys.NewStore(f.schema.DB)
	var invID int64
	if err := f.schema.DB.Get(&invID, `SELECT i.id FROM invitations i JOIN customers c ON c.id = i.customer_id WHERE c.external_ref = 'answers'`); err != nil {
		t.Fatal(err)
	}
	inv, err := sv.Invitation(ctx, invID)
	if err != nil {
		t.Fatal(err)
	}
	def, _ := sv.EnsureDefault(ctx)
	v := 9
	tx, err := f.schema.DB.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := sv.Insert(ctx, tx, inv, def, surveys.Answers{"overall": {Value: &v}}, "fr", f.clock.Now(), nil); err != nil {
		t.Fatal(err)
	}
	if err := f.store.MarkAnswered(ctx, tx, []int64{inv.ID}, f.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.schema.DB.Exec(`UPDATE customers SET opted_out_at = now() WHERE external_ref = 'optsout'`); err != nil {
		t.Fatal(err)
	}

	f.clock.Advance(24 * time.Hour)
	f.sendDue(t)
	if n := len(f.capture.Messages()); n != 3 {
		t.Fatalf("a reminder went out before its 2 days: %d emails", n)
	}
	f.clock.Advance(25 * time.Hour)
	f.sendDue(t)
	f.clock.Advance(3*24*time.Hour + time.Hour)
	f.sendDue(t)
	f.clock.Advance(10 * 24 * time.Hour)
	f.sendDue(t)
	got := f.mailsTo()
	want := map[string]int{"answers@x.test": 1, "optsout@x.test": 1, "silent@x.test": 3}
	for addr, n := range want {
		if got[addr] != n {
			t.Errorf("%s received %d emails, want %d", addr, got[addr], n)
		}
	}
	var subjects, ids []string
	for _, m := range f.capture.Messages() {
		p, _ := m.Parsed()
		if strings.Contains(m.To[0], "silent") {
			subjects = append(subjects, p.Subject)
			ids = append(ids, p.Header.Get("Message-Id"))
		}
	}
	if len(subjects) == 3 && (!strings.HasPrefix(subjects[1], "Rappel") || !strings.Contains(ids[1], "-r1@") || !strings.Contains(ids[2], "-r2@")) {
		t.Errorf("reminders %v %v: French reminder subject and -r1, -r2 Message-IDs expected", subjects, ids)
	}
}

func TestSweepWaitsForEachCustomersWindow(t *testing.T) {
	t.Parallel()
	f := newSendFixture(t)
	// Wednesday 2026-11-18 10:00 UTC: 11:00 in Paris, 19:00 in Tokyo, 05:00 in Montreal.
	f.clock.Set(time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC))
	f.newCampaign(t, scheduler.Campaign{Name: "W", EventKinds: []string{"call"}, Window: scheduler.DefaultWindow()})
	for ref, tz := range map[string]string{"paris": "Europe/Paris", "tokyo": "Asia/Tokyo", "montreal": "America/Montreal"} {
		f.event(t, ref, "call", customers.CustomerInput{TimeZone: tz})
	}
	f.sendDue(t)
	if got := f.mailsTo(); len(got) != 1 || got["paris@x.test"] != 1 {
		t.Fatalf("at 10:00 UTC only Paris is inside 9–19: %v", got)
	}
	var montreal, tokyo time.Time
	if err := f.schema.DB.Get(&montreal, `SELECT scheduled_for FROM invitations i JOIN customers c ON c.id = i.customer_id WHERE c.external_ref = 'montreal'`); err != nil {
		t.Fatal(err)
	}
	if err := f.schema.DB.Get(&tokyo, `SELECT scheduled_for FROM invitations i JOIN customers c ON c.id = i.customer_id WHERE c.external_ref = 'tokyo'`); err != nil {
		t.Fatal(err)
	}
	if montreal.UTC().Format(time.RFC3339) != "2026-11-18T14:00:00Z" || tokyo.UTC().Format(time.RFC3339) != "2026-11-19T00:00:00Z" {
		t.Errorf("moved to Montreal %s and Tokyo %s; want their next 9:00", montreal.UTC(), tokyo.UTC())
	}
	f.clock.Set(time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC))
	f.sendDue(t)
	f.clock.Set(time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC))
	f.sendDue(t)
	if got := f.mailsTo(); len(got) != 3 {
		t.Errorf("everyone reached in their window: %v", got)
	}
}
