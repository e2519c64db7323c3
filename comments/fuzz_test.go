package comments

import (
	"bufio"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// FuzzReadDecide: any text in any language tag is read and decided without
// a panic, the same way twice, with probabilities and confidences that are
// numbers between 0 and 1 and signals of known kinds.
func FuzzReadDecide(f *testing.F) {
	seeds := 0
	if file, err := os.Open("../testdata/comments/dev.tsv"); err == nil {
		sc := bufio.NewScanner(file)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() && seeds < 60 {
			cols := strings.Split(sc.Text(), "\t")
			if len(cols) < 8 || cols[0] == "id" {
				continue
			}
			f.Add(cols[7], cols[1], 50.0)
			seeds++
		}
		file.Close()
	}
	for _, s := range []string{"", " ", "\x00", "\xff\xfe", "pas du tout satisfait", "I will sue you, lawyer, Facebook, BBB",
		strings.Repeat("nul ", 5000), "😡😡😡", "n'importe quoi!!!", "NOT BAD AT ALL"} {
		f.Add(s, "fr", 10.0)
		f.Add(s, "en", 95.0)
	}
	f.Add("great", "xx", math.NaN())
	f.Fuzz(func(t *testing.T, text, lang string, score float64) {
		r := Read(text, lang)
		if again := Read(text, lang); !reflect.DeepEqual(r.Prob, again.Prob) {
			t.Fatalf("reading %q twice: %v then %v", text, r.Prob, again.Prob)
		}
		for i, p := range r.Prob {
			if math.IsNaN(p) || p < 0 || p > 1 {
				t.Fatalf("probability %d of %q is %v", i, text, p)
			}
		}
		for _, rt := range []Ratings{{}, {Known: true, Score: score}} {
			for _, s := range r.Decide(rt) {
				if !slices.Contains(SignalKinds, s.Kind) {
					t.Fatalf("signal of unknown kind %q for %q", s.Kind, text)
				}
				if math.IsNaN(s.Confidence) || s.Confidence < 0 || s.Confidence > 1 {
					t.Fatalf("signal %s of %q has confidence %v", s.Kind, text, s.Confidence)
				}
			}
		}
	})
}
