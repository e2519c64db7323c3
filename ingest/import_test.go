package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/clock"
	"github.com/followup/followup/customers"
	"github.com/followup/followup/ingest"
	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

type fixture struct {
	schema *testenv.Schema
	g      *ingest.Ingester
}

// setup gives an Ingester on a fresh schema with an active campaign on
// deliveries, so that stored events schedule invitations.
func setup(t *testing.T) *fixture {
	t.Helper()
	s := testenv.NewSchema(t)
	ctx := context.Background()
	sv, err := surveys.NewStore(s.DB).EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	store := scheduler.NewStore(s.DB)
	if _, err := store.CreateEventCampaign(ctx, scheduler.Campaign{Name: "after delivery", SurveyID: sv.ID,
		State: scheduler.StateActive, EventKinds: []string{"delivery"}}); err != nil {
		t.Fatal(err)
	}
	cs := customers.NewStore(s.DB)
	now := clock.NewFake(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	return &fixture{schema: s, g: ingest.New(scheduler.NewIntake(s.DB, cs, store), cs, now)}
}

func (f *fixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := f.schema.DB.Get(&n, "SELECT count(*) FROM "+table); err != nil {
		t.Fatal(err)
	}
	return n
}

// rejections imports and returns the rejected rows as "line: reason".
func rejections(t *testing.T, run func(context.Context, io.Reader, ingest.ImportOptions) (ingest.Summary, error), csv string) ([]string, ingest.Summary) {
	t.Helper()
	var got []string
	sum, err := run(context.Background(), strings.NewReader(csv), ingest.ImportOptions{
		OnRejected: func(r ingest.RowResult) { got = append(got, fmt.Sprintf("%d: %s", r.Line, r.Reason())) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, sum
}

func TestUnusableHeaderImportsNothing(t *testing.T) {
	t.Parallel()
	f := setup(t)
	good := "\n1,delivery,2026-11-20T10:00:00Z,c-1,a@example.com\n"
	cases := []struct {
		name, file, says string
		customers        bool
	}{
		{"empty file", "", "the file is empty", false},
		{"unknown column", "external_id,kind,occurred_at,customer.external_ref,customer.email,colour" + good, `unknown column "colour"; the columns are: external_id, kind`, false},
		{"missing required", "external_id,kind,customer.external_ref,customer.email" + good, "missing required column(s): occurred_at", false},
		{"twice", "external_id,kind,occurred_at,customer.external_ref,customer.email,KIND" + good, `column "kind" appears twice`, false},
		{"no name", "external_id,kind,occurred_at,,customer.email" + good, "column 4 has no name", false},
		{"customer columns without prefix", "external_id,kind,occurred_at,external_ref,email" + good, `unknown column "external_ref"`, false},
		{"semicolons", "external_ref;email\nc-1;a@example.com\n", "separated by another character", true},
		{"events file as customers", "external_id,kind,occurred_at,customer.external_ref,customer.email" + good, `unknown column "external_id"`, true},
		{"bad quoting in header", "external_ref,\"email\n", "line 1 (header)", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			run := f.g.ImportEvents
			if tc.customers {
				run = f.g.ImportCustomers
			}
			_, err := run(context.Background(), strings.NewReader(tc.file), ingest.ImportOptions{})
			var he *ingest.HeaderError
			if !errors.As(err, &he) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %v, want a header error saying %q", err, tc.says)
			}
		})
	}
	if n := f.count(t, "customers") + f.count(t, "service_events"); n != 0 {
		t.Errorf("%d rows stored from files with a bad header", n)
	}
}

func TestHeaderIsMatchedWithoutCaseOrOrder(t *testing.T) {
	t.Parallel()
	f := setup(t)
	file := "\uFEFF Customer.Email ,OCCURRED_AT,kind,external_id,customer.external_ref,customer.locale\r\n" +
		"a@example.com,2026-11-20T10:00:00Z,delivery,e-1,c-1,fr-CA\r\n"
	got, sum := rejections(t, f.g.ImportEvents, file)
	if len(got) != 0 || sum.Stored != 1 || sum.Scheduled != 1 {
		t.Fatalf("rejected %v, summary %+v", got, sum)
	}
	var locale string
	if err := f.schema.DB.Get(&locale, `SELECT locale FROM customers WHERE external_ref = 'c-1'`); err != nil || locale != "fr" {
		t.Errorf("locale %q (%v), want fr", locale, err)
	}
}

func TestEventRowsAreCheckedLineByLine(t *testing.T) {
	t.Parallel()
	f := setup(t)
	file := strings.Join([]string{
		`external_id,kind,occurred_at,customer.external_ref,customer.email,customer.name,prejudice_cents,attributes`,
		`e-1,delivery,2026-11-20T10:00:00Z,c-1,a@example.com,Ann,,`,                       // 2 good
		`e-2,delivery,2026-11-20T10:00:00Z,c-2,not-an-email,,,`,                           // 3 bad email
		`e-3,delivery,2026-11-20T10:00:00Z,c-3,c@example.com,"Ann, Jr",4500,"{""order"":`, // 4 good, quoted attributes…
		`""1042""}"`, // 5 …over two lines
		`e-4,delivery,2026-11-20T10:00:00Z,c-4,d@example.com`,                   // 6 too few fields
		`e-5,delivery,2026-11-20T10:00:00Z,c-5,e@example.com,Ann "the" best,,`,  // 7 bare quote
		"e-6,delivery,2026-11-20T10:00:00Z,c-6,f@example.com,Ren\xe9e,,",        // 8 Latin-1, not UTF-8
		`e-7,delivery,2026-11-20T10:00:00Z,c-7,g@example.com,,12.50,`,           // 9 cents with a point
		`e-8,delivery,20/11/2026,c-8,h@example.com,,,`,                          // 10 not RFC 3339
		`e-9,delivery,2026-11-20T10:00:00Z,c-9,i@example.com,,,[1]`,             // 11 attributes not an object
		`e-1,delivery,2026-11-20T10:00:00Z,c-1,a@example.com,Ann,,`,             // 12 repeats line 2
		`e-10,Delivery!,2026-11-20T10:00:00Z,c-10,j@example.com,,,`,             // 13 bad kind
		`e-11,delivery,2026-11-20T10:00:00Z,c-11,k@example.com,,,`,              // 14 good
		`e-12,delivery,2026-11-20T10:00:00Z,c-12,l@example.com,"never closed,,`, // 15 runs to the end
		`e-13,delivery,2026-11-20T10:00:00Z,c-13,m@example.com,,,`,              // 16 swallowed by line 15
	}, "\n") + "\n"
	got, sum := rejections(t, f.g.ImportEvents, file)
	want := []string{
		`3: customer.email: "not-an-email" is not an email address`,
		`6: the record has 5 fields, the header 8`,
		`7: a quote (") inside an unquoted field`,
		`8: customer.name: is not valid UTF-8 text`,
		`9: prejudice_cents: "12.50" is not a whole number of cents`,
		`10: occurred_at: must be an RFC 3339 time`,
		`11: attributes: must be a JSON object`,
		`13: kind: must be a lower-case word`,
		`15: a quoted field is not closed properly: the record runs from line 15 to line 16`,
	}
	if len(got) != len(want) {
		t.Fatalf("rejected:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("rejection %d: %q, want %q…", i, got[i], want[i])
		}
	}
	if sum.Read != 13 || sum.Stored != 3 || sum.Duplicates != 1 || sum.Rejected != 9 || sum.Scheduled != 3 {
		t.Errorf("summary %+v, want 13 read, 3 stored, 1 duplicate, 9 rejected, 3 scheduled", sum)
	}
	if e, i := f.count(t, "service_events"), f.count(t, "invitations"); e != 3 || i != 3 {
		t.Errorf("%d events and %d invitations stored, want 3 and 3", e, i)
	}
	var name, attrs string
	var prejudice int64
	if err := f.schema.DB.QueryRow(`SELECT c.name, e.prejudice_cents, e.attributes::text FROM service_events e JOIN customers c ON c.id = e.customer_id WHERE e.external_id = 'e-3'`).
		Scan(&name, &prejudice, &attrs); err != nil {
		t.Fatal(err)
	}
	if name != "Ann, Jr" || prejudice != 4500 || attrs != `{"order": "1042"}` {
		t.Errorf("e-3 stored as name %q, prejudice %d, attributes %s", name, prejudice, attrs)
	}
}

func TestCustomersImportCountsAndSchedulesNothing(t *testing.T) {
	t.Parallel()
	f := setup(t)
	file := "external_ref,email,name,locale,time_zone,segment,annual_value_cents\n" +
		"c-1,a@example.com,Ann,fr,Europe/Paris,retail,125000\n" +
		"c-2,b@example.com,,,,,\n" +
		"c-3,nope,,,,,\n" +
		"c-1,a2@example.com,,,,,\n" + // same customer again: email changes, the rest is kept
		"c-4,d@example.com,,de,,,\n" +
		"c-5,e@example.com,,,Mars/Olympus,,\n" +
		"c-6,f@example.com,,,,,-1\n"
	got, sum := rejections(t, f.g.ImportCustomers, file)
	want := []string{
		`4: email: "nope" is not an email address`,
		`6: locale: "de" is not supported`,
		`7: time_zone: "Mars/Olympus" is not an IANA time zone`,
		`8: annual_value_cents: must not be negative`,
	}
	if len(got) != len(want) {
		t.Fatalf("rejected %q, want %q", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("rejection %d: %q, want %q…", i, got[i], want[i])
		}
	}
	if sum.Read != 7 || sum.Stored != 2 || sum.Created != 2 || sum.Duplicates != 1 || sum.Rejected != 4 || sum.Scheduled != 0 {
		t.Errorf("summary %+v, want 7 read, 2 stored (created), 1 duplicate (merged), 4 rejected", sum)
	}
	var c struct {
		Email, Name, Locale, TimeZone, Segment string
		Value                                  int64
	}
	if err := f.schema.DB.QueryRow(`SELECT email, name, locale, time_zone, segment, annual_value_cents FROM customers WHERE external_ref = 'c-1'`).
		Scan(&c.Email, &c.Name, &c.Locale, &c.TimeZone, &c.Segment, &c.Value); err != nil {
		t.Fatal(err)
	}
	if c.Email != "a2@example.com" || c.Name != "Ann" || c.Locale != "fr" || c.TimeZone != "Europe/Paris" || c.Segment != "retail" || c.Value != 125000 {
		t.Errorf("c-1 = %+v", c)
	}

	// Again, with one change: one update, the rest as stored.
	_, sum = rejections(t, f.g.ImportCustomers, strings.Replace(file, "c-2,b@example.com,,", "c-2,b@example.com,Bob,", 1))
	if sum.Stored != 1 || sum.Updated != 1 || sum.Created != 0 || sum.Duplicates != 2 {
		t.Errorf("re-import %+v, want 1 updated and 2 duplicates", sum)
	}
	if n := f.count(t, "invitations"); n != 0 {
		t.Errorf("a customers import scheduled %d invitations", n)
	}
}

// eventsFile streams n event rows without holding them in memory; row i
// belongs to customer i%1000.
func eventsFile(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		_, _ = io.WriteString(pw, "external_id,kind,occurred_at,customer.external_ref,customer.email\n")
		for i := 0; i < n; i++ {
			if _, err := fmt.Fprintf(pw, "e-%d,delivery,2026-11-20T10:00:00Z,c-%d,p%d@example.com\n", i, i%1000, i%1000); err != nil {
				return
			}
		}
		pw.Close()
	}()
	return pr
}

func TestLargeFileIsImportedInChunksWithProgress(t *testing.T) {
	t.Parallel()
	f := setup(t)
	const rows = 12_000
	var progress []ingest.Progress
	sum, err := f.g.ImportEvents(context.Background(), eventsFile(rows), ingest.ImportOptions{
		ChunkSize:  5_000,
		OnProgress: func(p ingest.Progress) { progress = append(progress, p) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != rows || sum.Stored != rows || sum.Scheduled != rows || sum.Rejected != 0 || sum.Elapsed <= 0 || sum.Rate() <= 0 {
		t.Errorf("summary %+v", sum)
	}
	if len(progress) != 3 || progress[0].Read != 5_000 || progress[1].Read != 10_000 || progress[2].Read != rows {
		t.Errorf("progress %+v, want after 5000, 10000 and 12000 rows", progress)
	}
	for i := 1; i < len(progress); i++ {
		if progress[i].Bytes <= progress[i-1].Bytes {
			t.Errorf("progress went back: %d then %d bytes", progress[i-1].Bytes, progress[i].Bytes)
		}
	}
	if e, c := f.count(t, "service_events"), f.count(t, "customers"); e != rows || c != 1000 {
		t.Errorf("stored %d events and %d customers, want %d and 1000", e, c, rows)
	}
}

func TestInterruptedImportKeepsStoredChunksAndResumes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	const rows = 3_000
	ctx, cancel := context.WithCancel(context.Background())
	sum, err := f.g.ImportEvents(ctx, eventsFile(rows), ingest.ImportOptions{
		ChunkSize:  1_000,
		OnProgress: func(ingest.Progress) { cancel() },
	})
	if !errors.Is(err, context.Canceled) || sum.Stored != 1_000 {
		t.Fatalf("interrupted import: %+v, %v; want 1000 stored and the cancellation", sum, err)
	}
	if n := f.count(t, "service_events"); n != 1_000 {
		t.Fatalf("%d events stored by the interrupted import, want the first chunk's 1000", n)
	}
	sum, err = f.g.ImportEvents(context.Background(), eventsFile(rows), ingest.ImportOptions{ChunkSize: 1_000})
	if err != nil || sum.Stored != 2_000 || sum.Duplicates != 1_000 {
		t.Fatalf("second run: %+v, %v; want 2000 stored and 1000 duplicates", sum, err)
	}
	if e, i := f.count(t, "service_events"), f.count(t, "invitations"); e != rows || i != rows {
		t.Errorf("%d events and %d invitations, want %d of each", e, i, rows)
	}
}

// TestUnstorableTextAndUnsendableRecipientsAreRejectedRows: a cell with a
// NUL or another control character, and a name or address the mailer
// could not write in an email, reject their row naming the column; the
// other rows are imported.
func TestUnstorableTextAndUnsendableRecipientsAreRejectedRows(t *testing.T) {
	t.Parallel()
	f := setup(t)
	file := strings.Join([]string{
		`external_id,kind,occurred_at,channel,customer.external_ref,customer.email,customer.name`,
		`e-1,delivery,2026-11-20T10:00:00Z,web,c-1,a@example.com,Ann`,                                // 2 good
		"e-2,delivery,2026-11-20T10:00:00Z,web,c-2,b@example.com,Bo\x00b",                            // 3 NUL
		"e-3,delivery,2026-11-20T10:00:00Z,w\x1beb,c-3,c@example.com,Cy",                             // 4 escape
		`e-4,delivery,2026-11-20T10:00:00Z,web,c-4,d@example.com,"Eve"" <victim@evil.example>, ""x"`, // 5 closes the quotes
		`e-5,delivery,2026-11-20T10:00:00Z,web,c-5,"e@example.com, f@example.com",Eve`,               // 6 two addresses
		`e-6,delivery,2026-11-20T10:00:00Z,web,c-6,g@example.com,"Hélène Côté, Jr"`,                  // 7 good
	}, "\n") + "\n"
	got, sum := rejections(t, f.g.ImportEvents, file)
	want := []string{
		`3: customer.name: must not contain the NUL character`,
		`4: channel: must not contain the control character U+001B`,
		`5: customer.name: cannot be written in an email's To line`,
		`6: customer.email: "e@example.com, f@example.com" is not an email address`,
	}
	if len(got) != len(want) {
		t.Fatalf("rejected:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("rejection %d: %q, want %q…", i, got[i], want[i])
		}
	}
	if sum.Stored != 2 || sum.Rejected != 4 {
		t.Errorf("summary %+v, want 2 stored and 4 rejected", sum)
	}
}
