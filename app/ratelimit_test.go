package app_test

import (
	"context"
	"fmt"
	netmail "net/mail"
	"sync"
	"testing"
	"time"

	"github.com/followup/followup/app"
	"github.com/followup/followup/internal/apptest"
	"github.com/followup/followup/mail"
)

// TestSMTPRateIsOneForTheDeployment starts two followup processes of one
// deployment (same Redis, same FOLLOWUP_QUEUE_PREFIX) with
// FOLLOWUP_SMTP_RATE=10: together they send at 10 per second (plus the
// documented burst of 2), not 10 each.
func TestSMTPRateIsOneForTheDeployment(t *testing.T) {
	t.Parallel()
	const rate, each = 10, 10
	env := map[string]string{"FOLLOWUP_SMTP_RATE": fmt.Sprint(rate)}
	first := apptest.Start(t, apptest.Options{Roles: &app.Roles{}, Env: env})
	env["FOLLOWUP_QUEUE_PREFIX"] = first.Queues.Prefix
	second := apptest.Start(t, apptest.Options{Roles: &app.Roles{}, Env: env})

	start := time.Now()
	var wg sync.WaitGroup
	for p, h := range []*apptest.Harness{first, second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var msgs []mail.Message
			for i := 0; i < each; i++ {
				msgs = append(msgs, mail.Message{To: &netmail.Address{Address: fmt.Sprintf("p%d-%d@x.test", p, i)}, Subject: "hi", Text: "hi"})
			}
			for _, err := range h.App.Mail.Send(context.Background(), msgs) {
				if err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if least := time.Duration(float64(2*each-2) / rate * float64(time.Second)); elapsed < least {
		t.Errorf("two processes sent %d emails in %s at FOLLOWUP_SMTP_RATE=%d: no less than %s is allowed", 2*each, elapsed, rate, least)
	}
	if a, b := first.Capture.Count(), second.Capture.Count(); a != each || b != each {
		t.Errorf("%d and %d emails arrived, want %d each", a, b, each)
	}
	// The limit lives under the deployment's prefix, apart from others sharing the Redis.
	keys, err := first.Queues.Redis.Keys(context.Background(), "*"+first.Queues.Prefix+mail.RateKey).Result()
	if err != nil || len(keys) != 1 {
		t.Errorf("rate limit keys under the prefix %q: %v (%v), want one", first.Queues.Prefix, keys, err)
	}
}
