package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestReportDefaults(t *testing.T) {
	c, err := load(t, nil, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := c.Reports
	if len(r.Barometer) != 5 || r.Barometer[2] != (BarometerRule{"satisfaction", ">=", 70}) {
		t.Errorf("default barometer: %+v", r.Barometer)
	}
	if r.BarometerWindow != 7*24*time.Hour || r.BarometerMinSample != 10 || r.Locale != "en" || r.TimeZone != time.UTC {
		t.Errorf("defaults: %+v", r)
	}
	if r.Weekly != (WeeklySchedule{Weekday: time.Monday, Hour: 7}) {
		t.Errorf("default schedule: %+v", r.Weekly)
	}
}

func TestReportSettings(t *testing.T) {
	c, err := load(t, nil, map[string]string{
		"FOLLOWUP_BAROMETER":        " negative_rate <= 12.5 % , satisfaction_procedural>=60",
		"FOLLOWUP_REPORT_SCHEDULE":  "FRI 17:30",
		"FOLLOWUP_REPORT_LOCALE":    "fr",
		"FOLLOWUP_REPORT_TIME_ZONE": "America/Montreal",
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []BarometerRule{{"negative_rate", "<=", 12.5}, {"satisfaction_procedural", ">=", 60}}
	if len(c.Reports.Barometer) != 2 || c.Reports.Barometer[0] != want[0] || c.Reports.Barometer[1] != want[1] {
		t.Errorf("barometer: %+v", c.Reports.Barometer)
	}
	if c.Reports.Weekly != (WeeklySchedule{Weekday: time.Friday, Hour: 17, Minute: 30}) || c.Reports.TimeZone.String() != "America/Montreal" {
		t.Errorf("schedule %+v zone %s", c.Reports.Weekly, c.Reports.TimeZone)
	}
	for _, off := range []string{"none", "off"} {
		c, err := load(t, nil, map[string]string{"FOLLOWUP_BAROMETER": off, "FOLLOWUP_REPORT_SCHEDULE": off}, Options{})
		if err != nil || len(c.Reports.Barometer) != 0 || !c.Reports.Weekly.Off {
			t.Errorf("%s: %v %+v", off, err, c.Reports)
		}
	}
}

func TestBadReportSettingsNameTheVariable(t *testing.T) {
	cases := []struct {
		env, value, want string
	}{
		{"FOLLOWUP_BAROMETER", "happiness>=3", `"happiness" is not an indicator`},
		{"FOLLOWUP_BAROMETER", "satisfaction>70", `"satisfaction>70" is not one`},
		{"FOLLOWUP_BAROMETER", "satisfaction>=70,satisfaction<=90", "satisfaction is given twice"},
		{"FOLLOWUP_BAROMETER", "satisfaction>=1,negative_rate<=1,response_rate>=1,recovery_rate>=1,double_deviations<=0,overdue_complaints<=3", "6 given"},
		{"FOLLOWUP_BAROMETER_WINDOW", "30s", "duration between 1h0m0s"},
		{"FOLLOWUP_BAROMETER_MIN_SAMPLE", "0", "between 1 and 10000"},
		{"FOLLOWUP_REPORT_SCHEDULE", "monday at 7", "mon 07:00"},
		{"FOLLOWUP_REPORT_SCHEDULE", "mon 25:00", "mon 07:00"},
		{"FOLLOWUP_REPORT_LOCALE", "de", "en or fr"},
		{"FOLLOWUP_REPORT_TIME_ZONE", "Mars/Olympus", "IANA time zone"},
	}
	for _, tc := range cases {
		t.Run(tc.env+"="+tc.value, func(t *testing.T) {
			_, err := load(t, nil, map[string]string{tc.env: tc.value}, Options{})
			var ce *Error
			if !errors.As(err, &ce) || ce.Env != tc.env {
				t.Fatalf("want an error naming %s, got %v", tc.env, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") {
				t.Errorf("message %q should be one line saying %q", msg, tc.want)
			}
		})
	}
}
