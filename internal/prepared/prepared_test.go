package prepared_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/followup/followup/internal/prepared"
	"github.com/followup/followup/internal/testenv"
)

// TestInDoesNotWaitForThePool: with every pool connection held by
// transactions, In still answers (on the transaction's own connection), so
// a full pool cannot deadlock; the statement is prepared pool-wide later.
func TestInDoesNotWaitForThePool(t *testing.T) {
	t.Parallel()
	db := testenv.NewSchema(t).DB
	db.SetMaxOpenConns(1)
	c := prepared.New(db)
	tx, err := db.Beginx()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := c.In(ctx, tx, `SELECT $1::int + 1`)
	if err != nil {
		t.Fatalf("In with the pool exhausted: %v", err)
	}
	var n int
	if err := st.GetContext(ctx, &n, 41); err != nil || n != 42 {
		t.Fatalf("got %d %v", n, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// Once the connection is free, the same query runs prepared, in and
	// out of transactions.
	st2, err := c.Stmt(ctx, `SELECT $1::int + 1`)
	if err != nil {
		t.Fatal(err)
	}
	if err := st2.GetContext(ctx, &n, 1); err != nil || n != 2 {
		t.Fatalf("got %d %v", n, err)
	}
	tx, _ = db.Beginx()
	defer tx.Rollback()
	st3, err := c.In(ctx, tx, `SELECT $1::int + 1`)
	if err != nil {
		t.Fatal(err)
	}
	if err := st3.GetContext(ctx, &n, 2); err != nil || n != 3 {
		t.Fatalf("got %d %v", n, err)
	}
}

// TestOpaqueArrayKeepsOneGenericPlan: a prepared statement that reads its
// array parameter through Opaque is planned five times, then runs its
// generic plan; the same statement with the bare parameter is planned at
// every execution (the cost the helper removes), and both give the same
// answers.
func TestOpaqueArrayKeepsOneGenericPlan(t *testing.T) {
	t.Parallel()
	db := testenv.NewSchema(t).DB
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := db.Connx(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, q := range []string{
		`CREATE TEMP TABLE keys AS SELECT g AS id, g % 7 AS v FROM generate_series(1, 20000) g`,
		`CREATE UNIQUE INDEX ON keys (id)`,
		`ANALYZE keys`,
		`PREPARE opaque (bigint[]) AS SELECT COALESCE(sum(v), 0) FROM keys WHERE id = ANY (` + prepared.Opaque("$1::bigint[]") + `)`,
		`PREPARE bare (bigint[]) AS SELECT COALESCE(sum(v), 0) FROM keys WHERE id = ANY ($1::bigint[])`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for i := range 12 {
		ids := fmt.Sprintf("{%d,%d,%d}", i+1, i+100, i+5000)
		var a, b int64
		if err := conn.GetContext(ctx, &a, `EXECUTE opaque ('`+ids+`')`); err != nil {
			t.Fatal(err)
		}
		if err := conn.GetContext(ctx, &b, `EXECUTE bare ('`+ids+`')`); err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Fatalf("%s: opaque %d, bare %d", ids, a, b)
		}
	}
	plans := map[string][2]int64{}
	rows, err := conn.QueryxContext(ctx, `SELECT name, generic_plans, custom_plans FROM pg_prepared_statements`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		var g, c int64
		if err := rows.Scan(&name, &g, &c); err != nil {
			t.Fatal(err)
		}
		plans[name] = [2]int64{g, c}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if p := plans["opaque"]; p[0] < 6 || p[1] > 5 {
		t.Errorf("opaque: %d generic plans, %d custom of 12 executions; want the generic plan after five", p[0], p[1])
	}
	t.Logf("bare parameter: %d generic plans, %d custom", plans["bare"][0], plans["bare"][1])
}
