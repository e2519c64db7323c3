package staff

import (
	"testing"
	"time"

	"github.com/followup/followup/scheduler"
)

func TestDescribeTriggerAgreesInNumber(t *testing.T) {
	cases := []struct {
		delay time.Duration
		want  string
	}{
		{24 * time.Hour, "1 day after delivery"},
		{48 * time.Hour, "2 days after delivery"},
		{time.Hour, "1 hour after delivery"},
		{90 * time.Minute, "90 minutes after delivery"},
		{time.Minute, "1 minute after delivery"},
	}
	for _, tc := range cases {
		c := scheduler.Campaign{Trigger: scheduler.TriggerEvent, Delay: tc.delay, EventKinds: []string{"delivery"}}
		if got := describeTrigger("en", c); got != tc.want {
			t.Errorf("delay %s: %q, want %q", tc.delay, got, tc.want)
		}
	}
}

func TestAudienceSinceOneDay(t *testing.T) {
	a := scheduler.Audience{EventKinds: []string{"delivery"}, SinceDays: 1}
	if got, want := describeAudience("en", a), "event kinds delivery; with such an event in the last 1 day (never customers who opted out)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
