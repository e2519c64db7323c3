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
