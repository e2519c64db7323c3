package corrections_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/comments"
	"github.com/followup/followup/complaints"
	"github.com/followup/followup/corrections"
	"github.com/followup/followup/internal/reportfix"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/invalid"
	"github.com/followup/followup/surveys"
)

// TestLabels turns what the reading stored and the corrections into the
// corpus's labels (negative, public, legal, leave, incivility).
func TestLabels(t *testing.T) {
	t.Parallel()
	sig := func(kinds ...surveys.SignalKind) []surveys.Signal {
		var out []surveys.Signal
		for _, k := range kinds {
			out = append(out, surveys.Signal{Kind: k})
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		negative bool
		signals  []surveys.Signal
		kinds    []corrections.Kind
		want     [5]bool
	}{
		{"a fair reply, missed going public", false, nil, []corrections.Kind{corrections.MissedPublic}, [5]bool{true, true, false, false, false}},
		{"negative on its ratings, missed legal", true, nil, []corrections.Kind{corrections.MissedLegal}, [5]bool{true, false, true, false, false}},
		{"missed leaving", false, nil, []corrections.Kind{corrections.MissedLeave}, [5]bool{true, false, false, true, false}},
		{"an angry comment is negative", false, sig(surveys.SignalAnger), nil, [5]bool{true, false, false, false, false}},
		{"stored signals kept, one added", true, sig(surveys.SignalIncivility, surveys.SignalPublic), []corrections.Kind{corrections.MissedLeave},
			[5]bool{true, true, false, true, true}},
		{"threats have no label of their own", true, sig(surveys.SignalThreat), nil, [5]bool{true, false, false, false, false}},
		{"not a complaint clears everything", true, sig(surveys.SignalPublic, surveys.SignalIncivility, surveys.SignalAnger),
			[]corrections.Kind{corrections.NotComplaint}, [5]bool{}},
		{"a missed signal after not a complaint", true, sig(surveys.SignalLegal),
			[]corrections.Kind{corrections.NotComplaint, corrections.MissedPublic}, [5]bool{true, true, false, false, false}},
		{"not a complaint after a missed signal", false, nil,
			[]corrections.Kind{corrections.MissedPublic, corrections.NotComplaint}, [5]bool{}},
	} {
		if got := corrections.Labels(tc.negative, tc.signals, tc.kinds); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// fixture is a schema with replies to correct and the stores.
type fixture struct {
	db    *sqlx.DB
	f     *reportfix.Fixture
	store *corrections.Store
	agent int64
	now   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := testenv.NewSchema(t)
	f := reportfix.New(t, s.DB)
	cs := complaints.NewStore(s.DB, complaints.DefaultPolicy())
	return &fixture{db: s.DB, f: f, store: corrections.NewStore(s.DB, surveys.NewStore(s.DB), cs, corrections.Options{}),
		agent: f.User("sam@example.com", "Sam", "cx"), now: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
}

// reply writes a scored reply with a comment, as the reading stored it.
func (x *fixture) reply(t *testing.T, at time.Time, locale, comment string, negative bool, signals ...surveys.Signal) int64 {
	t.Helper()
	overall := 80.0
	if negative {
		overall = 20
	}
	id := x.f.Reply(reportfix.Reply{At: at, Touchpoint: "courier", Overall: &overall, Distributive: &overall, Procedural: &overall,
		Interactional: &overall, Negative: negative})
	var reasons []surveys.Reason
	if negative {
		reasons = append(reasons, surveys.Reason{Kind: surveys.ReasonLowScore, Dimension: surveys.Overall, Score: overall, Threshold: 50})
	}
	for _, sg := range signals {
		reasons = append(reasons, surveys.Reason{Kind: surveys.ReasonSignal, Signal: sg.Kind, Evidence: sg.Evidence, Confidence: sg.Confidence})
	}
	sj, _ := json.Marshal(append([]surveys.Signal{}, signals...))
	rj, _ := json.Marshal(append([]surveys.Reason{}, reasons...))
	if _, err := x.db.Exec(`UPDATE responses SET comment = $2, locale = $3, signals = $4, reasons = $5 WHERE id = $1`,
		id, comment, locale, sj, rj); err != nil {
		t.Fatal(err)
	}
	return id
}

func (x *fixture) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := x.db.Get(&n, query, args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAddOpensAComplaintOnceAndAnnotatesIt corrects a fair reply whose
// comment said the customer would go public: the correction opens its
// complaint at once (escalated as for a signal read), the same correction
// again changes nothing, and later corrections of the reply only add to
// the complaint's trail.
func TestAddOpensAComplaintOnceAndAnnotatesIt(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	ctx := context.Background()
	comment := "Fine I guess, but my cousin will hear about it on Facebook."
	id := x.reply(t, x.now.Add(-time.Hour), "en", comment, false)

	var ie *invalid.FieldError
	if _, err := x.store.Add(ctx, id, x.agent, "maybe_public", x.now); !errors.As(err, &ie) || ie.Field != "kind" {
		t.Errorf("a bad kind: %v", err)
	}
	if _, err := x.store.Add(ctx, id+1000, x.agent, corrections.MissedPublic, x.now); !errors.Is(err, corrections.ErrNotFound) {
		t.Errorf("an unknown response: %v", err)
	}
	if n := x.count(t, `SELECT count(*) FROM comment_corrections`); n != 0 {
		t.Fatalf("refused corrections stored %d rows", n)
	}

	added, err := x.store.Add(ctx, id, x.agent, corrections.MissedPublic, x.now)
	if err != nil {
		t.Fatal(err)
	}
	if !added.Created || added.Opened == nil || !added.Opened.Created || added.ComplaintID == nil || *added.ComplaintID != added.Opened.ID {
		t.Fatalf("added: %+v", added)
	}
	if added.Opened.Priority > complaints.P2 || len(added.Opened.Assessment.Escalations) == 0 ||
		added.Opened.Assessment.Escalations[0] != surveys.SignalPublic {
		t.Errorf("a missed intent to go public is at least P2, escalated: %+v", added.Opened)
	}
	var c struct {
		ResponseID int64  `db:"response_id"`
		Reasons    []byte `db:"reasons"`
		State      string `db:"state"`
	}
	if err := x.db.Get(&c, `SELECT response_id, reasons, state FROM complaints WHERE id = $1`, added.Opened.ID); err != nil {
		t.Fatal(err)
	}
	var reasons []surveys.Reason
	_ = json.Unmarshal(c.Reasons, &reasons)
	if c.ResponseID != id || c.State != complaints.StateOpen || len(reasons) != 1 || reasons[0].Signal != surveys.SignalPublic ||
		reasons[0].Evidence != comment {
		t.Errorf("complaint: %+v %+v", c, reasons)
	}
	// The reading the model stored stays as it was.
	var negative bool
	if err := x.db.Get(&negative, `SELECT negative FROM responses WHERE id = $1`, id); err != nil || negative {
		t.Errorf("the reply's stored reading changed: negative %v %v", negative, err)
	}

	again, err := x.store.Add(ctx, id, x.agent, corrections.MissedPublic, x.now.Add(time.Minute))
	if err != nil || again.Created || again.Opened != nil || again.ID != added.ID || !again.CreatedAt.Equal(x.now) {
		t.Errorf("the same correction again: %+v %v", again, err)
	}
	later, err := x.store.Add(ctx, id, x.agent, corrections.NotComplaint, x.now.Add(2*time.Minute))
	if err != nil || !later.Created || later.Opened != nil || later.ComplaintID == nil || *later.ComplaintID != added.Opened.ID {
		t.Errorf("not a complaint on the complaint: %+v %v", later, err)
	}
	if n := x.count(t, `SELECT count(*) FROM complaints`); n != 1 {
		t.Errorf("%d complaints, want 1", n)
	}
	if n := x.count(t, `SELECT count(*) FROM complaint_messages`); n != 0 {
		t.Errorf("%d emails queued without the loop", n)
	}
	var trail []struct {
		Kind  string `db:"kind"`
		Actor string `db:"actor"`
		Data  []byte `db:"data"`
	}
	if err := x.db.Select(&trail, `SELECT kind, actor, data FROM complaint_events WHERE complaint_id = $1 ORDER BY id`, added.Opened.ID); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range trail {
		var d map[string]any
		_ = json.Unmarshal(e.Data, &d)
		got = append(got, fmt.Sprintf("%s by %s: %v %v", e.Kind, e.Actor, d["correction"], d["opened"]))
	}
	want := []string{"opened by system: <nil> <nil>", "comment_corrected by sam@example.com: missed_public true",
		"comment_corrected by sam@example.com: not_complaint <nil>"}
	if !slices.Equal(got, want) {
		t.Errorf("trail:\n%q\nwant\n%q", got, want)
	}
	var st string
	if err := x.db.Get(&st, `SELECT state FROM complaints WHERE id = $1`, added.Opened.ID); err != nil || st != complaints.StateOpen {
		t.Errorf("a correction changed the complaint's state: %q %v", st, err)
	}

	list, err := x.store.List(ctx, id)
	if err != nil || len(list) != 2 || list[0].Kind != corrections.MissedPublic || list[1].Kind != corrections.NotComplaint ||
		list[0].By != "Sam" || list[0].UserID != x.agent {
		t.Errorf("list: %+v %v", list, err)
	}
}

// TestAddWithoutComplaint: "not a complaint" on a reply without complaint
// is recorded alone; a missed signal on a reply not scored yet waits for
// its scoring; a recovery survey's reply never opens a complaint.
func TestAddWithoutComplaint(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	ctx := context.Background()
	fair := x.reply(t, x.now.Add(-time.Hour), "en", "All good.", false)
	if a, err := x.store.Add(ctx, fair, x.agent, corrections.NotComplaint, x.now); err != nil || !a.Created || a.ComplaintID != nil {
		t.Errorf("not a complaint: %+v %v", a, err)
	}
	unscored := x.f.Reply(reportfix.Reply{At: x.now.Add(-time.Hour), Unscored: true})
	if _, err := x.store.Add(ctx, unscored, x.agent, corrections.MissedLeave, x.now); !errors.Is(err, corrections.ErrNotScored) {
		t.Errorf("a reply not scored yet: %v", err)
	}
	first := x.reply(t, x.now.Add(-3*time.Hour), "en", "Broken.", true)
	complaint := x.f.Complaint(reportfix.Complaint{Response: first, OpenedAt: x.now.Add(-2 * time.Hour), DueAt: x.now.Add(time.Hour)})
	recovery := x.f.Reply(reportfix.Reply{At: x.now.Add(-time.Hour), RecoveryOf: complaint})
	if a, err := x.store.Add(ctx, recovery, x.agent, corrections.MissedLegal, x.now); err != nil || a.Opened != nil || a.ComplaintID != nil {
		t.Errorf("a recovery reply: %+v %v", a, err)
	}
	if n := x.count(t, `SELECT count(*) FROM complaints`); n != 1 {
		t.Errorf("%d complaints, want 1", n)
	}
}

// TestConcurrentCorrectionsOpenOneComplaint: agents correcting one reply
// at once open one complaint; every other correction is on its trail.
func TestConcurrentCorrectionsOpenOneComplaint(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	ctx := context.Background()
	id := x.reply(t, x.now.Add(-time.Hour), "fr", "Je vais voir un avocat et le dire sur Facebook.", false)
	var wg sync.WaitGroup
	kinds := []corrections.Kind{corrections.MissedPublic, corrections.MissedLegal, corrections.MissedLeave, corrections.MissedPublic}
	errs := make([]error, len(kinds))
	for i, k := range kinds {
		wg.Go(func() { _, errs[i] = x.store.Add(ctx, id, x.agent, k, x.now) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := x.count(t, `SELECT count(*) FROM complaints WHERE response_id = $1`, id); n != 1 {
		t.Errorf("%d complaints, want 1", n)
	}
	if n := x.count(t, `SELECT count(*) FROM comment_corrections WHERE response_id = $1 AND complaint_id IS NOT NULL`, id); n != 3 {
		t.Errorf("%d corrections with the complaint, want 3", n)
	}
	if n := x.count(t, `SELECT count(*) FROM complaint_events WHERE kind = 'comment_corrected' AND (data->>'opened')::boolean`); n != 1 {
		t.Errorf("%d corrections say they opened the complaint, want 1", n)
	}
}

// TestCountsAndExport counts the corrections of a period per kind and
// exports the corrected replies with a comment as corpus rows.
func TestCountsAndExport(t *testing.T) {
	t.Parallel()
	x := newFixture(t)
	ctx := context.Background()
	day := func(d int) time.Time { return x.now.AddDate(0, 0, d) }
	angry := x.reply(t, day(-10), "fr", "Service lamentable, je change de fournisseur.", true,
		surveys.Signal{Kind: surveys.SignalAnger, Evidence: "lamentable", Confidence: 0.9})
	fair := x.reply(t, day(-10), "en", "They said they'd sue me, lol, all fine.", false,
		surveys.Signal{Kind: surveys.SignalLegal, Evidence: "sue", Confidence: 0.6})
	quiet := x.reply(t, day(-10), "en", "   ", true)
	late := x.reply(t, day(-10), "en", "Next time I go to Trustpilot\tdirectly.", false)
	for _, c := range []struct {
		id   int64
		kind corrections.Kind
		at   time.Time
	}{
		{angry, corrections.MissedLeave, day(-5)},
		{fair, corrections.NotComplaint, day(-5)},
		{quiet, corrections.MissedPublic, day(-5)},
		{late, corrections.MissedPublic, day(-1)},
	} {
		if _, err := x.store.Add(ctx, c.id, x.agent, c.kind, c.at); err != nil {
			t.Fatal(err)
		}
	}
	counts, err := x.store.Counts(ctx, day(-6), day(-2))
	if err != nil {
		t.Fatal(err)
	}
	want := map[corrections.Kind]int{corrections.NotComplaint: 1, corrections.MissedPublic: 1, corrections.MissedLegal: 0, corrections.MissedLeave: 1}
	if len(counts) != len(want) {
		t.Errorf("counts: %v", counts)
	}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("counts[%s] = %d, want %d (%v)", k, counts[k], n, counts)
		}
	}

	rows, err := x.store.Export(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	r := func(id int64, lang string, labels [5]bool, text string) comments.Row {
		return comments.Row{ID: "r" + itoa(id), Lang: lang, Labels: labels, Text: text}
	}
	all := []comments.Row{
		r(angry, "fr", [5]bool{true, false, false, true, false}, "Service lamentable, je change de fournisseur."),
		r(fair, "en", [5]bool{}, "They said they'd sue me, lol, all fine."),
		r(late, "en", [5]bool{true, true, false, false, false}, "Next time I go to Trustpilot\tdirectly."),
	}
	if !slices.Equal(rows, all) {
		t.Errorf("export:\n%+v\nwant\n%+v", rows, all)
	}
	rows, err = x.store.Export(ctx, day(-2))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows, all[2:]) {
		t.Errorf("export since: %+v", rows)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
