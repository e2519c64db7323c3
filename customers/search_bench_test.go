package customers_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/lib/pq"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/testenv"
)

// BenchmarkSearch100k measures the CX team's customer search on 100,000
// customers in a schema of its own: a surname, part of an email, an exact
// external reference and a miss. Figures are in BENCHMARKS.md:
//
//	go test -run '^$' -bench Search100k -benchtime 200x ./customers/
func BenchmarkSearch100k(b *testing.B) {
	s := testenv.NewSchema(b)
	ctx := context.Background()
	const n = 100_000
	first := []string{"Zoé", "Hélène", "Marc", "Chloé", "Louis", "Emma", "Noah", "Léa", "Jules", "Inès", "Sam", "Ann", "Paul", "Jade", "Hugo"}
	last := []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
		"Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
		"Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné"}
	rng := rand.New(rand.NewPCG(1, 2))
	refs, emails, names := make([]string, n), make([]string, n), make([]string, n)
	values := make([]int64, n)
	for i := range n {
		f, l := first[rng.IntN(len(first))], last[rng.IntN(len(last))]
		refs[i] = fmt.Sprintf("CUST-%07d", i+1)
		names[i] = f + " " + l + fmt.Sprintf(" %d", i) // unique-ish names like a real base
		emails[i] = fmt.Sprintf("user%d.%d@mail%d.example.com", i, rng.IntN(1000), i%50)
		values[i] = rng.Int64N(2_000_000)
	}
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO customers (external_ref, email, name, annual_value_cents)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])`,
		pq.Array(refs), pq.Array(emails), pq.Array(names), pq.Array(values)); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB.ExecContext(ctx, `ANALYZE customers`); err != nil {
		b.Fatal(err)
	}
	store := customers.NewStore(s.DB)
	for _, q := range []struct{ name, q string }{
		{"surname", "Tremblay"},
		{"surname_accent_folded", "lefevre"},
		{"email_part", "user4242."},
		{"exact_ref", "CUST-0031337"},
		{"miss", "nobody-matches-this"},
	} {
		b.Run(q.name, func(b *testing.B) {
			found := 0
			for b.Loop() {
				m, err := store.Search(ctx, q.q, 50)
				if err != nil {
					b.Fatal(err)
				}
				found = len(m)
			}
			b.ReportMetric(float64(found), "found")
		})
	}
}
