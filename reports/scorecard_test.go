package reports_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/reports"
)

// TestScorecard scores a month of complaints per agent and per team: each
// figure on lines with something and on lines with nothing in the period.
func TestScorecard(t *testing.T) {
	t.Parallel()
	db := testenv.NewSchema(t).DB
	fx := reportfix.New(t, db)
	store := reports.NewStore(db)
	from, to, now := at("2026-05-01T00:00:00Z"), at("2026-06-01T00:00:00Z"), at("2026-06-10T12:00:00Z")
	ann := fx.User("ann@x.test", "Ann", "cx")
	bob := fx.User("bob@x.test", "Bob", "cx")
	fx.User("cleo@x.test", "Cleo", "cx") // nothing in the period
	dan := fx.User("dan@x.test", "Dan", "cx")
	mia := fx.User("mia@x.test", "Mia", "manager")
	fx.User("max@x.test", "Max", "manager") // owns nothing: not an agent line
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE users SET team = 'store-a' WHERE id = $1`, ann)
	exec(`UPDATE users SET team = 'store-b' WHERE id = $1`, bob)
	exec(`UPDATE users SET team = 'store-c' WHERE email = 'cleo@x.test'`)
	exec(`UPDATE users SET disabled_at = $2, team = 'store-d' WHERE id = $1`, dan, from) // disabled, nothing: no line
	type complaint struct {
		reportfix.Complaint
		team               string
		suggested, maximum int64
		reopenedAt         *time.Time
	}
	d := func(s string) time.Time { return at(s + "T10:00:00Z") }
	p := func(s string) *time.Time { return ptr(d(s)) }
	for _, c := range []complaint{
		// Ann: acknowledged and resolved on time, recovery positive, granted within advice.
		{reportfix.Complaint{OwnerID: &ann, OpenedAt: d("2026-05-03"), DueAt: d("2026-05-04"), AcknowledgedAt: p("2026-05-03"),
			ResolvedAt: p("2026-05-03"), Recovery: "positive", Compensation: 5000}, "store-a", 4000, 6000, nil},
		// Ann: acknowledged and resolved late, recovery negative, granted above advice.
		{reportfix.Complaint{OwnerID: &ann, OpenedAt: d("2026-05-05"), DueAt: d("2026-05-06"), AcknowledgedAt: p("2026-05-07"),
			ResolvedAt: p("2026-05-08"), Recovery: "negative", Compensation: 10000}, "store-a", 2000, 3000, nil},
		// Ann: opened the last day, not acknowledged, resolved after the period.
		{reportfix.Complaint{OwnerID: &ann, OpenedAt: at("2026-05-31T23:00:00Z"), DueAt: d("2026-06-02"),
			ResolvedAt: p("2026-06-03")}, "store-a", 0, 0, nil},
		// Ann: after the period altogether.
		{reportfix.Complaint{OwnerID: &ann, OpenedAt: d("2026-06-02"), DueAt: d("2026-06-03"), AcknowledgedAt: p("2026-06-04"),
			ResolvedAt: p("2026-06-05"), Compensation: 99900}, "store-a", 0, 0, nil},
		// Bob: a mild case spared the acknowledgement, resolved on time; an apology advised.
		{reportfix.Complaint{OwnerID: &bob, OpenedAt: d("2026-05-10"), DueAt: d("2026-05-11"), ResolvedAt: p("2026-05-10"), Spared: true},
			"store-b", 0, 0, nil},
		// Bob: opened before the period, resolved late in it.
		{reportfix.Complaint{OwnerID: &bob, OpenedAt: d("2026-04-20"), DueAt: d("2026-04-21"), AcknowledgedAt: p("2026-04-20"),
			ResolvedAt: p("2026-05-02")}, "store-b", 0, 0, nil},
		// Bob: resolved in April, reopened in May, open again.
		{reportfix.Complaint{OwnerID: &bob, State: "in_progress", OpenedAt: d("2026-04-01"), DueAt: d("2026-05-16"),
			AcknowledgedAt: p("2026-04-01")}, "store-b", 0, 0, p("2026-05-15")},
		// Mia, a manager, owns one: acknowledged on time, open.
		{reportfix.Complaint{OwnerID: &mia, OpenedAt: d("2026-05-25"), DueAt: d("2026-05-26"), AcknowledgedAt: p("2026-05-25")},
			"store-a", 0, 0, nil},
		// Nobody's, no team: its acknowledgement is overdue.
		{reportfix.Complaint{OpenedAt: d("2026-05-20"), DueAt: d("2026-05-21")}, "", 0, 0, nil},
	} {
		c.Response = fx.Reply(reportfix.Reply{At: c.OpenedAt.Add(-time.Hour), Overall: s(20), Negative: true})
		id := fx.Complaint(c.Complaint)
		exec(`UPDATE complaints SET team = $2, advice = jsonb_build_object('kind', 'gesture', 'suggested_cents', $3::bigint,
			'min_cents', 0, 'max_cents', $4::bigint) WHERE id = $1`, id, c.team, c.suggested, c.maximum)
		if c.reopenedAt != nil {
			exec(`INSERT INTO complaint_events (complaint_id, kind, created_at) VALUES ($1, 'reopened', $2)`, id, *c.reopenedAt)
			exec(`UPDATE complaints SET reopened_count = 1 WHERE id = $1`, id)
		}
	}

	sc, err := store.Scorecard(context.Background(), from, to, now)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		label                                                   string
		handled, ackDue, ackOnTime, resolvedOnTime, recAnswered int
		recPositive                                             int
		compensation                                            string
		above, reopened                                         int
		ackRate, resolvedRate, recRate                          *float64
	}
	check := func(kind string, got []reports.ScoreLine, wants []want) {
		t.Helper()
		if len(got) != len(wants) {
			var labels []string
			for _, l := range got {
				labels = append(labels, l.Label)
			}
			t.Fatalf("%s: %d lines %v, want %d", kind, len(got), labels, len(wants))
		}
		for i, w := range wants {
			g := got[i]
			gw := want{g.Label, g.Handled, g.AckDue, g.AckOnTime, g.ResolvedOnTime, g.RecoveryAnswered, g.RecoveryPositive,
				money(g.Compensation), g.AboveAdvice, g.Reopened, g.AckOnTimeRate, g.ResolvedOnTimeRate, g.RecoveryRate}
			if !sameLine(gw.ackRate, w.ackRate) || !sameLine(gw.resolvedRate, w.resolvedRate) || !sameLine(gw.recRate, w.recRate) {
				t.Errorf("%s %d %s rates: %v %v %v, want %v %v %v", kind, i, w.label, deref(gw.ackRate), deref(gw.resolvedRate),
					deref(gw.recRate), deref(w.ackRate), deref(w.resolvedRate), deref(w.recRate))
			}
			gw.ackRate, gw.resolvedRate, gw.recRate, w.ackRate, w.resolvedRate, w.recRate = nil, nil, nil, nil, nil, nil
			if gw != w {
				t.Errorf("%s %d:\n got %+v\nwant %+v", kind, i, gw, w)
			}
		}
	}
	half, one, zero := ptr(0.5), ptr(1.0), ptr(0.0)
	check("agents", sc.Agents, []want{
		{"Ann", 2, 3, 1, 1, 2, 1, "EUR 15000/6000", 1, 0, ptr(0.3333), half, half},
		{"Bob", 2, 0, 0, 1, 0, 0, "EUR 0/0", 0, 1, nil, half, nil},
		{"Cleo", 0, 0, 0, 0, 0, 0, "", 0, 0, nil, nil, nil},
		{"Mia", 0, 1, 1, 0, 0, 0, "", 0, 0, one, nil, nil},
		{"unassigned", 0, 1, 0, 0, 0, 0, "", 0, 0, zero, nil, nil},
	})
	check("teams", sc.Teams, []want{
		{"store-a", 2, 4, 2, 1, 2, 1, "EUR 15000/6000", 1, 0, half, half, half},
		{"store-b", 2, 0, 0, 1, 0, 0, "EUR 0/0", 0, 1, nil, half, nil},
		{"store-c", 0, 0, 0, 0, 0, 0, "", 0, 0, nil, nil, nil},
		{"no team", 0, 1, 0, 0, 0, 0, "", 0, 0, zero, nil, nil},
	})
	check("total", []reports.ScoreLine{sc.Total}, []want{
		{"total", 4, 5, 2, 2, 2, 1, "EUR 15000/6000", 1, 1, ptr(0.4), half, half},
	})

	// A period with nothing in it: every enabled agent and team, all zero, no rate.
	sc, err = store.Scorecard(context.Background(), at("2025-01-01T00:00:00Z"), at("2025-02-01T00:00:00Z"), now)
	if err != nil {
		t.Fatal(err)
	}
	check("empty agents", sc.Agents, []want{{label: "Ann"}, {label: "Bob"}, {label: "Cleo"}})
	check("empty teams", sc.Teams, []want{{label: "store-a"}, {label: "store-b"}, {label: "store-c"}})
	if _, err := store.Scorecard(context.Background(), to, from, now); err == nil {
		t.Error("a period ending before it starts must be refused")
	}
}

// TestScorecardCurrencies: compensation in different currencies is shown
// per currency on every line, never added together: a complaint's currency
// is its grants', else its customer's, else the default one.
func TestScorecardCurrencies(t *testing.T) {
	t.Parallel()
	db := testenv.NewSchema(t).DB
	fx := reportfix.New(t, db)
	store := reports.NewStore(db)
	store.SetCurrency("CHF")
	from, to, now := at("2026-05-01T00:00:00Z"), at("2026-06-01T00:00:00Z"), at("2026-06-10T12:00:00Z")
	ann := fx.User("ann@x.test", "Ann", "cx")
	d := func(s string) time.Time { return at(s + "T10:00:00Z") }
	for _, c := range []struct {
		customerCurrency, grantCurrency string
		granted, suggested              int64
	}{
		{"EUR", "", 5000, 4000},
		{"CAD", "", 20000, 10000},
		{"", "", 1000, 1000},    // the default currency
		{"EUR", "CAD", 3000, 0}, // its grants say CAD
		{"CAD", "", 2500, 500},
	} {
		rep := fx.Reply(reportfix.Reply{At: d("2026-05-02").Add(-time.Hour), Overall: s(20), Negative: true})
		id := fx.Complaint(reportfix.Complaint{Response: rep, OwnerID: &ann, OpenedAt: d("2026-05-02"), DueAt: d("2026-05-03"),
			AcknowledgedAt: ptr(d("2026-05-02")), ResolvedAt: ptr(d("2026-05-02")), Compensation: c.granted})
		if _, err := db.Exec(`UPDATE complaints SET team = 'north', advice = jsonb_build_object('suggested_cents', $2::bigint) WHERE id = $1`,
			id, c.suggested); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE customers SET currency = NULLIF($2, '') WHERE id = (SELECT customer_id FROM complaints WHERE id = $1)`,
			id, c.customerCurrency); err != nil {
			t.Fatal(err)
		}
		if c.grantCurrency != "" {
			if _, err := db.Exec(`INSERT INTO compensation_grants (complaint_id, cents, currency, state, requested_at)
				VALUES ($1, $2, $3, 'granted', $4)`, id, c.granted, c.grantCurrency, d("2026-05-02")); err != nil {
				t.Fatal(err)
			}
		}
	}
	sc, err := store.Scorecard(context.Background(), from, to, now)
	if err != nil {
		t.Fatal(err)
	}
	const want = "CAD 25500/10500; CHF 1000/1000; EUR 5000/4000"
	for name, l := range map[string]reports.ScoreLine{"agent": sc.Agents[0], "team": sc.Teams[0], "total": sc.Total} {
		if got := money(l.Compensation); got != want || l.Handled != 5 {
			t.Errorf("%s: %d handled, %s, want 5 and %s", name, l.Handled, got, want)
		}
	}
}

// money writes amounts per currency: "EUR 15000/6000; CAD 100/0".
func money(amounts []reports.CurrencyAmounts) string {
	var parts []string
	for _, a := range amounts {
		parts = append(parts, fmt.Sprintf("%s %d/%d", a.Currency, a.GrantedCents, a.AdvisedCents))
	}
	return strings.Join(parts, "; ")
}

func sameLine(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
