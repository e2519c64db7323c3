// Package wait lets tests wait for a condition instead of sleeping a fixed
// time: Until polls the condition until it holds or a deadline passes. A
// test that sleeps and then checks proves nothing on a slow machine and
// wastes time on a fast one; a test that waits for the event it needs does
// neither.
//
// Use Until for positive conditions (a row reached its state, a page shows a
// text). To check that something did NOT happen, first wait for a known
// point after which it would have happened (a task processed, a sweep or a
// reconciliation completed), then check once.
//
// This is the one place in the tests that pauses between two looks at a
// condition; it is a polling loop with a deadline, not a fixed sleep.
package wait

import (
	"testing"
	"time"
)

// firstPause and maxPause bound the pause between two looks: short at
// first, so fast conditions return at once, then no more than 50 ms, so a
// long wait does not hammer the database.
const (
	firstPause = time.Millisecond
	maxPause   = 50 * time.Millisecond
)

// Until calls cond until it returns true, failing the test with what when
// timeout passes first. cond runs on the test's goroutine, so it may call
// t.Fatal itself.
func Until(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	if !For(timeout, cond) {
		t.Fatalf("waited %s for %s", timeout, what)
	}
}

// For calls cond until it returns true or timeout passes, and reports
// whether cond held. It is Until for callers that report the failure
// themselves.
func For(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	pause := firstPause
	for !cond() {
		left := time.Until(deadline)
		if left <= 0 {
			return false
		}
		time.Sleep(min(pause, left))
		pause = min(2*pause, maxPause)
	}
	return true
}
