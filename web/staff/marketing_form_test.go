package staff

import (
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/scheduler"
)

// TestCampaignFormLinkLifetime: an empty link lifetime takes the default,
// 30 days; 0 is refused, not silently given the default.
func TestCampaignFormLinkLifetime(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	base := valuesOf(scheduler.Campaign{Name: "After delivery", SurveyID: 1, Trigger: scheduler.TriggerEvent, EventKinds: []string{"delivery"},
		Window: scheduler.DefaultWindow(), FrequencyCapDays: 30, InvitationTTL: scheduler.DefaultTTL, Delay: 24 * time.Hour, ScheduleTimeZone: "UTC"})
	for _, tc := range []struct {
		ttl     string
		want    time.Duration
		problem string
	}{
		{"", scheduler.DefaultTTL, ""},
		{"7", 7 * 24 * time.Hour, ""},
		{"0", 0, "must be between 1 and 365 days, not 0 (leave it empty for the default, 30 days)"},
		{"400", 400 * 24 * time.Hour, "must be between 1 and 365 days"},
	} {
		v := base
		v.TTLDays = tc.ttl
		c, fs := v.campaign(0, now)
		if err := c.Check(now); tc.problem == "" && (len(fs) > 0 || err != nil) {
			t.Errorf("lifetime %q: %v %v, want none", tc.ttl, fs, err)
			continue
		}
		if tc.problem == "" {
			if c.InvitationTTL != tc.want {
				t.Errorf("lifetime %q: %v, want %v", tc.ttl, c.InvitationTTL, tc.want)
			}
			continue
		}
		var got string
		for _, f := range fs {
			if f.Field == "invitation_ttl_days" {
				got = f.Message
			}
		}
		if got == "" {
			if err := c.Check(now); err != nil {
				got = err.Error()
			}
		}
		if got == "" || !strings.Contains(got, tc.problem) {
			t.Errorf("lifetime %q: problem %q, want %q", tc.ttl, got, tc.problem)
		}
	}
}
