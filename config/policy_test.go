package config

import (
	"errors"
	"testing"
	"time"
)

func TestComplaintPolicySettings(t *testing.T) {
	t.Parallel()
	c, err := load(t, nil, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.ComplaintDeadlines[1] != 4*time.Hour || c.ComplaintDeadlines[2] != 9*time.Hour || c.ComplaintDeadlines[4] != 45*time.Hour || c.KeyCustomerCents != 250000 {
		t.Errorf("defaults: %v %d", c.ComplaintDeadlines, c.KeyCustomerCents)
	}
	if g := c.Gestures["critical"]; g.Percent != 5 || g.MinCents != 2500 || g.MaxCents != 25000 {
		t.Errorf("default critical gesture %+v", g)
	}
	c, err = load(t, nil, map[string]string{
		"FOLLOWUP_COMPLAINT_DEADLINES": "p1=30m, P2=8h,P3=48h,P4=120h",
		"FOLLOWUP_KEY_CUSTOMER_VALUE":  "1000.5",
		"FOLLOWUP_GESTURES":            "critical=10%:50-500.25,major=5%:20-200,moderate=2.5%:5-50,minor=0%:0-0",
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.ComplaintDeadlines[1] != 30*time.Minute || c.ComplaintDeadlines[2] != 8*time.Hour || c.KeyCustomerCents != 100050 {
		t.Errorf("custom: %v %d", c.ComplaintDeadlines, c.KeyCustomerCents)
	}
	if g := c.Gestures["critical"]; g.Percent != 10 || g.MaxCents != 50025 {
		t.Errorf("custom critical gesture %+v", g)
	}
	if g := c.Gestures["moderate"]; g.Percent != 2.5 {
		t.Errorf("custom moderate gesture %+v", g)
	}

	bad := []struct{ env, value string }{
		{"FOLLOWUP_COMPLAINT_DEADLINES", "P1=4h,P2=24h,P3=72h"},             // P4 missing
		{"FOLLOWUP_COMPLAINT_DEADLINES", "P1=4h,P2=2h,P3=72h,P4=168h"},      // P2 shorter than P1
		{"FOLLOWUP_COMPLAINT_DEADLINES", "P1=4h,P1=5h,P2=24h,P3=72h,P4=1h"}, // twice
		{"FOLLOWUP_COMPLAINT_DEADLINES", "P1=soon,P2=24h,P3=72h,P4=168h"},
		{"FOLLOWUP_COMPLAINT_DEADLINES", "P5=4h,P2=24h,P3=72h,P4=168h"},
		{"FOLLOWUP_KEY_CUSTOMER_VALUE", "-5"},
		{"FOLLOWUP_KEY_CUSTOMER_VALUE", "12.345"},
		{"FOLLOWUP_GESTURES", "critical=5%:25-250"},
		{"FOLLOWUP_GESTURES", "critical=500%:25-250,major=3%:15-150,moderate=1%:10-50,minor=0%:0-0"},
		{"FOLLOWUP_GESTURES", "critical=5%:250-25,major=3%:15-150,moderate=1%:10-50,minor=0%:0-0"},
		{"FOLLOWUP_GESTURES", "awful=5%:25-250,major=3%:15-150,moderate=1%:10-50,minor=0%:0-0"},
	}
	for _, tc := range bad {
		_, err := load(t, nil, map[string]string{tc.env: tc.value}, Options{})
		var ce *Error
		if !errors.As(err, &ce) || ce.Env != tc.env || ce.Got != tc.value {
			t.Errorf("%s=%q: got %v, want an error naming the variable and the value", tc.env, tc.value, err)
		}
	}
}
