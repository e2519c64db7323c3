package comments

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"testing"
)

// TestExplain prints, for each line of $EXPLAIN_FILE, the features that
// weigh most for the output $EXPLAIN_LABEL (0-5): a tool for whoever
// improves the model, skipped otherwise.
func TestExplain(t *testing.T) {
	path := os.Getenv("EXPLAIN_FILE")
	if path == "" {
		t.Skip("EXPLAIN_FILE not set")
	}
	var l int
	if _, err := fmt.Sscan(os.Getenv("EXPLAIN_LABEL"), &l); err != nil || l < 0 || l >= nOut {
		t.Fatalf("EXPLAIN_LABEL: want an output from 0 to %d (%v)", nOut-1, err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := DefaultModel()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		d := extractDebug(sc.Text(), "", true)
		z := m.logits(d)
		type fw struct {
			name string
			w    float32
		}
		var fws []fw
		for i, ft := range d.features {
			fws = append(fws, fw{d.names[i], m.W[int(ft.h)*nOut+l]})
		}
		sort.Slice(fws, func(a, b int) bool { return abs32(fws[a].w) > abs32(fws[b].w) })
		fmt.Printf("%.2f %s\n", sigmoid(z[l]), sc.Text())
		for _, x := range fws[:min(12, len(fws))] {
			fmt.Printf("    %+.2f %s\n", x.w, x.name)
		}
	}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
