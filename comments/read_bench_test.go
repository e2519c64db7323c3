package comments

import (
	"os"
	"testing"
)

// BenchmarkRead reads the dev split's comments, one after another.
func BenchmarkRead(b *testing.B) {
	f, err := os.Open("../testdata/comments/dev.tsv")
	if err != nil {
		b.Fatal(err)
	}
	rows, err := ReadCorpus(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	m := DefaultModel()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := rows[i%len(rows)]
		m.Read(r.Text, r.Lang).Decide(Ratings{})
	}
}

// BenchmarkReadStorm reads the two comments of the reply-storm benchmark
// (cmd/bench-replies), as it does for every reply.
func BenchmarkReadStorm(b *testing.B) {
	texts := []string{
		"Delivery on time, friendly driver, thank you!",
		"Parcel arrived broken, nobody answers and I am still waiting for my refund. I will post this on Facebook and call my lawyer.",
	}
	m := DefaultModel()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Read(texts[i%2], "en").Decide(Ratings{})
	}
}
