package reports_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/reports"
)

var s = reportfix.Score

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// weeks is a hand-computed fixture over three ISO weeks of October 2026
// (W41 from Monday the 5th, W42 empty, W43 a single reply), with rows just
// outside the range, an unscored reply and a recovery follow-up that must
// all be left out.
type weeks struct {
	fx                      *reportfix.Fixture
	store                   *reports.Store
	q                       reports.Query
	shopReply, lateReply    int64
	shopComplaint, lateComp int64
}

func newWeeks(t *testing.T) weeks {
	t.Helper()
	db := testenv.NewSchema(t).DB
	fx := reportfix.New(t, db)
	w := weeks{fx: fx, store: reports.NewStore(db)}
	w.q = reports.Query{From: at("2026-10-05T00:00:00Z"), To: at("2026-10-26T00:00:00Z"), Grain: reports.Week, Location: time.UTC}
	// W41: a happy courier reply, an unhappy shop reply (a complaint), two
	// surveys never answered (one to an audience: no touchpoint).
	fx.Reply(reportfix.Reply{At: at("2026-10-06T10:00:00Z"), Touchpoint: "courier", Channel: "phone", Team: "north", Segment: "gold",
		Distributive: s(70), Procedural: s(60), Interactional: s(90), Overall: s(80)})
	w.shopReply = fx.Reply(reportfix.Reply{At: at("2026-10-07T15:00:00Z"), Touchpoint: "shop", Channel: "store", Team: "south", Segment: "basic",
		Distributive: s(10), Procedural: s(30), Interactional: s(40), Overall: s(20), Negative: true, Risks: []string{"temporal", "financial"}})
	w.shopComplaint = fx.Complaint(reportfix.Complaint{Response: w.shopReply, Priority: 2, OpenedAt: at("2026-10-07T15:00:00Z"),
		DueAt: at("2026-10-08T15:00:00Z"), Risks: []string{"temporal", "financial"}, AcknowledgedAt: ptr(at("2026-10-07T16:00:00Z")),
		ResolvedAt: ptr(at("2026-10-08T10:00:00Z")), Recovery: "positive", Compensation: 2500})
	fx.Sent(reportfix.Send{At: at("2026-10-08T09:00:00Z"), Touchpoint: "courier", Channel: "phone", Team: "north", Segment: "gold"})
	fx.Sent(reportfix.Send{At: at("2026-10-09T09:00:00Z"), NoEvent: true, Campaign: "newsletter"})
	// W43: a single reply, negative, without a procedural score; its
	// complaint was never acknowledged and missed its deadline.
	w.lateReply = fx.Reply(reportfix.Reply{At: at("2026-10-21T08:00:00Z"), Touchpoint: "courier", Channel: "web", Team: "north", Segment: "gold",
		Distributive: s(55), Interactional: s(65), Overall: s(45), Negative: true, Risks: []string{"temporal"}})
	w.lateComp = fx.Complaint(reportfix.Complaint{Response: w.lateReply, Priority: 1, OpenedAt: at("2026-10-21T08:00:00Z"),
		DueAt: at("2026-10-21T12:00:00Z"), Risks: []string{"temporal"}, BreachedAt: ptr(at("2026-10-21T12:00:00Z")), DoubleDev: "promise_missed"})
	// Left out of the replies: just before and just after the range (sent
	// out of it too), not scored yet (but sent and answered), a recovery
	// follow-up.
	fx.Reply(reportfix.Reply{At: at("2026-10-04T23:59:59Z"), Touchpoint: "courier", Overall: s(0), Negative: true})
	fx.Reply(reportfix.Reply{At: at("2026-10-26T02:00:00Z"), Touchpoint: "courier", Overall: s(0), Negative: true})
	fx.Reply(reportfix.Reply{At: at("2026-10-06T11:00:00Z"), Touchpoint: "courier", Unscored: true})
	fx.Reply(reportfix.Reply{At: at("2026-10-10T11:00:00Z"), RecoveryOf: w.shopComplaint, Overall: s(95)})
	return w
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTrendPerWeekWithEmptyPeriods(t *testing.T) {
	t.Parallel()
	w := newWeeks(t)
	tr, err := w.store.Trend(context.Background(), w.q)
	if err != nil {
		t.Fatal(err)
	}
	want := []reports.Point{
		{Period: "2026-W41", Start: "2026-10-05", Figures: reports.Figures{Replies: 2, Negative: 1, NegativeRate: ptr(0.5),
			Scores:     reports.Scores{Distributive: s(40), Procedural: s(45), Interactional: s(65), Overall: s(50)},
			Complaints: 1, Sent: 5, Answered: 3, ResponseRate: ptr(0.6)}},
		{Period: "2026-W42", Start: "2026-10-12"},
		{Period: "2026-W43", Start: "2026-10-19", Figures: reports.Figures{Replies: 1, Negative: 1, NegativeRate: ptr(1.0),
			Scores:     reports.Scores{Distributive: s(55), Interactional: s(65), Overall: s(45)},
			Complaints: 1, Sent: 1, Answered: 1, ResponseRate: ptr(1.0)}},
	}
	if got, exp := jsonOf(t, tr.Points), jsonOf(t, want); got != exp {
		t.Errorf("trend\n got %s\nwant %s", got, exp)
	}
}

func TestTrendFiltersAndOtherGrains(t *testing.T) {
	t.Parallel()
	w := newWeeks(t)
	ctx := context.Background()
	q := w.q
	q.Filters = map[reports.Split]string{reports.ByTouchpoint: "courier", reports.ByTeam: "north"}
	tr, err := w.store.Trend(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	p := tr.Points[0]
	if p.Replies != 1 || *p.Overall != 80 || p.Sent != 2 || p.Answered != 1 || p.Complaints != 0 {
		t.Errorf("courier in W41: %s", jsonOf(t, p))
	}
	// An empty filter value keeps what has no touchpoint: the newsletter.
	q.Filters = map[reports.Split]string{reports.ByTouchpoint: ""}
	if tr, err = w.store.Trend(ctx, q); err != nil || tr.Points[0].Sent != 1 || tr.Points[0].Replies != 0 {
		t.Errorf("no touchpoint: %v %s", err, jsonOf(t, tr.Points[0]))
	}
	// Months: September and November are touched and empty.
	q = reports.Query{From: at("2026-09-15T00:00:00Z"), To: at("2026-11-02T00:00:00Z"), Grain: reports.Month, Location: time.UTC}
	tr, err = w.store.Trend(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Points) != 3 || tr.Points[0].Period != "2026-09" || tr.Points[1].Replies != 5 || tr.Points[2].Period != "2026-11" || tr.Points[2].Replies != 0 {
		t.Errorf("months: %s", jsonOf(t, tr.Points))
	}
	// Days are cut in the report's time zone: 15:00 UTC on the 7th is the
	// 8th in Tokyo.
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	q = reports.Query{From: time.Date(2026, 10, 7, 0, 0, 0, 0, tokyo), To: time.Date(2026, 10, 9, 0, 0, 0, 0, tokyo), Grain: reports.Day, Location: tokyo}
	tr, err = w.store.Trend(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Points) != 2 || tr.Points[0].Period != "2026-10-07" || tr.Points[0].Replies != 0 || tr.Points[1].Replies != 1 {
		t.Errorf("days in Tokyo: %s", jsonOf(t, tr.Points))
	}
}

func TestBreakdownBySplit(t *testing.T) {
	t.Parallel()
	w := newWeeks(t)
	ctx := context.Background()
	b, err := w.store.Breakdown(ctx, w.q, reports.ByTouchpoint)
	if err != nil {
		t.Fatal(err)
	}
	want := []reports.Row{
		{Key: "shop", Figures: reports.Figures{Replies: 1, Negative: 1, NegativeRate: ptr(1.0),
			Scores: reports.Scores{Distributive: s(10), Procedural: s(30), Interactional: s(40), Overall: s(20)}, Complaints: 1,
			Sent: 1, Answered: 1, ResponseRate: ptr(1.0)}},
		{Key: "courier", Figures: reports.Figures{Replies: 2, Negative: 1, NegativeRate: ptr(0.5),
			Scores: reports.Scores{Distributive: s(62.5), Procedural: s(60), Interactional: s(77.5), Overall: s(62.5)}, Complaints: 1,
			Sent: 4, Answered: 3, ResponseRate: ptr(0.75)}},
		{Key: "", Figures: reports.Figures{Sent: 1, ResponseRate: ptr(0.0)}},
	}
	if got, exp := jsonOf(t, b.Rows), jsonOf(t, want); got != exp {
		t.Errorf("by touchpoint\n got %s\nwant %s", got, exp)
	}
	for _, by := range []reports.Split{reports.ByChannel, reports.ByTeam, reports.ByCampaign, reports.BySegment} {
		b, err := w.store.Breakdown(ctx, w.q, by)
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]int{}
		for _, r := range b.Rows {
			keys[r.Key] = r.Replies
		}
		want := map[reports.Split]map[string]int{
			reports.ByChannel:  {"phone": 1, "store": 1, "web": 1, "": 0},
			reports.ByTeam:     {"north": 2, "south": 1, "": 0},
			reports.ByCampaign: {"after service": 3, "newsletter": 0},
			reports.BySegment:  {"gold": 2, "basic": 1, "": 0},
		}[by]
		if jsonOf(t, keys) != jsonOf(t, want) {
			t.Errorf("by %s: %v, want %v", by, keys, want)
		}
	}
	if _, err := w.store.Breakdown(ctx, w.q, "colour"); err == nil {
		t.Error("an unknown split must be refused")
	}
}

func TestRisksComplaintsAndSilent(t *testing.T) {
	t.Parallel()
	w := newWeeks(t)
	ctx := context.Background()
	risks, err := w.store.Risks(ctx, w.q)
	if err != nil {
		t.Fatal(err)
	}
	if len(risks) != 13 || risks[0] != (reports.RiskCount{Risk: "temporal", Replies: 2, Complaints: 2}) ||
		risks[1] != (reports.RiskCount{Risk: "financial", Replies: 1, Complaints: 1}) || risks[2] != (reports.RiskCount{Risk: "knowledge"}) {
		t.Errorf("risks: %+v", risks)
	}
	now := at("2026-10-27T00:00:00Z")
	c, err := w.store.Complaints(ctx, w.q, now)
	if err != nil {
		t.Fatal(err)
	}
	want := reports.ComplaintFigures{Opened: 2, ByPriority: map[string]int{"P1": 1, "P2": 1, "P3": 0, "P4": 0}, P1: 1, P2: 1,
		AckDue: 2, AckOnTime: 1, AckOnTimeRate: ptr(0.5), Resolved: 1, Overdue: 1, DeadlineBreached: 1, DoubleDeviations: 1,
		RecoveryPositive: 1, RecoveryRate: ptr(1.0), CompensationGrantedCents: 2500}
	if jsonOf(t, c) != jsonOf(t, want) || c.P1 != 1 {
		t.Errorf("complaints\n got %s\nwant %s", jsonOf(t, c), jsonOf(t, want))
	}
	dd, err := w.store.DoubleDeviations(ctx, at("2026-10-19T00:00:00Z"), at("2026-10-26T00:00:00Z"), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dd) != 1 || dd[0].ComplaintID != w.lateComp || dd[0].Reason != "promise_missed" || !dd[0].At.Equal(at("2026-10-21T12:00:00Z")) {
		t.Errorf("double deviations: %+v", dd)
	}
	si, err := w.store.Silent(ctx, w.q)
	if err != nil {
		t.Fatal(err)
	}
	// 6 sent, 4 answered (one not scored yet); 2 of 3 replies negative:
	// the 2 silent ones are unhappy as often, 1.33 → 1. The literature's
	// ratios: 26 silent per negative reply; the 2 are 5–10 % of 20–40
	// unhappy customers.
	wantS := reports.Silent{Sent: 6, Answered: 4, Unanswered: 2, Replies: 3, Negative: 2, ResponseRate: ptr(0.6667), NegativeRate: ptr(0.6667),
		Extrapolated: ptr(1), SeedSilent: 52, SeedTotalLow: 20, SeedTotalHigh: 40}
	if jsonOf(t, si) != jsonOf(t, wantS) {
		t.Errorf("silent\n got %s\nwant %s", jsonOf(t, si), jsonOf(t, wantS))
	}
}

func TestEmptyRangeAndBadQueries(t *testing.T) {
	t.Parallel()
	db := testenv.NewSchema(t).DB
	store := reports.NewStore(db)
	ctx := context.Background()
	q := reports.Query{From: at("2026-01-01T00:00:00Z"), To: at("2026-01-03T00:00:00Z"), Grain: reports.Day}
	tr, err := store.Trend(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Points) != 2 || tr.Points[1].Replies != 0 || tr.Points[1].Overall != nil || tr.Points[1].NegativeRate != nil {
		t.Errorf("empty days: %s", jsonOf(t, tr.Points))
	}
	si, err := store.Silent(ctx, q)
	if err != nil || si.Extrapolated != nil || si.SeedSilent != 0 {
		t.Errorf("silent without replies: %v %+v", err, si)
	}
	for _, tc := range []struct {
		q     reports.Query
		field string
	}{
		{reports.Query{From: q.To, To: q.From}, "to"},
		{reports.Query{From: q.From, To: q.To, Grain: "year"}, "grain"},
		{reports.Query{From: at("2000-01-01T00:00:00Z"), To: q.To, Grain: reports.Day}, "from"},
		{reports.Query{From: q.From, To: q.To, Filters: map[reports.Split]string{"colour": "red"}}, "colour"},
	} {
		_, err := store.Trend(ctx, tc.q)
		fe, ok := err.(*invalid.FieldError)
		if !ok || fe.Field != tc.field {
			t.Errorf("%+v: %v, want an error on %s", tc.q, err, tc.field)
		}
	}
}
