package main

import (
	"bytes"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/followup/followup/internal/testenv"
)

// TestDemoOnceTwice runs "followup demo --once" twice, as a person would
// from the README: each run has a fresh schema of its own, the second does
// not see the first's customers or complaints, and the printed report names
// no address of the servers that stopped with it.
func TestDemoOnceTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole demo twice")
	}
	// testenv.NewSchema makes sure the test database exists.
	_ = testenv.NewSchema(t)
	t.Setenv("FOLLOWUP_DATABASE_URL", testenv.DatabaseURL())
	t.Setenv("FOLLOWUP_REDIS_URL", testenv.RedisURL())
	t.Setenv("FOLLOWUP_HTTP_ADDR", "127.0.0.1:0")
	t.Setenv("FOLLOWUP_CAPTURE_ADDR", "127.0.0.1:0")
	t.Setenv("FOLLOWUP_LOG_LEVEL", "warn")
	for _, k := range []string{"FOLLOWUP_BASE_URL", "FOLLOWUP_QUEUE_PREFIX", "FOLLOWUP_DEMO_SCHEMA", "FOLLOWUP_SECRET"} {
		t.Setenv(k, "")
		if err := os.Unsetenv(k); err != nil {
			t.Fatal(err)
		}
	}
	admin, err := sqlx.Open("postgres", testenv.DatabaseURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()

	dbURL, err := url.Parse(testenv.DatabaseURL())
	if err != nil {
		t.Fatal(err)
	}
	dbAddr := dbURL.Host
	hostPort := regexp.MustCompile(`(?:localhost|\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]):\d+`)
	schemaLine := regexp.MustCompile(`database: a new schema, (demo_\d{8}_\d{6}(?:_\d+)?), migrated for this run`)
	var schemas []string
	t.Cleanup(func() {
		for _, s := range schemas {
			_, _ = admin.Exec("DROP SCHEMA " + pq.QuoteIdentifier(s) + " CASCADE")
		}
	})
	for run := 1; run <= 2; run++ {
		var stdout, stderr bytes.Buffer
		if code := demoOnce(&stdout, &stderr); code != 0 {
			t.Fatalf("run %d: exit %d\n%s\n%s", run, code, stdout.String(), stderr.String())
		}
		out := stdout.String()
		m := schemaLine.FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("run %d names no new schema:\n%s", run, out)
		}
		schemas = append(schemas, m[1])
		for _, gone := range []string{"http://", "https://", "/dev/mail", "Sign in at"} {
			if strings.Contains(out, gone) {
				t.Errorf("run %d: the report of a stopped demo names %q:\n%s", run, gone, out)
			}
		}
		// The only address left is PostgreSQL's, which outlives the demo.
		for _, addr := range hostPort.FindAllString(out, -1) {
			if addr != dbAddr {
				t.Errorf("run %d: the report names %s, an address of a stopped server", run, addr)
			}
		}
		for _, want := range []string{"emails sent:", "6 survey invitations", "schema " + m[1], "PGOPTIONS='-c search_path=" + m[1] + "' psql", "DROP SCHEMA " + m[1] + " CASCADE"} {
			if !strings.Contains(out, want) {
				t.Errorf("run %d: report lacks %q:\n%s", run, want, out)
			}
		}
		if strings.Contains(out, "followup:followup@") {
			t.Errorf("run %d: the report prints the database password", run)
		}
	}
	if schemas[0] == schemas[1] {
		t.Fatalf("both runs used schema %s", schemas[0])
	}
	// Each schema holds its own run's customers and nothing else.
	for _, s := range schemas {
		var customers, complaints, runs int
		q := pq.QuoteIdentifier(s)
		if err := admin.Get(&customers, `SELECT count(*) FROM `+q+`.customers`); err != nil {
			t.Fatal(err)
		}
		if err := admin.Get(&complaints, `SELECT count(*) FROM `+q+`.complaints`); err != nil {
			t.Fatal(err)
		}
		if err := admin.Get(&runs, `SELECT count(DISTINCT split_part(external_ref, '-', 2)) FROM `+q+`.customers`); err != nil {
			t.Fatal(err)
		}
		if customers != 6 || runs != 1 || complaints == 0 {
			t.Errorf("schema %s: %d customers from %d runs, %d complaints; want the 6 of one run, and their complaints", s, customers, runs, complaints)
		}
	}
}

// TestDemoReusesANamedSchema: --schema reuses a schema and says so; the
// earlier run's rows are still there, beside the new run's.
func TestDemoReusesANamedSchema(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole demo twice")
	}
	_ = testenv.NewSchema(t)
	t.Setenv("FOLLOWUP_DATABASE_URL", testenv.DatabaseURL())
	t.Setenv("FOLLOWUP_REDIS_URL", testenv.RedisURL())
	t.Setenv("FOLLOWUP_HTTP_ADDR", "127.0.0.1:0")
	t.Setenv("FOLLOWUP_CAPTURE_ADDR", "127.0.0.1:0")
	t.Setenv("FOLLOWUP_LOG_LEVEL", "warn")
	for _, k := range []string{"FOLLOWUP_BASE_URL", "FOLLOWUP_QUEUE_PREFIX", "FOLLOWUP_SECRET"} {
		t.Setenv(k, "")
		if err := os.Unsetenv(k); err != nil {
			t.Fatal(err)
		}
	}
	name := "demo_reuse_" + strings.ToLower(strconv.FormatInt(time.Now().UnixNano(), 36))
	t.Setenv("FOLLOWUP_DEMO_SCHEMA", name)
	admin, err := sqlx.Open("postgres", testenv.DatabaseURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	t.Cleanup(func() { _, _ = admin.Exec("DROP SCHEMA " + pq.QuoteIdentifier(name) + " CASCADE") })
	for run, says := range []string{"database: a new schema, " + name, "database: reusing the schema " + name} {
		var stdout, stderr bytes.Buffer
		if code := demoOnce(&stdout, &stderr); code != 0 {
			t.Fatalf("run %d: exit %d\n%s\n%s", run+1, code, stdout.String(), stderr.String())
		}
		if !strings.Contains(stdout.String(), says) {
			t.Errorf("run %d does not say %q:\n%s", run+1, says, stdout.String())
		}
	}
	var customers int
	if err := admin.Get(&customers, `SELECT count(*) FROM `+pq.QuoteIdentifier(name)+`.customers`); err != nil {
		t.Fatal(err)
	}
	if customers != 12 {
		t.Errorf("%d customers in the reused schema, want the 6 of each run", customers)
	}
}

// demoOnce is one "followup demo --once" with six customers.
func demoOnce(stdout, stderr *bytes.Buffer) int {
	return run([]string{"demo", "--once", "--customers", "6"}, stdout, stderr)
}
