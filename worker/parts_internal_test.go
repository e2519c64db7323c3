package worker

import (
	"testing"

	"github.com/followup/followup/scheduler"
)

func TestPartsKeepEveryConnectionBusy(t *testing.T) {
	for _, tc := range []struct {
		n, connections int
		want           []int // sizes of the parts
	}{
		{0, 8, nil},
		{5, 8, []int{5}},       // under minPart: one connection
		{25, 8, []int{12, 13}}, // no part under minPart
		{500, 8, []int{62, 63, 62, 63, 62, 63, 62, 63}},
		{500, 1, []int{500}},
		{500, 0, []int{500}}, // a sender that says nothing: one
		{100, 40, []int{10, 10, 10, 10, 10, 10, 10, 10, 10, 10}},
	} {
		ready := make([]scheduler.Outgoing, tc.n)
		for i := range ready {
			ready[i].ID = int64(i)
		}
		got := parts(ready, tc.connections)
		var sizes []int
		next := int64(0)
		for _, p := range got {
			sizes = append(sizes, len(p))
			for _, inv := range p {
				if inv.ID != next {
					t.Fatalf("%d over %d: invitation %d where %d was due: parts must cover the batch once, in order", tc.n, tc.connections, inv.ID, next)
				}
				next++
			}
		}
		if next != int64(tc.n) || len(sizes) != len(tc.want) {
			t.Errorf("%d over %d connections: parts %v, want %v", tc.n, tc.connections, sizes, tc.want)
			continue
		}
		for i := range sizes {
			if sizes[i] != tc.want[i] {
				t.Errorf("%d over %d connections: parts %v, want %v", tc.n, tc.connections, sizes, tc.want)
				break
			}
		}
	}
}
