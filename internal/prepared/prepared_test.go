package prepared_test

import (
	"context"
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
