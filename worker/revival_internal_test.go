package worker

import (
	"testing"
	"time"

	"github.com/hibiken/asynq"
)

// TestRevivalWait: a task archived after spending its retries is revived
// at once, however often; a task refused as hopeless (or completed without
// its work done) at once the first time, then after 1, 4, 16... minutes
// from its failure, never more than a day.
func TestRevivalWait(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	failed := now.Add(-3 * time.Minute)
	spent := &asynq.TaskInfo{State: asynq.TaskStateArchived, Retried: 10, MaxRetry: 10, LastFailedAt: failed}
	hopeless := &asynq.TaskInfo{State: asynq.TaskStateArchived, Retried: 0, MaxRetry: 10, LastFailedAt: failed}
	done := &asynq.TaskInfo{State: asynq.TaskStateCompleted, MaxRetry: 10, CompletedAt: failed}
	for _, tc := range []struct {
		name     string
		info     *asynq.TaskInfo
		revivals int
		want     time.Duration
	}{
		{"retries spent", spent, 0, 0},
		{"retries spent, revived often", spent, 30, 0},
		{"hopeless, first time", hopeless, 0, 0},
		{"hopeless, revived once: 1m after the failure", hopeless, 1, 0},
		{"hopeless, revived twice: 4m after", hopeless, 2, time.Minute},
		{"hopeless, revived 3 times: 16m after", hopeless, 3, 13 * time.Minute},
		{"hopeless, revived 7 times: a day at most", hopeless, 7, 24*time.Hour - 3*time.Minute},
		{"hopeless, revived 40 times", hopeless, 40, 24*time.Hour - 3*time.Minute},
		{"completed, revived twice: from its completion", done, 2, time.Minute},
		{"archived by hand (no failure)", &asynq.TaskInfo{State: asynq.TaskStateArchived, MaxRetry: 10}, 3, 0},
	} {
		if got := revivalWait(tc.info, tc.revivals, now); got != tc.want {
			t.Errorf("%s: wait %v, want %v", tc.name, got, tc.want)
		}
	}
}
