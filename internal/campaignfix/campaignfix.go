package campaignfix

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

// Names of the campaigns the fixture creates.
const (
	Name      = "After delivery (stats fixture)"
	OtherName = "Store visits (stats fixture)"
)

// Fixture is a campaign with a known history.
type Fixture struct {
	// CampaignID is the campaign whose figures the tests check.
	CampaignID int64
	// OtherID is a second campaign: one send, answered negatively, that
	// must not leak into the first one's figures.
	OtherID int64
	// Now is the moment the figures are taken at.
	Now time.Time
}

// Day returns the UTC date n days from Now's day (n ≤ 0), as the daily
// series spells it.
func (f Fixture) Day(n int) string {
	return f.Now.UTC().Truncate(24*time.Hour).AddDate(0, 0, n).Format("2006-01-02")
}

// Want returns the figures of the campaign at Now over the last 7 days,
// counted by hand from the history Build plays (see there).
func (f Fixture) Want() scheduler.Stats {
	return scheduler.Stats{
		Invited:       21, // every one below: 3 scheduled, 11 sent, 3 failed, 4 suppressed
		Scheduled:     3,  // q1 queued but not sent yet, s1 and s2 due in an hour
		Sent:          11, // e1 … e11
		RemindersSent: 5,  // e1, e5, e7, e8, e9
		Answered:      5,  // e2, e3, e4, e6, e7
		Negative:      2,  // e3, e6
		Completed:     3,  // e2, e4, e6
		Partial:       2,  // e3, e7: the rating alone
		Failed:        3,  // f1, f2 bounced, f3 temporary
		Expired:       1,  // e1
		Suppressed:    map[string]int{"opted_out": 2, "address_bounced": 1, "frequency_cap": 1},
		FailedBy:      map[string]int{"bounced": 2, "temporary": 1},
		ResponseRate:  0.4545, // 5 / 11
		NegativeRate:  0.4,    // 2 / 5
		Days: []scheduler.DayStats{
			{Day: f.Day(-6), Sent: 0, Answered: 1, Negative: 0}, // e2 answers
			{Day: f.Day(-5), Sent: 3, Answered: 0, Negative: 0}, // e3, e4, e5 sent
			{Day: f.Day(-4), Sent: 0, Answered: 2, Negative: 1}, // e3 (negative), e4 answer
			{Day: f.Day(-3), Sent: 4, Answered: 1, Negative: 1}, // e6 … e9 sent, e6 answers (negative)
			{Day: f.Day(-2), Sent: 0, Answered: 0, Negative: 0}, // nothing happened
			{Day: f.Day(-1), Sent: 2, Answered: 0, Negative: 0}, // e10, e11 sent at 23:30
			{Day: f.Day(0), Sent: 0, Answered: 1, Negative: 0},  // e7 answers at 00:15
		},
	}
}

type player struct {
	t       testing.TB
	ctx     context.Context
	day0    time.Time
	store   *scheduler.Store
	intake  *scheduler.Intake
	cust    *customers.Store
	surveys *surveys.Store
	survey  *surveys.Survey
	// customers by external reference, and what the mail server says to
	// each (sent unless told otherwise).
	ids   map[string]int64
	fates map[int64]string
	db    *sqlx.DB
}

// Build writes the history into db and returns the fixture. Times are UTC;
// D(n) is n days from now's day. The campaign (event trigger on delivery, no
// delay, always open, 30-day cap, a reminder after 2 days, links valid 7
// days) lives this:
//
//	D(-15) 10:00  e1 sent
//	D(-10) 10:00  e2 sent; e1 reminded. Other campaign: fc sent
//	D(-6)  09:00  e2 answers
//	D(-5)  10:00  e3 e4 e5 sent; o1 o2 opted out since their event: suppressed;
//	              b1's address bounced elsewhere: suppressed; fc, contacted by
//	              the other campaign 5 days ago, is capped when scheduled
//	D(-4)  12:00  e3 answers (negative), e4 answers
//	D(-3)  10:30  e6 e7 e8 e9 sent; e5 reminded (e3, e4 answered: not);
//	              f1 f2 bounce, f3 fails for good after its attempts;
//	              e6 answers at 15:00 (negative); fc answers the other
//	              campaign at 14:00 (negative)
//	D(-2)         nothing
//	D(-1)  23:30  e10 e11 sent; e7 e8 e9 reminded (e6 answered: not)
//	D(0)   00:15  e7 answers; 00:30 q1 claimed into a batch no worker took yet
//	now + 1h      s1 s2 due
//
// and at now the links of what was sent more than 7 days ago without an
// answer have expired (e1, whose reminder renewed its link on D(-10)).
func Build(t testing.TB, db *sqlx.DB, now time.Time) Fixture {
	t.Helper()
	ctx := context.Background()
	p := &player{t: t, ctx: ctx, day0: now.UTC().Truncate(24 * time.Hour), store: scheduler.NewStore(db),
		cust: customers.NewStore(db), surveys: surveys.NewStore(db), ids: map[string]int64{}, fates: map[int64]string{}, db: db}
	p.intake = scheduler.NewIntake(db, p.cust, p.store)
	var err error
	if p.survey, err = p.surveys.EnsureDefault(ctx); err != nil {
		t.Fatalf("campaignfix: %v", err)
	}
	start := p.at(-16, 0, 0)
	main, err := p.store.Create(ctx, scheduler.Campaign{Name: Name, SurveyID: p.survey.ID, State: scheduler.StateActive,
		Trigger: scheduler.TriggerEvent, EventKinds: []string{"delivery"}, Window: scheduler.AlwaysOpen(),
		FrequencyCapDays: 30, ReminderDays: []int{2}, InvitationTTL: 7 * 24 * time.Hour}, start)
	if err != nil {
		t.Fatalf("campaignfix: %v", err)
	}
	other, err := p.store.Create(ctx, scheduler.Campaign{Name: OtherName, SurveyID: p.survey.ID, State: scheduler.StateActive,
		Trigger: scheduler.TriggerEvent, EventKinds: []string{"visit"}, Window: scheduler.AlwaysOpen(),
		FrequencyCapDays: 30, InvitationTTL: 7 * 24 * time.Hour}, start)
	if err != nil {
		t.Fatalf("campaignfix: %v", err)
	}
	f := Fixture{CampaignID: main.ID, OtherID: other.ID, Now: now}

	p.event("e1", "delivery", p.at(-15, 9, 0))
	p.send(p.at(-15, 10, 0))

	p.event("e2", "delivery", p.at(-10, 9, 0))
	p.event("fc", "visit", p.at(-10, 9, 0))
	p.send(p.at(-10, 10, 0))
	p.answer("e2", main.ID, p.at(-6, 9, 0), false)

	for _, ref := range []string{"e3", "e4", "e5", "o1", "o2", "b1", "fc"} {
		p.event(ref, "delivery", p.at(-5, 9, 0))
	}
	p.optOut("o1", p.at(-5, 9, 30))
	p.optOut("o2", p.at(-5, 9, 30))
	if err := p.cust.SuppressAddress(ctx, "b1@example.test", customers.SuppressedBounced, "550 5.1.1 mailbox unknown", p.at(-5, 9, 30)); err != nil {
		t.Fatalf("campaignfix: %v", err)
	}
	p.send(p.at(-5, 10, 0))
	p.answer("e3", main.ID, p.at(-4, 12, 0), true)
	p.answer("e4", main.ID, p.at(-4, 12, 0), false)

	for _, ref := range []string{"e6", "e7", "e8", "e9", "f1", "f2", "f3"} {
		p.event(ref, "delivery", p.at(-3, 9, 0))
	}
	p.fates[p.ids["f1"]] = "bounced: 550 5.1.1 <f1@example.test>: mailbox unknown"
	p.fates[p.ids["f2"]] = "bounced: 550 5.1.1 <f2@example.test>: mailbox unknown"
	p.fates[p.ids["f3"]] = "temporary delivery failure after 8 attempts"
	p.send(p.at(-3, 10, 30))
	p.answer("fc", other.ID, p.at(-3, 14, 0), true)
	p.answer("e6", main.ID, p.at(-3, 15, 0), true)

	p.event("e10", "delivery", p.at(-1, 23, 0))
	p.event("e11", "delivery", p.at(-1, 23, 0))
	p.send(p.at(-1, 23, 30))
	p.answer("e7", main.ID, p.at(0, 0, 15), false)

	p.event("q1", "delivery", p.at(0, 0, 20))
	if _, _, err := p.store.ClaimDue(ctx, p.at(0, 0, 30), 100); err != nil {
		t.Fatalf("campaignfix: %v", err)
	}
	p.event("s1", "delivery", now.Add(time.Hour))
	p.event("s2", "delivery", now.Add(time.Hour))
	if _, err := p.store.ExpireInvitations(ctx, now); err != nil {
		t.Fatalf("campaignfix: %v", err)
	}
	return f
}

func (p *player) at(day, hour, minute int) time.Time {
	return p.day0.AddDate(0, 0, day).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

// event records a service event for the customer ref, as the API would.
func (p *player) event(ref, kind string, at time.Time) {
	p.t.Helper()
	ev := customers.EventInput{ExternalID: fmt.Sprintf("%s-%s-%d", ref, kind, at.Unix()), Kind: kind, OccurredAt: at,
		Customer: customers.CustomerInput{ExternalRef: ref, Email: ref + "@example.test", Name: "Customer " + ref}}
	if fe := ev.Validate(at); fe != nil {
		p.t.Fatalf("campaignfix: event of %s: %v", ref, fe)
	}
	acc, err := p.intake.Record(p.ctx, ev)
	if err != nil {
		p.t.Fatalf("campaignfix: event of %s: %v", ref, err)
	}
	p.ids[ref] = acc.CustomerID
}

func (p *player) optOut(ref string, at time.Time) {
	p.t.Helper()
	if err := p.cust.OptOut(p.ctx, p.ids[ref], at); err != nil {
		p.t.Fatalf("campaignfix: %v", err)
	}
}

// send does what the sweep and a worker do at at: claim what is due into
// batches, vet each batch, and record what the mail server said.
func (p *player) send(at time.Time) {
	p.t.Helper()
	for {
		batch, n, err := p.store.ClaimDue(p.ctx, at, 100)
		if err != nil {
			p.t.Fatalf("campaignfix: claim at %s: %v", at, err)
		}
		if n == 0 {
			return
		}
		out, ok, err := p.store.ClaimBatch(p.ctx, batch, at, at.Add(-time.Minute))
		if err != nil || !ok {
			p.t.Fatalf("campaignfix: take batch %d: %v %v", batch, ok, err)
		}
		vetted, err := p.store.Vet(p.ctx, out, at)
		if err != nil {
			p.t.Fatalf("campaignfix: vet batch %d: %v", batch, err)
		}
		var sent []scheduler.Sent
		failed := map[string][]int64{}
		for _, o := range vetted {
			if reason, ok := p.fates[o.CustomerID]; ok && !o.Reminder() {
				failed[reason] = append(failed[reason], o.ID)
				continue
			}
			sent = append(sent, scheduler.Sent{ID: o.ID, MessageID: fmt.Sprintf("<%d.%d@fixture.test>", o.ID, at.Unix()), ExpiresAt: o.ExpiresAt})
		}
		if err := p.store.MarkSent(p.ctx, sent, at); err != nil {
			p.t.Fatalf("campaignfix: %v", err)
		}
		for reason, ids := range failed {
			if err := p.store.MarkFailed(p.ctx, ids, reason, at); err != nil {
				p.t.Fatalf("campaignfix: %v", err)
			}
		}
		if err := p.store.FinishBatch(p.ctx, batch, at); err != nil {
			p.t.Fatalf("campaignfix: %v", err)
		}
	}
}

// answer stores ref's reply to the campaign's invitation, as scored by the
// survey page.
func (p *player) answer(ref string, campaignID int64, at time.Time, negative bool) {
	p.t.Helper()
	var inv surveys.Invitation
	err := p.db.GetContext(p.ctx, &inv, `SELECT id, customer_id, survey_version_id, state FROM invitations
		WHERE customer_id = $1 AND campaign_id = $2`, p.ids[ref], campaignID)
	if err != nil {
		p.t.Fatalf("campaignfix: invitation of %s: %v", ref, err)
	}
	tx, err := p.db.BeginTxx(p.ctx, nil)
	if err != nil {
		p.t.Fatalf("campaignfix: %v", err)
	}
	defer tx.Rollback()
	res := &surveys.Result{Negative: negative, Scores: map[surveys.Dimension]float64{surveys.Overall: 80}}
	if negative {
		res.Scores[surveys.Overall] = 20
	}
	// Every scale question answered, but for e3 and e7, who gave only
	// the first (the email's rating).
	answers := surveys.Answers{}
	for i, q := range p.survey.Questions {
		if lo, _, ok := q.Kind.Scale(); ok && (i == 0 || (ref != "e3" && ref != "e7")) {
			answers[q.Key] = surveys.Answer{Value: &lo}
		}
	}
	if _, err := p.surveys.Insert(p.ctx, tx, inv, p.survey, answers, "en", at, res); err != nil {
		p.t.Fatalf("campaignfix: answer of %s: %v", ref, err)
	}
	if err := p.store.MarkAnswered(p.ctx, tx, []int64{inv.ID}, at); err != nil {
		p.t.Fatalf("campaignfix: answer of %s: %v", ref, err)
	}
	if err := tx.Commit(); err != nil {
		p.t.Fatalf("campaignfix: %v", err)
	}
}
