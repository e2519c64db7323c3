package wait

import (
	"testing"
	"time"
)

func TestForReturnsOnceTheConditionHolds(t *testing.T) {
	t.Parallel()
	looks := 0
	if !For(10*time.Second, func() bool { looks++; return looks == 3 }) {
		t.Fatal("For gave up on a condition that held at the third look")
	}
	if looks != 3 {
		t.Errorf("%d looks, want 3: For must stop looking once the condition holds", looks)
	}
}

func TestForGivesUpAtTheDeadline(t *testing.T) {
	t.Parallel()
	start := time.Now()
	looks := 0
	if For(20*time.Millisecond, func() bool { looks++; return false }) {
		t.Fatal("For reported a condition that never held")
	}
	if took := time.Since(start); took < 20*time.Millisecond {
		t.Errorf("gave up after %s, before the deadline", took)
	}
	if looks < 2 {
		t.Errorf("%d looks in 20 ms; For must look again before giving up", looks)
	}
}
