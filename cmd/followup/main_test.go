package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestBadConfigurationStopsWithOneLine(t *testing.T) {
	cases := []struct {
		cmd  []string
		env  map[string]string
		says string
	}{
		{[]string{"serve"}, map[string]string{"FOLLOWUP_DATABASE_URL": "not a url", "FOLLOWUP_SECRET": strings.Repeat("s", 32)}, "FOLLOWUP_DATABASE_URL (--database-url): expected a PostgreSQL URL"},
		{[]string{"all"}, map[string]string{"FOLLOWUP_SECRET": "too-short"}, "FOLLOWUP_SECRET (--secret): expected a secret of at least 32 bytes (got 9 bytes)"},
		{[]string{"worker"}, map[string]string{"FOLLOWUP_SECRET": ""}, "FOLLOWUP_SECRET (--secret): expected a secret of at least 32 bytes"},
		{[]string{"serve", "--smtp-port", "0"}, map[string]string{"FOLLOWUP_SECRET": strings.Repeat("s", 32)}, "FOLLOWUP_SMTP_PORT (--smtp-port): expected a port number"},
		{[]string{"worker", "--metrics-addr", "9464"}, map[string]string{"FOLLOWUP_SECRET": strings.Repeat("s", 32)}, `FOLLOWUP_METRICS_ADDR (--metrics-addr): expected host:port such as 127.0.0.1:9464 or 10.0.0.5:9464, or empty for none, got "9464"`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.cmd, " "), func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			var stdout, stderr bytes.Buffer
			if code := run(tc.cmd, &stdout, &stderr); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			msg := stderr.String()
			if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, tc.says) {
				t.Errorf("stderr %q, want one line saying %q", msg, tc.says)
			}
		})
	}
}

func TestUnknownCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"frobnicate"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), `unknown command "frobnicate"`) {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
}
