package customers_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/testenv"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func ev(id, ref, email string, edit ...func(*customers.EventInput)) customers.EventInput {
	e := customers.EventInput{ExternalID: id, Kind: "delivery", OccurredAt: t0, Customer: customers.CustomerInput{ExternalRef: ref, Email: email}}
	for _, f := range edit {
		f(&e)
	}
	return e
}

func recordBatch(t *testing.T, db *sqlx.DB, evs []customers.EventInput) []customers.BatchResult {
	t.Helper()
	ctx := context.Background()
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	out, err := customers.NewStore(db).RecordBatch(ctx, tx, evs)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return out
}

type customerRow struct {
	ExternalRef      string `db:"external_ref"`
	Email            string `db:"email"`
	Name             string `db:"name"`
	Locale           string `db:"locale"`
	TimeZone         string `db:"time_zone"`
	Segment          string `db:"segment"`
	AnnualValueCents int64  `db:"annual_value_cents"`
	Currency         string `db:"currency"`
}

func customersOf(t *testing.T, db *sqlx.DB) map[string]customerRow {
	t.Helper()
	var rows []customerRow
	if err := db.Select(&rows, `SELECT external_ref, email, name, locale, time_zone, segment, annual_value_cents, COALESCE(currency, '') AS currency FROM customers`); err != nil {
		t.Fatal(err)
	}
	out := map[string]customerRow{}
	for _, r := range rows {
		out[r.ExternalRef] = r
	}
	return out
}

type eventRow struct {
	ExternalID  string    `db:"external_id"`
	CustomerRef string    `db:"external_ref"`
	Kind        string    `db:"kind"`
	Team        string    `db:"team"`
	OccurredAt  time.Time `db:"occurred_at"`
	Prejudice   int64     `db:"prejudice_cents"` // -1 for none
	Attributes  string    `db:"attributes"`
}

func eventsOf(t *testing.T, db *sqlx.DB) map[string]eventRow {
	t.Helper()
	var rows []eventRow
	if err := db.Select(&rows, `SELECT e.external_id, c.external_ref, e.kind, e.team, e.occurred_at, COALESCE(e.prejudice_cents, -1) AS prejudice_cents, e.attributes::text AS attributes
		FROM service_events e JOIN customers c ON c.id = e.customer_id`); err != nil {
		t.Fatal(err)
	}
	out := map[string]eventRow{}
	for _, r := range rows {
		out[r.ExternalID] = r
	}
	return out
}

// A batch must leave the database exactly as the same events recorded one
// by one: same customers with the same merged fields, same events, the
// same duplicates ignored.
func TestRecordBatchEqualsRecordingOneByOne(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 7))
	pick := func(opts ...string) string { return opts[rng.IntN(len(opts))] }
	value := func() *int64 {
		if rng.IntN(2) == 0 {
			return nil
		}
		v := int64(rng.IntN(5)) * 1000
		return &v
	}
	var first, second []customers.EventInput
	for i := 0; i < 400; i++ {
		ref := fmt.Sprintf("c-%d", rng.IntN(60))
		e := ev(fmt.Sprintf("e-%d", rng.IntN(300)), ref, pick("a", "b")+"@example.com", func(e *customers.EventInput) {
			e.Customer.Name = pick("", "", "Ann", "Bob")
			e.Customer.Locale = pick("", "en", "fr")
			e.Customer.TimeZone = pick("", "UTC", "Europe/Paris")
			e.Customer.Segment = pick("", "retail", "pro")
			e.Customer.Currency = pick("", "", "EUR", "CAD")
			e.Customer.AnnualValueCents = value()
			e.Team = pick("", "east", "west")
			e.PrejudiceCents = value()
			e.Attributes = []byte(pick("", `{"order": 1}`))
		})
		if i < 200 {
			first = append(first, e)
		} else {
			second = append(second, e)
		}
	}

	one, batch := testenv.NewSchema(t), testenv.NewSchema(t)
	ctx := context.Background()
	single := customers.NewStore(one.DB)
	var want []bool
	for _, e := range append(append([]customers.EventInput{}, first...), second...) {
		rec, err := single.Record(ctx, one.DB, e)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, rec.Created)
	}
	got := append(recordBatch(t, batch.DB, first), recordBatch(t, batch.DB, second)...)

	for i := range want {
		if got[i].Created != want[i] {
			t.Errorf("event %d (%s): created %v in the batch, %v one by one", i, append(first, second...)[i].ExternalID, got[i].Created, want[i])
		}
	}
	sameRows(t, "customer", customersOf(t, one.DB), customersOf(t, batch.DB))
	sameRows(t, "event", eventsOf(t, one.DB), eventsOf(t, batch.DB))
}

func sameRows[T comparable](t *testing.T, what string, oneByOne, batch map[string]T) {
	t.Helper()
	if len(oneByOne) != len(batch) {
		t.Errorf("%d %ss one by one, %d in batches", len(oneByOne), what, len(batch))
	}
	for k, a := range oneByOne {
		if b, ok := batch[k]; !ok || a != b {
			t.Errorf("%s %s: one by one %+v, in batches %+v", what, k, a, b)
		}
	}
}

func TestRecordBatchResults(t *testing.T) {
	t.Parallel()
	s := testenv.NewSchema(t)
	recordBatch(t, s.DB, []customers.EventInput{ev("old", "c-old", "old@example.com")})

	res := recordBatch(t, s.DB, []customers.EventInput{
		ev("new-1", "c-1", "one@example.com"),
		ev("old", "c-old", "changed@example.com"), // already stored: changes nothing
		ev("new-1", "c-2", "two@example.com"),     // repeats row 0
		ev("new-2", "c-1", "one@example.com"),
	})
	if !res[0].Created || res[0].SameAs != -1 || res[3].CustomerID != res[0].CustomerID || !res[3].Created {
		t.Errorf("new events: %+v %+v", res[0], res[3])
	}
	if res[1].Created || res[1].EventID == 0 || res[1].SameAs != -1 {
		t.Errorf("stored event: %+v, want not created, with its id", res[1])
	}
	if res[2].Created || res[2].SameAs != 0 || res[2].EventID != res[0].EventID {
		t.Errorf("repeated event: %+v, want the first one's id and SameAs 0", res[2])
	}
	cs := customersOf(t, s.DB)
	if len(cs) != 2 || cs["c-old"].Email != "old@example.com" {
		t.Errorf("customers %v: want c-old untouched and c-1, no c-2", cs)
	}
}

func TestUpsertCustomersMergesAndCounts(t *testing.T) {
	t.Parallel()
	s := testenv.NewSchema(t)
	store := customers.NewStore(s.DB)
	ctx := context.Background()
	v := int64(500)
	counts, err := store.SaveCustomers(ctx, []customers.CustomerInput{
		{ExternalRef: "a", Email: "a@example.com", Name: "Ann", Locale: "fr", TimeZone: "Europe/Paris", AnnualValueCents: &v},
		{ExternalRef: "b", Email: "b@example.com"},
		{ExternalRef: "a", Email: "a2@example.com", Segment: "pro"}, // merged into the first: email and segment change
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts.Created != 2 || counts.Updated != 0 {
		t.Errorf("first save %+v, want 2 created", counts)
	}
	want := customerRow{ExternalRef: "a", Email: "a2@example.com", Name: "Ann", Locale: "fr", TimeZone: "Europe/Paris", Segment: "pro", AnnualValueCents: 500}
	if got := customersOf(t, s.DB)["a"]; got != want {
		t.Errorf("a = %+v, want %+v", got, want)
	}
	if got := customersOf(t, s.DB)["b"]; got.Locale != "en" || got.TimeZone != "UTC" {
		t.Errorf("b = %+v, want the defaults en and UTC", got)
	}

	var before time.Time
	if err := s.DB.Get(&before, `SELECT updated_at FROM customers WHERE external_ref = 'b'`); err != nil {
		t.Fatal(err)
	}
	zero := int64(0)
	counts, err = store.SaveCustomers(ctx, []customers.CustomerInput{
		{ExternalRef: "a", Email: "a2@example.com", Locale: "en", AnnualValueCents: &zero}, // empty fields keep, given ones change
		{ExternalRef: "b", Email: "b@example.com"},                                         // as stored
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts.Created != 0 || counts.Updated != 1 || counts.Unchanged != 1 {
		t.Errorf("second save %+v, want 1 updated, 1 unchanged", counts)
	}
	want.Locale, want.AnnualValueCents = "en", 0
	if got := customersOf(t, s.DB)["a"]; got != want {
		t.Errorf("a = %+v, want %+v", got, want)
	}
	var after time.Time
	if err := s.DB.Get(&after, `SELECT updated_at FROM customers WHERE external_ref = 'b'`); err != nil {
		t.Fatal(err)
	}
	if !after.Equal(before) {
		t.Errorf("an unchanged customer was rewritten (updated_at %v → %v)", before, after)
	}
}

// Concurrent batches naming the same customers in different orders must
// neither deadlock nor lose an update.
func TestConcurrentBatchesSharingCustomers(t *testing.T) {
	t.Parallel()
	s := testenv.NewSchema(t)
	store := customers.NewStore(s.DB)
	ctx := context.Background()
	const workers, perBatch, rounds = 4, 300, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for r := 0; r < rounds; r++ {
				evs := make([]customers.EventInput, perBatch)
				for i := range evs {
					evs[i] = ev(fmt.Sprintf("w%d-r%d-%d", w, r, i), fmt.Sprintf("c-%d", rng.IntN(400)), fmt.Sprintf("w%d@example.com", w),
						func(e *customers.EventInput) { e.Customer.Name = fmt.Sprint("round ", r) })
				}
				err := func() error {
					tx, err := s.DB.BeginTxx(ctx, nil)
					if err != nil {
						return err
					}
					defer tx.Rollback()
					if _, err := store.RecordBatch(ctx, tx, evs); err != nil {
						return err
					}
					return tx.Commit()
				}()
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	var n int
	if err := s.DB.Get(&n, `SELECT count(*) FROM service_events`); err != nil || n != workers*perBatch*rounds {
		t.Errorf("%d events stored (%v), want %d", n, err, workers*perBatch*rounds)
	}
}
