package config

import (
	"testing"
	"time"
)

// TestStallAfter: every kind of work has a threshold by default; a setting
// changes the kinds it lists and keeps the others; 0 never alerts; what is
// not a known kind with a sane duration stops the program.
func TestStallAfter(t *testing.T) {
	t.Parallel()
	c, err := load(t, nil, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{"send_batches": time.Hour, "responses": 15 * time.Minute, "alerts": 15 * time.Minute, "complaint_emails": time.Hour, "inbound_messages": 15 * time.Minute}
	for k, d := range want {
		if c.StallAfter[k] != d {
			t.Errorf("default %s: %v, want %v", k, c.StallAfter[k], d)
		}
	}
	if len(c.StallAfter) != len(StallKinds) {
		t.Errorf("defaults %v, want one per kind %v", c.StallAfter, StallKinds)
	}
	c, err = load(t, nil, map[string]string{"FOLLOWUP_STALL_AFTER": "alerts=5m, Complaint_Emails=0"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.StallAfter["alerts"] != 5*time.Minute || c.StallAfter["complaint_emails"] != 0 || c.StallAfter["send_batches"] != time.Hour {
		t.Errorf("custom: %v", c.StallAfter)
	}
	for _, bad := range []string{"alerts", "alerts=5m,alerts=6m", "invitations=1h", "alerts=fast", "alerts=500ms", "alerts=800h", "alerts=-1m"} {
		if _, err := load(t, nil, map[string]string{"FOLLOWUP_STALL_AFTER": bad}, Options{}); err == nil {
			t.Errorf("FOLLOWUP_STALL_AFTER=%s accepted", bad)
		}
	}
}
