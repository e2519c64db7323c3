package replies

import (
	"sync"
	"testing"
	"time"

	"github.com/followup/followup/internal/wait"
)

// TestBatcherGroupsWhatArrivesWhileWritersAreBusy: a submission that finds
// a writer free goes alone; those arriving while every writer is busy go
// together, in batches no bigger than maxBatch; every one is answered.
func TestBatcherGroupsWhatArrivesWhileWritersAreBusy(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	started := make(chan struct{}, 16) // a writer took a batch
	var mu sync.Mutex
	var sizes []int
	b := &batcher{maxBatch: 5, maxInFlight: 2, write: func(batch []*pending) {
		mu.Lock()
		sizes = append(sizes, len(batch))
		first := len(sizes) <= 2
		mu.Unlock()
		started <- struct{}{}
		if first {
			<-release // the first two batches hold both writers
		}
	}}
	writing := func() {
		t.Helper()
		select {
		case <-started:
		case <-time.After(5 * time.Second):
			t.Fatal("no writer took the submission")
		}
	}
	var all []*pending
	add := func() {
		p := &pending{done: make(chan struct{})}
		all = append(all, p)
		b.add(p)
	}
	add()
	writing() // the first writer holds the first submission
	add()
	writing() // the second writer holds the second: both are busy
	for i := 0; i < 12; i++ {
		add()
	}
	close(release)
	for _, p := range all {
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			t.Fatal("a submission was never written")
		}
	}
	mu.Lock()
	total := 0
	for i, n := range sizes {
		total += n
		if i < 2 && n != 1 {
			t.Errorf("batch %d has %d replies; a submission finding a free writer goes alone", i, n)
		}
		if n > 5 {
			t.Errorf("batch %d has %d replies, more than maxBatch", i, n)
		}
	}
	if total != 14 || len(sizes) > 2+3+1 {
		t.Errorf("batches %v: want the 12 waiting replies in batches of up to 5", sizes)
	}
	mu.Unlock()
	// The writers free their slots once the queue is empty.
	wait.Until(t, 5*time.Second, "the writers to free their slots", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.inFlight == 0 && len(b.queue) == 0
	})
}
