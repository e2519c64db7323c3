package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/followup/followup/customers"
	"github.com/followup/followup/internal/testenv"
)

// TestCustomersCommand exports a customer named by reference to a file,
// refuses an erase without --yes, erases the customer named by email, and
// says so; both are in the audit, by the command line.
func TestCustomersCommand(t *testing.T) {
	s := testenv.NewSchema(t)
	q := testenv.NewQueues(t)
	t.Setenv("FOLLOWUP_DATABASE_URL", s.URL)
	t.Setenv("FOLLOWUP_REDIS_URL", q.RedisURL)
	t.Setenv("FOLLOWUP_QUEUE_PREFIX", q.Prefix)
	ctx := context.Background()
	r, err := customers.NewStore(s.DB).Record(ctx, s.DB, customers.EventInput{ExternalID: "ev-1", Kind: "delivery", OccurredAt: time.Now(),
		Customer: customers.CustomerInput{ExternalRef: "CRM-0042", Email: "zoe@example.com", Name: "Zoé Tremblay"}})
	if err != nil {
		t.Fatal(err)
	}
	cmd := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"customers"}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	out := filepath.Join(t.TempDir(), "zoe.json")
	if code, _, errs := cmd("export", "CRM-0042", "--out", out); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	var doc struct {
		Customer struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"customer"`
		Events []json.RawMessage `json:"events"`
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil || doc.Customer.ID != r.CustomerID || doc.Customer.Name != "Zoé Tremblay" || len(doc.Events) != 1 {
		t.Fatalf("the export file: %v %.300s", err, b)
	}

	if code, _, errs := cmd("erase", "zoe@example.com"); code != 2 || !strings.Contains(errs, "--yes") {
		t.Errorf("erase without --yes: exit %d: %s", code, errs)
	}
	if code, _, errs := cmd("erase", "nobody@example.com", "--yes"); code != 1 || !strings.Contains(errs, `no customer "nobody@example.com"`) {
		t.Errorf("erase of nobody: exit %d: %s", code, errs)
	}
	code, stdout, errs := cmd("erase", "zoe@example.com", "--yes")
	if code != 0 || !strings.Contains(stdout, "erased: rows changed: customers 1, service_events 1") {
		t.Fatalf("erase: exit %d: %s%s", code, stdout, errs)
	}
	var name string
	if err := s.DB.Get(&name, `SELECT name || email FROM customers WHERE id = $1`, r.CustomerID); err != nil || strings.Contains(name, "zoe") {
		t.Errorf("after the erase the customer is %q (%v)", name, err)
	}
	var actors []string
	if err := s.DB.Select(&actors, `SELECT action || ' ' || actor FROM privacy_audit ORDER BY id`); err != nil || len(actors) != 2 ||
		!strings.HasPrefix(actors[0], "export cli") || !strings.HasPrefix(actors[1], "erase cli") {
		t.Errorf("audit: %v %v", actors, err)
	}
}
