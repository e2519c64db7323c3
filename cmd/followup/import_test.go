package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/followup/followup/internal/testenv"
	"github.com/followup/followup/scheduler"
	"github.com/followup/followup/surveys"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func count(t *testing.T, s *testenv.Schema, table string) int {
	t.Helper()
	var n int
	if err := s.DB.Get(&n, "SELECT count(*) FROM "+table); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportCustomersThenEvents(t *testing.T) {
	s := testenv.NewSchema(t)
	t.Setenv("FOLLOWUP_DATABASE_URL", s.URL)
	ctx := context.Background()
	sv, err := surveys.NewStore(s.DB).EnsureDefault(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scheduler.NewStore(s.DB).CreateEventCampaign(ctx, scheduler.Campaign{Name: "after delivery", SurveyID: sv.ID,
		State: scheduler.StateActive, EventKinds: []string{"delivery"}}); err != nil {
		t.Fatal(err)
	}

	customersCSV := writeFile(t, "customers.csv", "external_ref;email;locale\nc-1;a@example.com;fr\nc-2;b@example.com;\n")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"import", "customers", customersCSV, "--delimiter", ";"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	for _, want := range []string{customersCSV + ": 2 rows read in", "stored              2  (2 created, 0 updated)", "rejected            0"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout.String())
		}
	}
	if strings.Contains(stdout.String(), "invitations") || count(t, s, "invitations") != 0 {
		t.Errorf("a customers import scheduled invitations:\n%s", stdout.String())
	}

	eventsCSV := writeFile(t, "events.csv", "external_id,kind,occurred_at,customer.external_ref,customer.email\n"+
		"e-1,delivery,2026-11-20T10:00:00Z,c-1,a@example.com\n"+
		"e-2,delivery,2026-11-20T10:00:00Z,c-3,not-an-email\n"+
		"e-3,delivery,2026-11-20T10:00:00Z,c-2,b@example.com\n")
	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"import", "events", "--chunk-size", "2", eventsCSV}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1 for rejected rows\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"line 3: customer.email: \"not-an-email\" is not an email address\n",
		"3 rows read in", "stored              2\n", "duplicates          0\n", "rejected            1\n", "invitations         2  scheduled",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(stderr.String(), "1 of 3 rows were rejected") {
		t.Errorf("stderr %q does not say rows were rejected", stderr.String())
	}
	if e, i := count(t, s, "service_events"), count(t, s, "invitations"); e != 2 || i != 2 {
		t.Errorf("%d events and %d invitations, want 2 and 2", e, i)
	}

	// The same file again: nothing new; the bad row is still reported.
	stdout.Reset()
	if code := run([]string{"import", "events", eventsCSV}, &stdout, &stderr); code != 1 || !strings.Contains(stdout.String(), "duplicates          2\n") {
		t.Errorf("exit %d, re-import:\n%s", code, stdout.String())
	}
	if e := count(t, s, "service_events"); e != 2 {
		t.Errorf("re-import stored more: %d events", e)
	}
}

func TestImportRefusals(t *testing.T) {
	s := testenv.NewSchema(t)
	t.Setenv("FOLLOWUP_DATABASE_URL", s.URL)
	good := writeFile(t, "c.csv", "external_ref,email\nc-1,a@example.com\n")
	unmigrated := strings.Replace(s.URL, "search_path="+s.Name, "search_path=no_such_schema", 1)
	cases := []struct {
		name string
		args []string
		env  string
		code int
		says string
	}{
		{"no kind", []string{"import"}, "", 2, "usage: followup import customers|events"},
		{"unknown kind", []string{"import", "orders", good}, "", 2, "usage: followup import"},
		{"no file", []string{"import", "customers"}, "", 2, "usage: followup import"},
		{"two files", []string{"import", "customers", good, good}, "", 2, "usage: followup import"},
		{"bad delimiter", []string{"import", "customers", "--delimiter", `""`, good}, "", 2, "--delimiter"},
		{"missing file", []string{"import", "customers", filepath.Join(t.TempDir(), "nope.csv")}, "", 1, "no such file"},
		{"header", []string{"import", "customers", writeFile(t, "h.csv", "ref,email\nc-1,a@example.com\n")}, "", 1,
			`line 1 (header): unknown column "ref"; the columns are: external_ref, email, name, locale, time_zone, segment, annual_value_cents: nothing was imported`},
		{"not migrated", []string{"import", "customers", good}, unmigrated, 1, `run "followup migrate up" first`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv("FOLLOWUP_DATABASE_URL", tc.env)
			}
			var stdout, stderr bytes.Buffer
			if code := run(tc.args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.says) {
				t.Errorf("exit %d, stderr %q; want %d saying %q", code, stderr.String(), tc.code, tc.says)
			}
		})
	}
	if n := count(t, s, "customers"); n != 0 {
		t.Errorf("refused imports stored %d customers", n)
	}
}
