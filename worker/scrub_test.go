package worker_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/internal/wait"
	"github.com/followup/followup/worker"
)

// TestTaskPayloadsCarryNoPersonalData: every task's payload is ids (and
// the names of an alert or a week, made of ids and dates), never an
// address, a name or a comment; a field added to a payload must be
// judged here.
func TestTaskPayloadsCarryNoPersonalData(t *testing.T) {
	t.Parallel()
	allowedStrings := map[string]string{
		"FeedbackAlertPayload.AlertID": "kind:ids, as complaint-opened:3",
		"FeedbackReportPayload.Week":   "an ISO week, 2026-W48",
	}
	payloads := []any{worker.SurveySendPayload{}, worker.ResponseScorePayload{}, worker.FeedbackAlertPayload{}, worker.FeedbackReportPayload{},
		worker.ComplaintMessagePayload{}, worker.ComplaintDeadlinesPayload{}, worker.InboundParsePayload{}}
	for _, p := range payloads {
		rt := reflect.TypeOf(p)
		for i := range rt.NumField() {
			f := rt.Field(i)
			name := rt.Name() + "." + f.Name
			switch f.Type.Kind() {
			case reflect.Int, reflect.Int32, reflect.Int64:
			case reflect.String:
				if _, ok := allowedStrings[name]; !ok {
					t.Errorf("%s is text: could it carry personal data (an address, a name, a comment)? Judge it and list it here", name)
				}
			default:
				t.Errorf("%s is a %s: payloads carry ids", name, f.Type)
			}
		}
	}
	if len(payloads) != 7 {
		t.Fatal("a task type without its payload here")
	}
}

// TestScrubTasksRemovesWhatMentionsAnAddress: a task whose last error
// quotes an erased customer's address (an SMTP refusal) is removed from
// Redis; tasks that do not mention it stay.
func TestScrubTasksRemovesWhatMentionsAnAddress(t *testing.T) {
	t.Parallel()
	q := testenv.NewQueues(t)
	ctx := context.Background()
	c := worker.NewClient(q.Redis, worker.ClientConfig{Queues: worker.Queues{Prefix: q.Prefix}})
	insp := asynq.NewInspectorFromRedisClient(q.Redis)
	queue := c.Queues().Critical()
	for _, id := range []int64{1, 2, 3} {
		if err := c.EnqueueComplaintMessage(ctx, id, 0); err != nil {
			t.Fatal(err)
		}
	}
	srv := asynq.NewServerFromRedisClient(q.Redis, asynq.Config{Queues: map[string]int{queue: 1}, Concurrency: 1,
		TaskCheckInterval: 10 * time.Millisecond, LogLevel: asynq.FatalLevel, Logger: quiet{}})
	mux := asynq.NewServeMux()
	mux.HandleFunc(worker.TypeComplaintMessage, func(_ context.Context, t *asynq.Task) error {
		if string(t.Payload()) == `{"message_id":1}` {
			return fmt.Errorf("550 5.1.1 <Zoe.Tremblay@example.com>: Recipient address rejected: %w", asynq.SkipRetry)
		}
		return fmt.Errorf("421 try later: %w", asynq.SkipRetry)
	})
	if err := srv.Start(mux); err != nil {
		t.Fatal(err)
	}
	wait.Until(t, 20*time.Second, "the three tasks archived", func() bool {
		list, err := insp.ListArchivedTasks(queue)
		return err == nil && len(list) == 3
	})
	srv.Shutdown()

	n, err := c.ScrubTasks(ctx, []string{"zoe.tremblay@EXAMPLE.com"})
	if err != nil || n != 1 {
		t.Fatalf("scrub: %d, %v; want 1 task removed", n, err)
	}
	list, err := insp.ListArchivedTasks(queue)
	if err != nil {
		t.Fatal(err)
	}
	for _, ti := range list {
		if string(ti.Payload) == `{"message_id":1}` {
			t.Errorf("the task whose error quotes the address is still there: %s", ti.LastErr)
		}
	}
	if len(list) != 2 {
		t.Errorf("%d archived tasks left, want the 2 that do not mention the address", len(list))
	}
	if n, err := c.ScrubTasks(ctx, []string{"zoe.tremblay@example.com"}); err != nil || n != 0 {
		t.Errorf("scrubbing again: %d, %v", n, err)
	}
}
