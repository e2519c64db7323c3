package reports_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/reports"
	"github.com/followup/followup/surveys"
)

// rc is a risk's replies and complaints in one period.
func rc(risk string, replies, complaints int) reports.RiskCount {
	return reports.RiskCount{Risk: surveys.Risk(risk), Replies: replies, Complaints: complaints}
}

// TestRiskTrendPerWeek: the three weeks of the shared fixture, the empty
// W42 included.
func TestRiskTrendPerWeek(t *testing.T) {
	t.Parallel()
	w := newWeeks(t)
	tr, err := w.store.RiskTrend(context.Background(), w.q, reports.DefaultTopRisks)
	if err != nil {
		t.Fatal(err)
	}
	// Only two risks showed: the other eleven are not followed.
	want := reports.RiskTrend{Grain: reports.Week, Risks: []surveys.Risk{"temporal", "financial"}, Points: []reports.RiskPoint{
		{Period: "2026-W41", Start: "2026-10-05", Risks: []reports.RiskCount{rc("temporal", 1, 1), rc("financial", 1, 1)}},
		{Period: "2026-W42", Start: "2026-10-12", Risks: []reports.RiskCount{rc("temporal", 0, 0), rc("financial", 0, 0)}},
		{Period: "2026-W43", Start: "2026-10-19", Risks: []reports.RiskCount{rc("temporal", 1, 1), rc("financial", 0, 0)}},
	}}
	if got, exp := jsonOf(t, tr), jsonOf(t, want); got != exp {
		t.Errorf("risk trend\n got %s\nwant %s", got, exp)
	}
}

// days is a hand-computed fixture over four days of March 2026, the 3rd
// empty, with four risks of which the top three are followed:
//
//	            temporal   financial  attitude   (sensory: 4th, cut off)
//	03-02       2 r, 1 c   1 r        1 c
//	03-03       –          –          –
//	03-04       1 r        1 r        1 r
//	03-05       1 c        –          –
//	whole span  3 r, 2 c   2 r        1 r, 1 c   1 r
func TestRiskTrendTopRisksPerDay(t *testing.T) {
	t.Parallel()
	db := testenv.NewSchema(t).DB
	fx := reportfix.New(t, db)
	store := reports.NewStore(db)
	ctx := context.Background()
	shop := fx.Reply(reportfix.Reply{At: at("2026-03-02T10:00:00Z"), Touchpoint: "shop", Overall: s(10), Negative: true,
		Risks: []string{"temporal", "financial"}})
	// The complaint keeps its own risks (the CX team retagged it).
	first := fx.Complaint(reportfix.Complaint{Response: shop, OpenedAt: at("2026-03-02T10:00:00Z"), DueAt: at("2026-03-03T10:00:00Z"),
		Risks: []string{"temporal", "attitude"}})
	fx.Reply(reportfix.Reply{At: at("2026-03-02T12:00:00Z"), Touchpoint: "courier", Overall: s(60), Risks: []string{"temporal"}})
	fx.Reply(reportfix.Reply{At: at("2026-03-04T09:00:00Z"), Touchpoint: "courier", Overall: s(40), Risks: []string{"financial", "attitude"}})
	late := fx.Reply(reportfix.Reply{At: at("2026-03-04T18:00:00Z"), Touchpoint: "shop", Overall: s(15), Negative: true, Risks: []string{"temporal"}})
	// Opened the day after its reply: it counts on the 5th.
	fx.Complaint(reportfix.Complaint{Response: late, OpenedAt: at("2026-03-05T01:00:00Z"), DueAt: at("2026-03-06T01:00:00Z"),
		Risks: []string{"temporal"}})
	fx.Reply(reportfix.Reply{At: at("2026-03-05T08:00:00Z"), Touchpoint: "shop", Overall: s(50), Risks: []string{"sensory"}})
	// Left out: just outside the span, not scored yet, a recovery follow-up.
	fx.Reply(reportfix.Reply{At: at("2026-03-01T23:59:59Z"), Touchpoint: "shop", Overall: s(0), Risks: []string{"temporal", "security"}})
	fx.Reply(reportfix.Reply{At: at("2026-03-06T00:00:00Z"), Touchpoint: "shop", Overall: s(0), Risks: []string{"temporal", "security"}})
	fx.Reply(reportfix.Reply{At: at("2026-03-03T11:00:00Z"), Touchpoint: "shop", Unscored: true, Risks: []string{"security"}})
	fx.Reply(reportfix.Reply{At: at("2026-03-03T12:00:00Z"), RecoveryOf: first, Overall: s(5), Risks: []string{"security"}})

	q := reports.Query{From: at("2026-03-02T00:00:00Z"), To: at("2026-03-06T00:00:00Z"), Grain: reports.Day, Location: time.UTC}
	tr, err := store.RiskTrend(ctx, q, 3)
	if err != nil {
		t.Fatal(err)
	}
	want := reports.RiskTrend{Grain: reports.Day, Risks: []surveys.Risk{"temporal", "financial", "attitude"}, Points: []reports.RiskPoint{
		{Period: "2026-03-02", Start: "2026-03-02", Risks: []reports.RiskCount{rc("temporal", 2, 1), rc("financial", 1, 0), rc("attitude", 0, 1)}},
		{Period: "2026-03-03", Start: "2026-03-03", Risks: []reports.RiskCount{rc("temporal", 0, 0), rc("financial", 0, 0), rc("attitude", 0, 0)}},
		{Period: "2026-03-04", Start: "2026-03-04", Risks: []reports.RiskCount{rc("temporal", 1, 0), rc("financial", 1, 0), rc("attitude", 1, 0)}},
		{Period: "2026-03-05", Start: "2026-03-05", Risks: []reports.RiskCount{rc("temporal", 0, 1), rc("financial", 0, 0), rc("attitude", 0, 0)}},
	}}
	if got, exp := jsonOf(t, tr), jsonOf(t, want); got != exp {
		t.Errorf("top 3 per day\n got %s\nwant %s", got, exp)
	}
	// Summed over the days, each risk's counts are those of Risks.
	totals, err := store.Risks(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range tr.Risks {
		sum := reports.RiskCount{Risk: r}
		for _, p := range tr.Points {
			sum.Replies += p.Risks[i].Replies
			sum.Complaints += p.Risks[i].Complaints
		}
		if totals[i] != sum {
			t.Errorf("%s summed over the days %+v, over the span %+v", r, sum, totals[i])
		}
	}
	if totals[3] != rc("sensory", 1, 0) {
		t.Errorf("the fourth risk, cut off: %+v", totals[3])
	}

	// One touchpoint: the courier's two replies, no complaint; equal
	// counts keep the source material's order.
	q.Filters = map[reports.Split]string{reports.ByTouchpoint: "courier"}
	if tr, err = store.RiskTrend(ctx, q, 13); err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(t, tr.Risks); got != `["attitude","financial","temporal"]` {
		t.Errorf("courier's risks %s", got)
	}
	if got := jsonOf(t, tr.Points[0].Risks); got != jsonOf(t, []reports.RiskCount{rc("attitude", 0, 0), rc("financial", 0, 0), rc("temporal", 1, 0)}) {
		t.Errorf("courier on the 2nd %s", got)
	}

	// One ISO week in Tokyo (from 15:00 UTC on Sunday the 1st): the two
	// replies just outside the UTC span fall inside it, 5 replies.
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	q = reports.Query{From: time.Date(2026, 3, 2, 0, 0, 0, 0, tokyo), To: time.Date(2026, 3, 9, 0, 0, 0, 0, tokyo), Grain: reports.Week, Location: tokyo}
	if tr, err = store.RiskTrend(ctx, q, 1); err != nil {
		t.Fatal(err)
	}
	if len(tr.Points) != 1 || tr.Points[0].Period != "2026-W10" || jsonOf(t, tr.Points[0].Risks) != jsonOf(t, []reports.RiskCount{rc("temporal", 5, 2)}) {
		t.Errorf("one week in Tokyo: %s", jsonOf(t, tr))
	}
}

// TestRiskTrendEmptyAndBad: no risk at all still gives every period, and
// the number of risks followed is checked.
func TestRiskTrendEmptyAndBad(t *testing.T) {
	t.Parallel()
	store := reports.NewStore(testenv.NewSchema(t).DB)
	ctx := context.Background()
	q := reports.Query{From: at("2026-01-01T00:00:00Z"), To: at("2026-03-01T00:00:00Z"), Grain: reports.Month}
	tr, err := store.RiskTrend(ctx, q, reports.DefaultTopRisks)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(t, tr); got != `{"grain":"month","risks":[],"points":[{"period":"2026-01","start":"2026-01-01","risks":[]},{"period":"2026-02","start":"2026-02-01","risks":[]}]}` {
		t.Errorf("empty months: %s", got)
	}
	for _, top := range []int{0, 14, -1} {
		_, err := store.RiskTrend(ctx, q, top)
		var fe *invalid.FieldError
		if !errors.As(err, &fe) || fe.Field != "top" {
			t.Errorf("top %d: %v, want an error on top", top, err)
		}
	}
	q.Grain = "year"
	var fe *invalid.FieldError
	if _, err := store.RiskTrend(ctx, q, 5); !errors.As(err, &fe) || fe.Field != "grain" {
		t.Errorf("a bad query: %v", err)
	}
}
