package privacy_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/feedback"
	"github.com/followup/followup/inbound"
	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/privacy"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
	"github.com/followup/followup/worker"
)

// env is a privacy service on a schema of its own, with the report
// fixtures to write rows.
type env struct {
	s   *testenv.Schema
	f   *reportfix.Fixture
	svc *privacy.Service
	clk *clock.Fake
}

func newEnv(t *testing.T) *env {
	t.Helper()
	s := testenv.NewSchema(t)
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	svc := &privacy.Service{DB: s.DB, Customers: customers.NewStore(s.DB), Surveys: surveys.NewStore(s.DB),
		Scheduler: scheduler.NewStore(s.DB), Complaints: complaints.NewStore(s.DB, complaints.DefaultPolicy()),
		Inbound: inbound.NewStore(s.DB), Alerts: feedback.NewStore(s.DB), Clock: clk}
	return &env{s: s, f: reportfix.New(t, s.DB), svc: svc, clk: clk}
}

func (e *env) exec(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := e.s.DB.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (e *env) text(t *testing.T, q string, args ...any) string {
	t.Helper()
	var out string
	if err := e.s.DB.Get(&out, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

var cli = privacy.Actor{Label: "cli:test"}

// TestEraseKeepsTheFiguresAndNotTheWords: what a reply keeps once its
// customer is erased, case by case: the customer's words go (comment,
// free-text answers, the evidence and terms quoted from them), ratings,
// choices, scores and risks stay, and an empty text stays empty.
func TestEraseKeepsTheFiguresAndNotTheWords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := []struct {
		name        string
		comment     string
		answers     map[string]any
		signals     string
		wantComment string
		wantAnswers string
		wantSignals string
	}{
		{"comment and free text", "Jean Dupont, 12 rue X: rude courier", map[string]any{"overall": 3, "comment": "call me on 0612"},
			`[{"kind": "anger", "term": "rude", "evidence": "rude courier", "confidence": 0.9}]`,
			"[erased]", `{"comment": "[erased]", "overall": 3}`, `[{"kind": "anger", "term": "[erased]", "evidence": "[erased]", "confidence": 0.9}]`},
		{"nothing written", "", map[string]any{"overall": 9, "comment": ""}, `[]`,
			"", `{"comment": "", "overall": 9}`, `[]`},
		{"choices kept", "late", map[string]any{"overall": 5, "what_went_wrong": []string{"delays"}}, `[{"kind": "public"}]`,
			"[erased]", `{"overall": 5, "what_went_wrong": ["delays"]}`, `[{"kind": "public"}]`},
	}
	for _, c := range cases {
		id := e.f.Reply(reportfix.Reply{At: e.clk.Now().Add(-time.Hour), Overall: reportfix.Score(40), Answers: c.answers, Risks: []string{"temporal"}})
		e.exec(t, `UPDATE responses SET comment = $2, signals = $3, risk_evidence = $3 WHERE id = $1`, id, c.comment, c.signals)
		var customerID int64
		if err := e.s.DB.Get(&customerID, `SELECT customer_id FROM responses WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		out, err := e.svc.Erase(context.Background(), cli, customerID)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got struct {
			Comment string  `db:"comment"`
			Answers string  `db:"answers"`
			Signals string  `db:"signals"`
			Risks   string  `db:"risks"`
			Overall float64 `db:"score_overall"`
		}
		if err := e.s.DB.Get(&got, `SELECT comment, answers::text AS answers, signals::text AS signals, risks::text AS risks, score_overall
			FROM responses WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		if got.Comment != c.wantComment || got.Answers != c.wantAnswers || got.Signals != c.wantSignals || got.Risks != "{temporal}" || got.Overall != 40 {
			t.Errorf("%s: %+v", c.name, got)
		}
		if wantRows := int64(0); c.wantComment != "" || c.wantSignals != c.signals {
			wantRows = 1
			if out.Rows["responses"] != wantRows {
				t.Errorf("%s: %d replies counted, want %d", c.name, out.Rows["responses"], wantRows)
			}
		}
		p, err := e.svc.Customers.Profile(context.Background(), nil, customerID)
		if err != nil || p.Name != "" || p.Email != customers.ErasedEmail(customerID) || p.ExternalRef != customers.ErasedRef(customerID) ||
			p.ErasedAt == nil || p.OptedOutAt == nil {
			t.Errorf("%s: profile %+v (%v)", c.name, p, err)
		}
	}
}

// TestErasedAddressStaysSuppressed: an address its owner unsubscribed is
// kept only as a hash once the customer is erased; should it come back
// with a new customer it is suppressed again at once. An address that was
// never suppressed leaves nothing behind.
func TestErasedAddressStaysSuppressed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	cs := e.svc.Customers
	record := func(ref, email string) int64 {
		r, err := cs.Record(ctx, e.s.DB, customers.EventInput{ExternalID: "ev-" + ref, Kind: "delivery", OccurredAt: e.clk.Now(),
			Customer: customers.CustomerInput{ExternalRef: ref, Email: email, Name: "Zoé " + ref}})
		if err != nil {
			t.Fatal(err)
		}
		return r.CustomerID
	}
	for _, c := range []struct {
		name       string
		suppressed bool
	}{{"unsubscribed", true}, {"never suppressed", false}} {
		email := "Zoe." + map[bool]string{true: "out", false: "in"}[c.suppressed] + "@example.com"
		id := record(c.name+"-1", email)
		if c.suppressed {
			if err := cs.OptOut(ctx, id, e.clk.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := e.svc.Erase(ctx, cli, id); err != nil {
			t.Fatal(err)
		}
		if reason, err := cs.AddressSuppression(ctx, email); err != nil || reason != "" {
			t.Errorf("%s: the address is still suppressed in clear after the erase: %q %v", c.name, reason, err)
		}
		var hashed int
		if err := e.s.DB.Get(&hashed, `SELECT count(*) FROM email_suppressions WHERE email = customer_email_hash($1)`, email); err != nil {
			t.Fatal(err)
		}
		if (hashed == 1) != c.suppressed {
			t.Errorf("%s: %d hashed suppressions", c.name, hashed)
		}
		record(c.name+"-2", email)
		reason, err := cs.AddressSuppression(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]string{true: customers.SuppressedUnsubscribed, false: ""}[c.suppressed]; reason != want {
			t.Errorf("%s: the address came back suppressed %q, want %q", c.name, reason, want)
		}
	}
}

// TestResolveNamesOneCustomer: a command names a customer by external
// reference, email or id:N; an address two customers share is refused.
func TestResolveNamesOneCustomer(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	cs := e.svc.Customers
	ids := map[string]int64{}
	for _, c := range [][2]string{{"A-1", "ann@example.com"}, {"B-2", "shared@example.com"}, {"C-3", "shared@example.com"}} {
		r, err := cs.Record(ctx, e.s.DB, customers.EventInput{ExternalID: "ev-" + c[0], Kind: "delivery", OccurredAt: e.clk.Now(),
			Customer: customers.CustomerInput{ExternalRef: c[0], Email: c[1]}})
		if err != nil {
			t.Fatal(err)
		}
		ids[c[0]] = r.CustomerID
	}
	for _, c := range []struct {
		ref     string
		want    int64
		wantErr bool
	}{
		{"A-1", ids["A-1"], false},
		{"ANN@example.com", ids["A-1"], false},
		{"id:" + jsonInt(ids["B-2"]), ids["B-2"], false},
		{"shared@example.com", 0, true},
		{"nobody", 0, true},
		{"id:999999", 0, true},
	} {
		got, err := cs.Resolve(ctx, c.ref)
		if got != c.want || (err != nil) != c.wantErr {
			t.Errorf("Resolve(%q) = %d, %v; want %d (error %v)", c.ref, got, err, c.want, c.wantErr)
		}
	}
	if _, err := cs.Resolve(ctx, "nobody"); !errors.Is(err, customers.ErrNotFound) {
		t.Errorf("an unknown customer: %v, want ErrNotFound", err)
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestRetentionPurgesWhatIsOld: with a retention of 12 months, the
// comments and messages written before the cutoff are replaced, the
// recent ones kept; time passing (the fake clock) brings the recent ones
// past it; a pass with nothing new changes nothing; 0 keeps everything.
func TestRetentionPurgesWhatIsOld(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	now := e.clk.Now()
	reply := func(at time.Time) (response, complaint int64) {
		response = e.f.Reply(reportfix.Reply{At: at, Overall: reportfix.Score(20), Negative: true, Answers: map[string]any{"comment": "my words"}})
		e.exec(t, `UPDATE responses SET comment = 'my words' WHERE id = $1`, response)
		complaint = e.f.Complaint(reportfix.Complaint{Response: response, OpenedAt: at, DueAt: at.Add(time.Hour)})
		e.exec(t, `INSERT INTO complaint_messages (complaint_id, kind, subject, body, send_at, state, created_at, direction)
			VALUES ($1, 'customer_reply', 'Re: late', 'my words by email', $2, 'received', $2, 'in')`, complaint, at)
		e.exec(t, `INSERT INTO inbound_messages (received_at, source, rcpt_to, route_kind, route_id, content_sha256, size, raw, state, from_address, subject, body)
			VALUES ($1::timestamptz, 'smtp', 'c' || $2::bigint || '@reply.test', 'c', $2::bigint, sha256(convert_to($1::timestamptz::text, 'UTF8')), 10, 'raw words', 'routed', 'me@example.com', 'Re: late', 'my words by email')`, at, complaint)
		return response, complaint
	}
	oldR, oldC := reply(now.AddDate(-1, -1, 0))
	newR, newC := reply(now.AddDate(0, -1, 0))
	words := func(response, complaint int64) string {
		return e.text(t, `SELECT r.comment || '|' || (r.answers ->> 'comment') || '|' || m.body || '|' || i.body || '|' || length(i.raw)
			FROM responses r, complaint_messages m, inbound_messages i WHERE r.id = $1 AND m.complaint_id = $2 AND i.route_id = $2`, response, complaint)
	}
	const kept, purged = "my words|my words|my words by email|my words by email|9", "[erased]|[erased]|[erased]|[erased]|0"

	if p, err := e.svc.Purge(ctx, e.clk.Now(), 0); err != nil || p.Total() != 0 || words(oldR, oldC) != kept {
		t.Fatalf("retention 0: %+v %v, old reply %q", p, err, words(oldR, oldC))
	}
	p, err := e.svc.Purge(ctx, e.clk.Now(), 12)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int64{"responses": 1, "complaint_messages": 1, "inbound_messages": 1, "alerts": 0}; jsonOf(p.Rows) != jsonOf(want) {
		t.Errorf("purged %v, want %v", p.Rows, want)
	}
	if got := words(oldR, oldC); got != purged {
		t.Errorf("the old reply after the purge: %q", got)
	}
	if got := words(newR, newC); got != kept {
		t.Errorf("the recent reply after the purge: %q", got)
	}
	if p, err := e.svc.Purge(ctx, e.clk.Now(), 12); err != nil || p.Total() != 0 {
		t.Errorf("a second pass: %+v %v", p, err)
	}
	e.clk.Set(now.AddDate(0, 11, 1)) // the recent reply is now a year and a day old
	if p, err := e.svc.Purge(ctx, e.clk.Now(), 12); err != nil || p.Total() != 3 || words(newR, newC) != purged {
		t.Errorf("eleven months later: %+v %v, the reply %q", p, err, words(newR, newC))
	}
	if n := e.text(t, `SELECT count(*)::text FROM responses WHERE score_overall = 20 AND negative`); n != "2" {
		t.Errorf("%s replies keep their figures, want 2", n)
	}
}

func jsonOf(v any) string { b, _ := json.Marshal(v); return string(b) }

// TestEraseNeedsTheQueue: when Redis cannot be reached the queue cannot be
// scrubbed of the address, and nothing is erased nor audited: the erase
// can be asked again with the address still known.
func TestEraseNeedsTheQueue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // a port nothing listens on: Redis is down
	rdb := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second})
	defer rdb.Close()
	e.svc.Tasks = worker.NewClient(rdb, worker.ClientConfig{Queues: worker.Queues{Prefix: "down-"}})
	r, err := e.svc.Customers.Record(ctx, e.s.DB, customers.EventInput{ExternalID: "ev-1", Kind: "delivery", OccurredAt: e.clk.Now(),
		Customer: customers.CustomerInput{ExternalRef: "R-1", Email: "kept@example.com", Name: "Kept"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Erase(ctx, cli, r.CustomerID); err == nil || !strings.Contains(err.Error(), "nothing was erased") {
		t.Fatalf("erase with Redis down: %v", err)
	}
	if got := e.text(t, `SELECT email || ' ' || name || ' ' || (erased_at IS NULL)::text FROM customers WHERE id = $1`, r.CustomerID); got != "kept@example.com Kept true" {
		t.Errorf("after a failed erase the customer is %q", got)
	}
	if n := e.text(t, `SELECT count(*)::text FROM privacy_audit`); n != "0" {
		t.Errorf("%s audit rows for an erase that did not happen", n)
	}
}
